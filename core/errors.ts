/**
 * Expected failures of the lab: each has a stable `code`, a one-line message saying what failed
 * and what was observed, and optionally what to do next. Only `lab/main.ts` prints them (without a
 * stack); the CLI adds hints that name its own commands there, at the edge.
 */
export type LabErrorCode =
  | 'ERR_PORT_IN_USE'
  | 'ERR_KEYCLOAK_UNREACHABLE'
  | 'ERR_KEYCLOAK_NOT_READY'
  | 'ERR_KEYCLOAK_DOWNLOAD'
  | 'ERR_ADMIN_LOGIN'
  | 'ERR_NO_JAVA'
  | 'ERR_NO_PYTHON'
  | 'ERR_INSTALL'
  | 'ERR_PROCESS_EXITED'
  | 'ERR_PROCESS_NOT_READY'
  | 'ERR_SCREENSHOTS_MISSING'
  | 'ERR_NOT_RUNNING'
  | 'ERR_ALREADY_RUNNING'
  | 'ERR_USAGE'
  | 'ERR_CONFIG'
  | 'ERR_BENCH'
  | 'ERR_INTERRUPTED'
  | 'ERR_PROVISIONING'
  | 'ERR_KEYCLOAK_FEATURE'
  | 'ERR_CERTIFICATE'
  | 'ERR_DRIFT'
  | 'ERR_NO_NGINX';

export class LabError extends Error {
  readonly code: LabErrorCode;
  /** What to do next, e.g. "see .lab/keycloak.log". */
  readonly hint: string | undefined;

  constructor(code: LabErrorCode, message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'LabError';
    this.code = code;
    this.hint = options.hint;
  }

  /** The same failure with another hint (the CLI's, which knows its commands). */
  withHint(hint: string): LabError {
    return new LabError(this.code, this.message, { hint, cause: this.cause });
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
