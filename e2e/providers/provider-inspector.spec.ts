/**
 * Checkpoint 2 of the tutorial's "OIDC" and "OAuth 2" tabs in the real MCP Inspector's web UI, the
 * way a learner does it: with the tab's Inspector settings, against the Node and the Python server.
 *
 *   OIDC     dynamic registration: no Client ID, the Inspector registers itself, then the consent page
 *   OAuth 2  the manual Client ID `mcp-inspector` and Scopes `profile`; and dynamic registration too
 *
 * Every step saves a screenshot under test-results/walkthrough/providers/, for the docs.
 */
import path from 'node:path';
import { expect, test } from '../support/fixtures.ts';
import { InspectorPage, walkthroughDir, type InspectorTransport } from '../support/inspector-page.ts';
import { mcpEndpoint } from '../support/lab.ts';
import { authServerKinds, providerLab, providerUsers, providerWhoamiUrl, tabNames, type AuthServerKind } from '../support/provider-labs.ts';

// One Inspector port, whose callback the authorization servers know: these tests take turns (and,
// by the `inspector` fixture's lock, with other tiers' Inspector tests).
test.describe.configure({ mode: 'default' });
// The size of the docs' screenshots.
test.use({ viewport: { width: 1280, height: 800 } });

interface Scenario {
  /** `manual`: the tab's Client ID and Scopes typed in; `dynamic`: nothing, the Inspector registers itself. */
  registration: 'manual' | 'dynamic';
  sdk: 'node' | 'python';
  transport: InspectorTransport;
}

const scenarios: Record<AuthServerKind, Scenario[]> = {
  oidc: [
    { registration: 'dynamic', sdk: 'node', transport: 'sse' },
    { registration: 'dynamic', sdk: 'python', transport: 'streamable-http' },
  ],
  oauth: [
    { registration: 'manual', sdk: 'node', transport: 'streamable-http' },
    { registration: 'manual', sdk: 'python', transport: 'sse' },
    { registration: 'dynamic', sdk: 'node', transport: 'sse' },
  ],
};
const serverId = 'whoami';

for (const kind of authServerKinds) {
  const { provider } = providerLab(kind);
  const user = providerUsers.testuser;

  test.describe(`the ${tabNames[kind]} tab in the MCP Inspector`, () => {
    for (const { registration, sdk, transport } of scenarios[kind]) {
      const how =
        registration === 'manual'
          ? `with Client ID ${provider.clientId} and Scopes "${provider.scope}"`
          : 'without a Client ID (it registers itself)';

      test(`${sdk === 'node' ? 'Node.js' : 'Python'} server over ${transport}: ${how}, testuser signs in and whoami shows their claims`, async ({
        page,
        inspector,
      }) => {
        const checkpoint = `Checkpoint 2 (${tabNames[kind]} tab)`;
        const inspectorPage = new InspectorPage(page, {
          checkpoint,
          screenshotDir: path.join(walkthroughDir, 'providers', `${kind}-${registration}-${sdk}-${transport}`),
          provider,
        });

        await inspectorPage.open(inspector.url);
        await inspectorPage.addServer({ serverId, transport, url: mcpEndpoint(providerWhoamiUrl(kind, sdk), transport).href });
        if (registration === 'manual')
          await inspectorPage.setOAuthClient(serverId, { clientId: provider.clientId, scopes: provider.scope });
        await inspectorPage.connect(serverId);
        await inspectorPage.signIn(user);
        // The pre-registered client is granted without asking; one that registered itself is asked.
        if (registration === 'dynamic') await inspectorPage.grantConsent('MCP Inspector');
        await inspectorPage.expectBackAuthorized(serverId);
        const result = await inspectorPage.runWhoami();

        const shows = `${checkpoint} › the result panel shows testuser's claims`;
        await expect(result, shows).toContainText(`"sub": "${user.sub}"`);
        if (kind === 'oidc') {
          await expect(result, shows).toContainText(`"preferred_username": "${user.username}"`);
          await expect(result, shows).toContainText(`"email": "${user.claims.email}"`);
        } else {
          // The OAuth 2 tab's user endpoint, shaped like GitHub's /user.
          await expect(result, shows).toContainText(`"login": "${user.username}"`);
          await expect(result, shows).toContainText(`"name": "${user.claims.name}"`);
        }
        await inspectorPage.disconnect();
      });
    }
  });
}
