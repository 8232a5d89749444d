/**
 * The tutorial's checkpoints, done in the real MCP Inspector's web UI the way a learner does them:
 * both checkpoints on the Node server over each transport, checkpoint 2 on the Python server over
 * SSE (as in the tutorial).
 * Every step saves a screenshot under test-results/walkthrough/; `npm run screenshots` puts them
 * into the README's walk-through.
 */
import path from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test } from '../support/fixtures.ts';
import { InspectorPage, walkthroughDir, type InspectorTransport } from '../support/inspector-page.ts';
import { lab, mcpEndpoint } from '../support/lab.ts';

// One Inspector port, registered as a redirect URI in Keycloak: these tests take turns.
test.describe.configure({ mode: 'default' });
// The size of the README's screenshots.
test.use({ viewport: { width: 1280, height: 800 } });

const transports: InspectorTransport[] = ['sse', 'streamable-http'];
const serverId = 'whoami';

for (const transport of transports) {
  test.describe(`in the MCP Inspector over ${transport}`, () => {
    test("checkpoint 1: without a Client ID, connecting fails: Keycloak refuses the Inspector's self-registration", async ({
      page,
      inspector,
    }) => {
      const inspectorPage = new InspectorPage(page, {
        checkpoint: 'Checkpoint 1',
        screenshotDir: path.join(walkthroughDir, `checkpoint-1-${transport}`),
      });

      await inspectorPage.open(inspector.url);
      await inspectorPage.addServer({ serverId, transport, url: mcpEndpoint(lab.whoamiUrl, transport).href });
      await inspectorPage.connect(serverId);

      // The tutorial's v1 server has no auth and whoami answers {"error": "Not authenticated"};
      // the lab's server answers 401, so the Inspector starts OAuth before it lists any tool.
      await inspectorPage.expectRegistrationRefused(serverId);
      await expect(page.getByTestId('tools-screen')).toHaveCount(0);
    });

    test('checkpoint 2: with Client ID and Scopes set, testuser signs in at Keycloak and whoami shows their claims', async ({
      page,
      inspector,
    }) => {
      await checkpointTwo(page, inspector.url, {
        serverUrl: lab.whoamiUrl,
        transport,
        checkpoint: 'Checkpoint 2',
        screenshots: `checkpoint-2-${transport}`,
      });
    });
  });
}

test.describe('the Python server in the MCP Inspector over SSE', () => {
  test('checkpoint 2: testuser signs in at Keycloak and whoami shows their claims, although the 401 carries no challenge', async ({
    page,
    inspector,
  }) => {
    await checkpointTwo(page, inspector.url, {
      serverUrl: lab.pythonWhoamiUrl,
      transport: 'sse',
      checkpoint: 'Checkpoint 2 (Python server)',
      screenshots: 'checkpoint-2-sse-python',
    });
  });
});

/** Checkpoint 2 as the tutorial has it: Client ID and scopes set, Connect, sign in, run whoami, see the claims. */
async function checkpointTwo(
  page: Page,
  inspectorUrl: string,
  {
    serverUrl,
    transport,
    checkpoint,
    screenshots,
  }: { serverUrl: string; transport: InspectorTransport; checkpoint: string; screenshots: string },
): Promise<void> {
  const inspectorPage = new InspectorPage(page, { checkpoint, screenshotDir: path.join(walkthroughDir, screenshots) });

  await inspectorPage.open(inspectorUrl);
  await inspectorPage.addServer({ serverId, transport, url: mcpEndpoint(serverUrl, transport).href });
  await inspectorPage.setOAuthClient(serverId, { clientId: lab.client.id, scopes: lab.client.scope });
  await inspectorPage.connect(serverId);
  await inspectorPage.signIn(lab.user);
  await inspectorPage.expectBackAuthorized(serverId);
  const result = await inspectorPage.runWhoami();

  await expect(result, `${checkpoint} › the result panel shows testuser's claims`).toContainText(
    `"preferred_username": "${lab.user.username}"`,
  );
  await expect(result, `${checkpoint} › the result panel shows testuser's claims`).toContainText(`"email": "${lab.user.email}"`);
  await inspectorPage.disconnect();
}
