import { LabError } from '../core/errors.ts';
import { t } from '../core/messages.ts';
import { waitForHttpOk, WaitTimeoutError } from '../core/wait.ts';

/**
 * Waits until Keycloak serves its master realm (a started Keycloak answers that before the admin
 * API is usable only for a moment). Tells "nothing listens" apart from "answers, but not ready".
 */
export async function waitForKeycloak(baseUrl: string, timeoutMs: number): Promise<void> {
  const probeUrl = `${baseUrl}/realms/master/.well-known/openid-configuration`;
  try {
    await waitForHttpOk(probeUrl, { timeoutMs, intervalMs: 1_000 });
  } catch (error) {
    if (!(error instanceof WaitTimeoutError)) throw error;
    const seconds = Math.round(timeoutMs / 1000);
    if (/fetch failed|ECONNREFUSED|ENOTFOUND|EAI_AGAIN/.test(error.lastObserved)) {
      throw new LabError(
        'ERR_KEYCLOAK_UNREACHABLE',
        t('provisioning.keycloak.unreachable-after', { url: baseUrl, seconds: String(seconds) }),
      );
    }
    throw new LabError(
      'ERR_KEYCLOAK_NOT_READY',
      t('provisioning.keycloak.not-ready', { url: baseUrl, seconds: String(seconds), last: error.lastObserved }),
    );
  }
}
