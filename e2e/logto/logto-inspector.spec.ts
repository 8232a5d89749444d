/**
 * Checkpoint 2 of the tutorial's Logto tab in the real MCP Inspector's web UI, on Logto's own
 * sign-in page. Inspector 2.x always asks for a token for the server (`resource`, RFC 8707), which
 * Logto grants only for a server registered as an API resource — so the Inspector passes in spec
 * mode (the API resource, its `mcp:whoami` permission and a role for testuser), and in tutorial
 * mode it is refused before the sign-in page, pinned below, as docs/providers.md explains.
 *
 * Every step saves a screenshot under test-results/walkthrough/providers/, for the docs.
 */
import path from 'node:path';
import { expect, test } from '../support/fixtures.ts';
import { InspectorPage, walkthroughDir, type InspectorTransport } from '../support/inspector-page.ts';
import { mcpEndpoint } from '../support/lab.ts';
import { logtoAppId, logtoServerLab, logtoUsers, type LogtoServerName } from '../support/logto-lab.ts';

// One Inspector port, whose callback the App knows: these tests take turns.
test.describe.configure({ mode: 'default' });
test.use({ viewport: { width: 1280, height: 800 } });

const serverId = 'whoami';
const user = logtoUsers.testuser;

test.describe('the Logto tab in the MCP Inspector', () => {
  for (const [name, transport] of [
    ['spec', 'sse'],
    ['spec', 'streamable-http'],
    ['pythonSpec', 'sse'],
  ] as const satisfies Array<[LogtoServerName, InspectorTransport]>) {
    test(`spec mode, ${name === 'spec' ? 'Node.js' : 'Python'} server over ${transport}: Client ID the App ID, Scopes with mcp:whoami, testuser signs in on Logto's page and whoami shows their claims`, async ({
      page,
      inspector,
    }) => {
      const lab = logtoServerLab(name);
      const inspectorPage = await openWithServer(page, inspector.url, name, transport);

      await inspectorPage.connect(serverId);
      await inspectorPage.signIn(user);
      await inspectorPage.expectBackAuthorized(serverId);
      const result = await inspectorPage.runWhoami();

      const shows = "Checkpoint 2 (Logto tab) › the result panel shows the claims of testuser's token";
      await expect(result, shows).toContainText(`"aud": "${lab.server.resourceUrl}"`);
      await expect(result, shows).toContainText(`"client_id": "${logtoAppId()}"`);
      await expect(result, shows).toContainText(lab.server.whoamiScope);
      await inspectorPage.disconnect();
    });
  }

  for (const name of ['node', 'python'] as const satisfies LogtoServerName[]) {
    test(`tutorial mode, ${name === 'node' ? 'Node.js' : 'Python'} server: Logto refuses the Inspector's resource (invalid_target) before the sign-in page`, async ({
      page,
      inspector,
    }) => {
      const inspectorPage = await openWithServer(page, inspector.url, name, 'streamable-http');
      const callbacks: URL[] = [];
      page.on('request', (request) => {
        if (request.url().startsWith(`${inspector.url}/oauth/callback`)) callbacks.push(new URL(request.url()));
      });

      await inspectorPage.connect(serverId);

      await expect(page.getByText(/resource indicator is missing, or unknown/).first()).toBeVisible();
      await inspectorPage.screenshot('05-logto-invalid-target');
      expect(callbacks.map((url) => url.searchParams.get('error'))).toContain('invalid_target');
    });
  }
});

/** The Inspector with server `name` added, the App ID as Client ID and the tab's scopes (spec mode: plus mcp:whoami). */
async function openWithServer(
  page: import('@playwright/test').Page,
  inspectorUrl: string,
  name: LogtoServerName,
  transport: InspectorTransport,
): Promise<InspectorPage> {
  const lab = logtoServerLab(name);
  const inspectorPage = new InspectorPage(page, {
    checkpoint: 'Checkpoint 2 (Logto tab)',
    screenshotDir: path.join(walkthroughDir, 'providers', `logto-${name}-${transport}`),
    provider: lab.provider,
  });
  const scopes = lab.server.mode === 'spec' ? `${lab.provider.scope} ${lab.server.whoamiScope}` : lab.provider.scope;
  await inspectorPage.open(inspectorUrl);
  await inspectorPage.addServer({ serverId, transport, url: mcpEndpoint(lab.server.url, transport).href });
  await inspectorPage.setOAuthClient(serverId, { clientId: logtoAppId(), scopes });
  return inspectorPage;
}
