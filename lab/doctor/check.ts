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
    case 'ok': return `✓ ${result.name}: ${result.detail}`;
    case 'problem': return `✗ ${result.name}: ${result.problem} — fix: ${result.fix}`;
    case 'skipped': return `- ${result.name}: skipped (${result.reason})`;
  }
}

/** GET a URL and read JSON if it is JSON; network failures become `{ error }`, never a throw. */
export async function probe(url: string, timeoutMs = 3_000): Promise<{ status: number; json: unknown; text: string } | { error: string }> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    const text = await response.text();
    let json: unknown;
    try { json = JSON.parse(text); } catch { json = undefined; }
    return { status: response.status, json, text };
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause;
    return { error: cause?.code ?? (error as Error).name };
  }
}
