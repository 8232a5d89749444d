import KeycloakAdminClient, { NetworkError } from '@keycloak/keycloak-admin-client';
import { LabError, networkErrorCode } from '../core/errors.ts';
import { t } from '../core/messages.ts';

export interface AdminConnection {
  /** Where this process reaches Keycloak, e.g. http://localhost:8080 or http://keycloak:8080. */
  baseUrl: string;
  username: string;
  password: string;
}

/**
 * One logged-in admin client (master realm, `admin-cli`). Turns the two expected failures —
 * Keycloak unreachable, wrong admin credentials — into one-line {@link LabError}s.
 */
export async function connectAdminClient({ baseUrl, username, password }: AdminConnection): Promise<KeycloakAdminClient> {
  const admin = new KeycloakAdminClient({ baseUrl, realmName: 'master' });
  try {
    await admin.auth({ grantType: 'password', clientId: 'admin-cli', username, password });
  } catch (error) {
    throw toAdminError(error, baseUrl, username);
  }
  return admin;
}

/**
 * The same client, kept logged in for as long as it is used: the master realm's admin tokens live
 * 60 s, so it logs in again (once, however many requests ask at the same moment) when its token is
 * older than `renewAfterMs`. One admin session serves a whole test worker instead of a login per test.
 */
export async function connectLongLivedAdminClient(
  connection: AdminConnection,
  { renewAfterMs = 45_000 }: { renewAfterMs?: number } = {},
): Promise<KeycloakAdminClient> {
  const admin = await connectAdminClient(connection);
  let loggedInAt = Date.now();
  let renewal: Promise<void> | undefined;
  admin.registerTokenProvider({
    getAccessToken: async () => {
      if (Date.now() - loggedInAt > renewAfterMs) {
        renewal ??= admin
          .auth({ grantType: 'password', clientId: 'admin-cli', username: connection.username, password: connection.password })
          .then(() => {
            loggedInAt = Date.now();
          })
          .finally(() => {
            renewal = undefined;
          });
        await renewal;
      }
      return admin.accessToken;
    },
  });
  return admin;
}

export function toAdminError(error: unknown, baseUrl: string, username: string): unknown {
  if (error instanceof NetworkError) {
    const status = error.response.status;
    if (status === 401 || status === 400) {
      return new LabError('ERR_ADMIN_LOGIN', t('provisioning.admin-login.refused', { url: baseUrl, username, status: String(status) }), {
        hint: t('provisioning.admin-login.refused.hint'),
      });
    }
    if (status >= 500 || status === 404) {
      return new LabError('ERR_KEYCLOAK_NOT_READY', t('provisioning.admin-login.not-ready', { url: baseUrl, status: String(status) }));
    }
  }
  const code = networkErrorCode(error);
  if (code) {
    return new LabError('ERR_KEYCLOAK_UNREACHABLE', t('provisioning.keycloak.unreachable', { url: baseUrl, code }));
  }
  return error;
}
