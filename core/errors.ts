/**
 * Expected failures of the lab: each has a stable `code`, a one-line message saying what failed
 * and what was observed, and optionally what to do next. Only `lab/main.ts` prints them (without a
 * stack); the CLI adds hints that name its own commands there, at the edge.
 */
export type LabErrorCode =
  /** A port the lab needs is taken. */
  | 'ERR_PORT_IN_USE'
  /** Nothing answers at Keycloak's URL. */
  | 'ERR_KEYCLOAK_UNREACHABLE'
  /** Keycloak answers, but not ready (or not in time). */
  | 'ERR_KEYCLOAK_NOT_READY'
  /** Keycloak's distribution is missing, damaged or cannot be unpacked. */
  | 'ERR_KEYCLOAK_DOWNLOAD'
  /** Keycloak refused the admin login. */
  | 'ERR_ADMIN_LOGIN'
  /** No Java that the Keycloak version runs on. */
  | 'ERR_NO_JAVA'
  /** No python3 that can make the Python server's virtual environment. */
  | 'ERR_NO_PYTHON'
  /** An install failed: npm, pip, `docker save`. */
  | 'ERR_INSTALL'
  /** A process the lab started exited before it was ready. */
  | 'ERR_PROCESS_EXITED'
  /** A process the lab started did not become ready in time. */
  | 'ERR_PROCESS_NOT_READY'
  /** The screenshots to copy into docs/images were not taken. */
  | 'ERR_SCREENSHOTS_MISSING'
  /** The lab (or the room's lab) does not answer, or did not stop. */
  | 'ERR_NOT_RUNNING'
  /** A lab is already running. */
  | 'ERR_ALREADY_RUNNING'
  /** The command line or its input is wrong: a command, flag, argument, roster. */
  | 'ERR_USAGE'
  /** A setting is wrong (environment variables, .env). */
  | 'ERR_CONFIG'
  /** A benchmark run failed or had errors. */
  | 'ERR_BENCH'
  /** Stopped (Ctrl-C) before it was done. */
  | 'ERR_INTERRUPTED'
  /** Creating or repairing realm, client or accounts failed. */
  | 'ERR_PROVISIONING'
  /** The Keycloak version cannot do the chosen client registration profile. */
  | 'ERR_KEYCLOAK_FEATURE'
  /** No certificate for the client ID metadata documents. */
  | 'ERR_CERTIFICATE'
  /** The tutorial's code, or what it does, differs from what docs/tutorial-drift.md records. */
  | 'ERR_DRIFT'
  /** A classroom needs nginx, and there is none. */
  | 'ERR_NO_NGINX'
  /** `lab check --report`: the check did not sign in at Keycloak, so there is no token to sign the report with. */
  | 'ERR_NOTHING_TO_REPORT'
  /** `lab check --report`: the room's lab answered and refused the report. */
  | 'ERR_REPORT_REFUSED'
  /** The Logto tab's Logto is not built yet (`lab logto build`), or its build failed. */
  | 'ERR_LOGTO_BUILD';

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

  /** The single line a user sees. */
  toLine(): string {
    return this.hint ? `${this.message} — ${this.hint}` : this.message;
  }
}

/**
 * Node's network errors carry the interesting code on `cause`; find it: a socket's (ECONNREFUSED,
 * EAI_AGAIN, …) or undici's (UND_ERR_CONNECT_TIMEOUT, …), not Node's own ERR_… codes.
 */
export function networkErrorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && (/^E(?!RR_)[A-Z]+(?:_[A-Z]+)?$/.test(code) || /^UND_ERR_[A-Z_]+$/.test(code))) return code;
    current = current.cause;
  }
  return undefined;
}
