/**
 * Runs the check list against the server at a URL: each check in turn, skipped with a reason when
 * a fact it needs was not found; the first result on a line is the one printed, lines in `order`.
 */
import { t } from '../../core/messages.ts';
import { checkList } from './check-list.ts';
import {
  lineOrder,
  skip,
  toResult,
  type Check,
  type CheckOptions,
  type CheckReport,
  type CheckResult,
  type FactName,
  type Facts,
  type LineName,
  type Text,
} from './check.ts';
import type { Transport } from './mcp-session.ts';

export async function checkServer(
  options: CheckOptions,
  checks: readonly Check[] = checkList,
  order: readonly LineName[] = lineOrder,
): Promise<CheckReport> {
  const base = new URL(new URL(options.url).origin);
  const endpoints = { sse: new URL('/sse', base), 'streamable-http': new URL('/mcp', base) } satisfies Record<Transport, URL>;
  const facts: Partial<Facts> = {};
  /** Why a fact was not found: the words of the line that would have found it, formatted when read. */
  const missing = new Map<FactName, Text>();
  const lines = new Map<LineName, CheckResult>();

  for (const check of checks.filter(({ checkpoints }) => checkpoints.includes(options.checkpoint))) {
    const lacking = check.needs.find((fact) => !(fact in facts));
    const outcome = lacking
      ? skip(missing.get(lacking) ?? (() => t('check.no-finder', { fact: lacking })))
      : await check.run({ options, base, endpoints, facts: facts as Facts });
    Object.assign(facts, outcome.found);
    if (outcome.result && !lines.has(check.line)) lines.set(check.line, toResult(check.line, outcome.result, options.config.provider));
    for (const fact of check.provides?.facts ?? []) {
      const skipped = outcome.result?.status === 'skip' ? outcome.result : undefined;
      if (!(fact in facts)) missing.set(fact, skipped ? () => skipped.detail : check.provides!.otherwise);
    }
  }

  const results = order.flatMap((line) => lines.get(line) ?? []);
  return {
    url: base.href.replace(/\/$/, ''),
    revision: options.revision ?? '2025-11-25',
    checkpoint: options.checkpoint,
    sdk: facts.server?.sdk ?? facts.withoutToken?.sdk,
    results,
    passed: results.every(({ status }) => status !== 'fail'),
    ...(facts.login ? { login: { username: facts.login.username, accessToken: facts.login.accessToken } } : {}),
  };
}
