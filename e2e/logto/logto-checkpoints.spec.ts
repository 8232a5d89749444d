/**
 * The tutorial's checkpoints on its Logto tab, by the MCP SDK's client, against a real Logto:
 * without a token the server answers 401 (checkpoint 1); the client signs in on Logto's own
 * sign-in page and `whoami` returns the user's claims from Logto's userinfo (checkpoint 2).
 *
 * Tutorial mode is the tutorial's code with Logto's issuer, and the client sends no `resource`, as
 * the tutorial's Inspector did (Logto refuses one it does not know; logto-oidc-behaviour.spec.ts).
 * Spec mode asks with `resource` and the `mcp:whoami` permission and gets a JWT for the server.
 */
import { expect, test, type Page } from '@playwright/test';
import type { Transport } from '../support/lab.ts';
import { logtoAppId, logtoServerLab, logtoServerUrl, logtoUsers, type LogtoServerName, type LogtoUser } from '../support/logto-lab.ts';
import { expectCheckpoint1 } from '../support/probe-mcp.ts';
import { callWhoami, loginAndConnect } from '../support/sdk-login.ts';

const transports: Transport[] = ['sse', 'streamable-http'];

/** What Logto's userinfo says of a user with the scopes openid, profile and email (its `sub` is Logto's own). */
function logtoClaimsOf(user: LogtoUser) {
  return {
    sub: expect.stringMatching(/^\w+$/),
    username: user.username,
    preferred_username: user.username,
    name: `${user.firstName} ${user.lastName}`,
    given_name: user.firstName,
    family_name: user.lastName,
    email: user.email,
    email_verified: true,
  };
}

for (const name of ['node', 'python'] as const satisfies LogtoServerName[]) {
  test.describe(`the Logto tab, ${name === 'node' ? 'Node.js' : 'Python'} server (tutorial mode)`, () => {
    for (const transport of transports) {
      test(`checkpoint 1 over ${transport}: without a token the server answers 401`, async ({ request }) => {
        await expectCheckpoint1(request, logtoServerUrl(name), transport, name);
      });

      test(`checkpoint 2 over ${transport}: testuser signs in on Logto's page and whoami returns their claims`, async ({ page }) => {
        const claims = await whoamiAfterLogin(page, name, { transport, user: logtoUsers.testuser });

        expect(claims).toMatchObject(logtoClaimsOf(logtoUsers.testuser));
      });
    }
  });
}

test.describe('the Logto tab, beyond testuser and the tutorial', () => {
  test("a second user gets their own claims, not testuser's", async ({ page, browser }) => {
    const second = await whoamiAfterLogin(page, 'python', { transport: 'sse', user: logtoUsers.second });
    // Another browser: in this one Logto would sign the second user in again without asking.
    const otherBrowser = await browser.newContext();
    const first = await whoamiAfterLogin(await otherBrowser.newPage(), 'node', { transport: 'streamable-http', user: logtoUsers.testuser });
    await otherBrowser.close();

    expect(second).toMatchObject(logtoClaimsOf(logtoUsers.second));
    expect(second.sub).not.toBe(first.sub);
  });

  for (const [name, transport] of [
    ['spec', 'sse'],
    ['spec', 'streamable-http'],
    ['pythonSpec', 'sse'],
    ['pythonSpec', 'streamable-http'],
  ] as const) {
    test(`spec mode, ${name === 'spec' ? 'Node.js' : 'Python'} server over ${transport}: with resource and mcp:whoami, Logto issues a JWT for the server, whoami returns its claims`, async ({
      page,
    }) => {
      const claims = await whoamiAfterLogin(page, name, { transport, user: logtoUsers.testuser });
      const lab = logtoServerLab(name);

      expect(claims).toMatchObject({
        iss: lab.provider.issuer,
        aud: lab.server.resourceUrl,
        client_id: logtoAppId(),
        scope: expect.stringContaining(lab.server.whoamiScope),
      });
    });
  }
});

/**
 * Checkpoint 2 by the MCP SDK's client on server `name`, with the App ID as Client ID and the tab's
 * scope (spec mode: plus `mcp:whoami`, and `resource`). Returns whoami's answer.
 */
async function whoamiAfterLogin(
  page: Page,
  name: LogtoServerName,
  { transport, user }: { transport: Transport; user: LogtoUser },
): Promise<Record<string, unknown>> {
  const lab = logtoServerLab(name);
  const spec = lab.server.mode === 'spec';
  const { client } = await loginAndConnect(page, {
    serverUrl: lab.server.url,
    transport,
    credentials: user,
    provider: 'logto',
    oauthClient: {
      identity: { clientId: logtoAppId() },
      scope: spec ? `${lab.provider.scope} ${lab.server.whoamiScope}` : lab.provider.scope,
      redirectUri: lab.client.testRedirectUri,
      sendResource: spec,
    },
  });
  try {
    return await callWhoami(client);
  } finally {
    await client.close();
  }
}
