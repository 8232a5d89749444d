/**
 * Expected failures of the lab: each has a stable `code`, a one-line message saying what failed
 * and what was observed, and the next thing to run. `lab/cli.ts` prints them without a stack.
 */
export type LabErrorCode =
  | 'ERR_PORT_IN_USE'
  | 'ERR_KEYCLOAK_UNREACHABLE'
  | 'ERR_KEYCLOAK_NOT_READY'
  | 'ERR_KEYCLOAK_EXITED'
  | 'ERR_KEYCLOAK_DOWNLOAD'
  | 'ERR_ADMIN_LOGIN'
  | 'ERR_NO_JAVA'
  | 'ERR_SERVER_NOT_READY'
  | 'ERR_INSPECTOR_NOT_READY'
  | 'ERR_SCREENSHOTS_MISSING'
  | 'ERR_NOT_RUNNING'
  | 'ERR_ALREADY_RUNNING'
  | 'ERR_USAGE'
  | 'ERR_CONFIG'
  | 'ERR_BENCH'
  | 'ERR_INTERRUPTED'
  | 'ERR_PROVISIONING';

export class LabError extends Error {
  readonly code: LabErrorCode;
  /** What to do next, e.g. "run `npm run lab -- doctor`". */
  readonly hint: string | undefined;

  constructor(code: LabErrorCode, message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'LabError';
    this.code = code;
    this.hint = options.hint;
  }

  /** The single line a user sees. */
  toLine(): string {
    return this.hint ? `${this.message} — ${this.hint}` : this.message;
  }
}

/** Node's network errors carry the interesting code on `cause`; find it. */
export function networkErrorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && /^E[A-Z]+/.test(code)) return code;
    current = current.cause;
  }
  return undefined;
}
