import { LabError, type LabErrorCode } from '../core/errors.ts';
import { localeFrom, t, useLocale } from '../core/messages.ts';

/**
 * The CLI's next steps for failures the lower layers report without knowing the CLI: added here,
 * at the edge, after the error's own hint.
 */
const cliHints: Partial<Record<LabErrorCode, string>> = {
  ERR_KEYCLOAK_UNREACHABLE: 'start it with `npm run lab -- up` or `docker compose up`, or set KEYCLOAK_URL',
  ERR_KEYCLOAK_NOT_READY: 'wait until it is ready, or run `npm run lab -- doctor`',
  ERR_PROVISIONING: 'run `npm run lab -- doctor`',
  ERR_PORT_IN_USE: 'if it is a lab of yours, stop it with `npm run lab -- down`',
};

/**
 * The one place that calls `process.exit`: runs a command, prints an expected failure as one
 * line (no stack), and anything unexpected with its stack.
 */
export async function runMain(command: () => Promise<number>): Promise<never> {
  // The language comes from the environment, as loadConfig reads it; a LAB_LOCALE the lab does not
  // speak leaves English, and loadConfig says so.
  useLocale(localeFrom(process.env)?.tag ?? 'en');
  try {
    process.exit(await command());
  } catch (error) {
    if (error instanceof LabError) {
      const cliHint = cliHints[error.code];
      const hint = [error.hint, cliHint].filter(Boolean).join('; ');
      console.error(t('cli.error', { line: hint ? error.withHint(hint).toLine() : error.message }));
      process.exit(1);
    }
    console.error(error);
    process.exit(2);
  }
}
