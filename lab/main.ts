import { LabError, type LabErrorCode } from '../core/errors.ts';
import { localeFrom, t, useLocale, type MessageKey } from '../core/messages.ts';

/**
 * The CLI's next steps for failures the lower layers report without knowing the CLI: added here,
 * at the edge, after the error's own hint.
 */
const cliHints: Partial<Record<LabErrorCode, MessageKey>> = {
  ERR_KEYCLOAK_UNREACHABLE: 'cli.hint.keycloak-unreachable',
  ERR_KEYCLOAK_NOT_READY: 'cli.hint.keycloak-not-ready',
  ERR_PROVISIONING: 'cli.hint.provisioning',
  ERR_PORT_IN_USE: 'cli.hint.port-in-use',
};

/** The error's line: its message, then what to do next (its own hint, then the CLI's), in the learner's language. */
function errorLine(error: LabError): string {
  const cliHint = cliHints[error.code];
  const [first, second] = [error.hint, cliHint && t(cliHint)].filter((hint): hint is string => Boolean(hint));
  const hint = second ? t('cli.hints', { first: first!, second }) : first;
  return hint ? t('cli.error.with-hint', { message: error.message, hint }) : error.message;
}

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
      console.error(t('cli.error', { line: errorLine(error) }));
      process.exit(1);
    }
    console.error(error);
    process.exit(2);
  }
}
