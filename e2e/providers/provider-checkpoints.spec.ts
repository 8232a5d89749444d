/**
 * The tutorial's checkpoints on its "OIDC" and "OAuth 2" tabs, for both SDKs and both transports,
 * by the MCP SDK's client: without a token the server answers 401 (checkpoint 1); the client logs
 * in through the tab's authorization server's pages and `whoami` returns the user's claims
 * (checkpoint 2) — the OIDC tab's userinfo, the OAuth 2 tab's GitHub-like `/user`.
 */
import { expect, test } from '@playwright/test';
import type { Transport } from '../support/lab.ts';
import {
  authServerKinds,
  expectedClaims,
  providerLab,
  providerUsers,
  providerWhoamiUrl,
  tabNames,
  whoamiSdks,
  type AuthServerKind,
} from '../support/provider-labs.ts';
import type { LabUser } from '../../lab/providers/lab-users.ts';
import type { ClientIdentity } from '../support/in-memory-oauth-provider.ts';
import type { Page } from '@playwright/test';
import { expectCheckpoint1 } from '../support/probe-mcp.ts';
import { callWhoami, loginAndConnect } from '../support/sdk-login.ts';

const transports: Transport[] = ['sse', 'streamable-http'];

for (const kind of authServerKinds) {
  const { provider } = providerLab(kind);

  for (const sdk of whoamiSdks) {
    test.describe(`the ${tabNames[kind]} tab, ${sdk === 'node' ? 'Node.js' : 'Python'} server`, () => {
      for (const transport of transports) {
        test(`checkpoint 1 over ${transport}: without a token the server answers 401`, async ({ request }) => {
          await expectCheckpoint1(request, providerWhoamiUrl(kind, sdk), transport, sdk);
        });

        test(`checkpoint 2 over ${transport}: testuser signs in at ${provider.displayName} and whoami returns their claims`, async ({
          page,
        }) => {
          const claims = await whoamiAfterLogin(page, kind, { sdk, transport, user: providerUsers.testuser });

          expect(claims).toEqual(expectedClaims(kind, providerUsers.testuser));
        });
      }
    });
  }

  test.describe(`the ${tabNames[kind]} tab, beyond the pre-registered client and testuser`, () => {
    test('a client that registers itself meets the consent page, and whoami answers', async ({ page }) => {
      const claims = await whoamiAfterLogin(page, kind, {
        sdk: 'node',
        transport: 'streamable-http',
        user: providerUsers.testuser,
        identity: { dynamic: true },
        consent: true,
      });

      expect(claims).toEqual(expectedClaims(kind, providerUsers.testuser));
    });

    test("a second user gets their own claims, not testuser's", async ({ page }) => {
      const claims = await whoamiAfterLogin(page, kind, { sdk: 'python', transport: 'sse', user: providerUsers.second });

      expect(claims).toEqual(expectedClaims(kind, providerUsers.second));
      expect(claims.sub).not.toBe(providerUsers.testuser.sub);
    });
  });
}

/**
 * Checkpoint 2 by the MCP SDK's client (loginAndConnect) on the tab's server of `sdk`, with the
 * tab's scope; the pre-registered `mcp-inspector` unless told otherwise. Returns whoami's answer.
 */
async function whoamiAfterLogin(
  page: Page,
  kind: AuthServerKind,
  {
    sdk,
    transport,
    user,
    identity,
    consent = false,
  }: { sdk: 'node' | 'python'; transport: Transport; user: LabUser; identity?: ClientIdentity; consent?: boolean },
): Promise<Record<string, unknown>> {
  const config = providerLab(kind);
  const { client } = await loginAndConnect(page, {
    serverUrl: providerWhoamiUrl(kind, sdk),
    transport,
    credentials: user,
    provider: kind,
    consent,
    oauthClient: {
      identity: identity ?? { clientId: config.provider.clientId },
      scope: config.provider.scope,
      redirectUri: config.client.testRedirectUri,
    },
  });
  try {
    return await callWhoami(client);
  } finally {
    await client.close();
  }
}
