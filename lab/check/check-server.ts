/**
 * Runs the check list against the server at a URL: each check in turn, skipped with a reason when
 * a fact it needs was not found; the first result on a line is the one printed, lines in `order`.
 */
import { checkList } from './check-list.ts';
import {
  lineOrder,
  toResult,
  type Check,
  type CheckOptions,
  type CheckReport,
  type CheckResult,
  type FactName,
  type Facts,
  type LineName,
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
  const missing = new Map<FactName, string>();
  const lines = new Map<LineName, CheckResult>();

  for (const check of checks.filter(({ checkpoints }) => checkpoints.includes(options.checkpoint))) {
    const lacking = check.needs.find((fact) => !(fact in facts));
    const outcome = lacking
      ? { result: { status: 'skip' as const, detail: missing.get(lacking) ?? `no check before it finds ${lacking}` } }
      : await check.run({ options, base, endpoints, facts: facts as Facts });
    Object.assign(facts, outcome.found);
    if (outcome.result && !lines.has(check.line)) lines.set(check.line, toResult(check.line, outcome.result, options.config.provider));
    for (const fact of check.provides?.facts ?? []) {
      if (!(fact in facts)) missing.set(fact, outcome.result?.status === 'skip' ? outcome.result.detail : check.provides!.otherwise);
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
