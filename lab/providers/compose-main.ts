/**
 * The OIDC or OAuth 2 tab's authorization server in docker compose (the services oidc-provider and
 * oauth-server of docker-compose.yml, image docker/auth-server.Dockerfile). Demo only.
 *
 * It reads the lab's own settings, not main.ts's PROVIDER_* ones, and derives the server from them
 * as `lab up` does (core/config.ts, lab/up/start-lab.ts): LAB_PROVIDER the tab, OIDC_PROVIDER_PORT
 * or OAUTH_PROVIDER_PORT its port and issuer, LAB_USERNAME / LAB_PASSWORD / LAB_EMAIL the test user,
 * LAB_CLIENT_ID the pre-registered client with the Inspector's redirect URIs (INSPECTOR_PORT),
 * LAB_STATE_DIR where registered clients are kept (a volume), and LAB_LOCALE the language of its
 * sign-in and consent pages (runMain reads it). The same settings that refuse a classroom or spec
 * mode for these tabs natively stop the container with that one line.
 */
import path from 'node:path';
import { loadConfig } from '../../core/config.ts';
import { LabError } from '../../core/errors.ts';
import { runMain } from '../main.ts';
import { labUser } from './lab-users.ts';
import { serveAuthServer } from './serve-auth-server.ts';

await runMain(async () => {
  const config = loadConfig(process.env);
  const { provider, client } = config;
  if (provider.kind === 'keycloak' || provider.kind === 'logto' || provider.port === undefined) {
    throw new LabError('ERR_CONFIG', 'LAB_PROVIDER must be "oidc" or "oauth" here: the Keycloak tab runs Keycloak (the keycloak service)');
  }
  return serveAuthServer({
    kind: provider.kind,
    issuer: provider.issuer,
    port: provider.port,
    // Published ports arrive on the container's network interface, not on its loopback.
    host: '0.0.0.0',
    users: [labUser(config.user)],
    inspectorOrigins: [client.inspectorWebOrigin],
    // The Inspector's UI and CLI, and the client `lab check` and the tests sign in with: the
    // redirect URIs provisioning gives Keycloak's client in the Keycloak tab.
    preRegisteredClient: {
      clientId: provider.clientId,
      redirectUris: [...client.redirectUris],
    },
    clientsFile: path.join(config.stateDir, `${provider.kind}-provider`, 'clients.json'),
  });
});
