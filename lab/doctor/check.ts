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

export function formatResult(result: CheckResult): string {
  switch (result.status) {
    case 'ok':
      return `✓ ${result.name}: ${result.detail}`;
    case 'problem':
      return `✗ ${result.name}: ${result.problem} — fix: ${result.fix}`;
    case 'skipped':
      return `- ${result.name}: skipped (${result.reason})`;
  }
}
