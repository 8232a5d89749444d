import { t } from '../../core/messages.ts';

/** One line of `lab doctor`: ok, or the problem and its fix. */
export type CheckResult =
  | { name: string; status: 'ok'; detail: string }
  | { name: string; status: 'problem'; problem: string; fix: string }
  | { name: string; status: 'skipped'; reason: string };

export function ok(name: string, detail: string): CheckResult {
  return { name, status: 'ok', detail };
}

export function problem(name: string, problemText: string, fix: string): CheckResult {
  return { name, status: 'problem', problem: problemText, fix };
}

export function skipped(name: string, reason: string): CheckResult {
  return { name, status: 'skipped', reason };
}

/** The line in the active language: the marks (✓ ✗ -) are the same in every one. */
export function formatResult(result: CheckResult): string {
  switch (result.status) {
    case 'ok':
      return t('doctor.line.ok', { name: result.name, detail: result.detail });
    case 'problem':
      return t('doctor.line.problem', { name: result.name, problem: result.problem, fix: result.fix });
    case 'skipped':
      return t('doctor.line.skipped', { name: result.name, reason: result.reason });
  }
}

/** "none", where a list the line quotes is empty. */
export function noneWord(): string {
  return t('doctor.word.none');
}

/** The fix of a realm's drift: provisioning puts it back. */
export function provisionFix(): string {
  return t('doctor.fix.provision');
}
