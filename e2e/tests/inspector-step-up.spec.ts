/**
 * Step-up (SEP-2350) in the real MCP Inspector 2.12.0, against the 2026-07-28 server (MCP_REVISION)
 * in a realm of its own: the Inspector starts with the catalog `lab up` writes (one entry,
 * `whoami-2026`, in the modern era), the learner types the Scopes the ready box prints, signs in,
 * runs whoami, then whoami-admin — which needs `whoami:admin`, a scope Keycloak gives only to
 * holders of the realm role `whoami-admin`. On the run's Keycloak: step-up.spec.ts proves the
 * clients' part, on 26.6+ with `resource-indicators` too (a Keycloak of its own, step-up-lab.ts).
 * Every step saves a screenshot under test-results/walkthrough/step-up-*; `npm run
 * screenshots:step-up` puts them into docs/step-up-and-roles.md.
 */
import path from 'node:path';
import type { Page } from '@playwright/test';
import { labInspectorServers } from '../../lab/inspector-catalog.ts';
import { expect, test } from '../support/fixtures.ts';
import { InspectorPage, walkthroughDir } from '../support/inspector-page.ts';
import { lab } from '../support/lab.ts';
import type { Credentials } from '../support/provider-login.ts';
import { startStepUpLab, stepUpKeycloakName, type StepUpLab } from '../support/step-up-lab.ts';
import { testPorts } from '../support/test-ports.ts';

let stepUp: StepUpLab;

// One Inspector port, registered as a redirect URI in Keycloak, and one realm: these tests take turns.
test.describe.configure({ mode: 'default' });
// The size of the docs' screenshots.
test.use({ viewport: { width: 1280, height: 800 } });
test.use({ inspectorServers: async ({}, use) => use(labInspectorServers(stepUp.config)) });

test.beforeAll(async () => {
  stepUp = await startStepUpLab({ prefix: 'inspector-step-up', port: testPorts.inspectorStepUpWhoami });
});
test.afterAll(async () => {
  await stepUp?.stop();
});

const serverId = 'whoami-2026';
const toolCount = 2;
const whoamiScope = lab.server.whoamiScope;
const adminScope = lab.server.adminScope;

/** A scope parameter as a sorted list: the Inspector orders the union as the token listed it. */
function scopes(scope: string | null | undefined): string[] {
  return (scope ?? '').split(/[ ,]+/).filter(Boolean).sort();
}

/** What the browser asked Keycloak's authorization endpoint, and whether Keycloak showed a page (200) or sent it straight back (302). */
interface AuthorizationRequest {
  url: URL;
  status: number;
}

/**
 * The learner's steps up to whoami's claims: the catalog entry's OAuth Settings (Scopes with
 * mcp:whoami, as the ready box says), Connect, sign in as `user`, whoami. Records every authorization request.
 */
async function signInAndRunWhoami(page: Page, inspectorUrl: string, user: Credentials, screenshots: string) {
  const authorizations: AuthorizationRequest[] = [];
  page.on('response', (response) => {
    const url = new URL(response.url());
    if (url.href.startsWith(`${stepUp.config.realm.issuer}/protocol/openid-connect/auth?`)) {
      authorizations.push({ url, status: response.status() });
    }
  });
  const inspectorPage = new InspectorPage(page, {
    checkpoint: `Step-up (${user.username})`,
    screenshotDir: path.join(walkthroughDir, screenshots),
    issuer: stepUp.config.realm.issuer,
  });

  await inspectorPage.open(inspectorUrl);
  await inspectorPage.expectOAuthClient(serverId, { clientId: lab.client.id, scopes: `${lab.client.scope} ${whoamiScope}` });
  await inspectorPage.connect(serverId);
  await inspectorPage.signIn(user);
  await inspectorPage.expectBackAuthorized(serverId);
  const whoami = await inspectorPage.runWhoami({ toolCount });
  await expect(whoami).toContainText(`"preferred_username": "${user.username}"`);
  // The Messages panel says which era the Inspector speaks: 2026-07-28, no handshake.
  await expect(page.getByText(/^modern$/i)).toBeVisible();

  expect(
    authorizations.map(({ url, status }) => [scopes(url.searchParams.get('scope')), url.searchParams.get('resource'), status]),
  ).toEqual([[scopes(`${lab.client.scope} ${whoamiScope}`), stepUp.server.url, 200]]);
  return { inspectorPage, authorizations };
}

test.describe(`the MCP Inspector ${lab.inspector.version} in the modern era, on ${stepUpKeycloakName(false)}`, () => {
  test('adminuser: whoami-admin asks for whoami:admin, the Inspector re-authorizes at Keycloak without a second sign-in, and the tool answers when run again', async ({
    page,
    inspector,
  }) => {
    const { inspectorPage, authorizations } = await signInAndRunWhoami(page, inspector.url, stepUp.config.adminUser, 'step-up-adminuser');

    const dialog = await inspectorPage.runToolNeedingStepUp('whoami-admin', { toolCount, scope: adminScope });
    await expect(dialog).toContainText('Re-authorizing with the union of your previously granted scopes');
    await inspectorPage.authorizeStepUp();
    await inspectorPage.expectStepUpSucceeded();
    // The union of what it had and the new scope, for the same resource; Keycloak's session
    // answers at once (302), no login page.
    expect(authorizations).toHaveLength(2);
    expect(scopes(authorizations[1]!.url.searchParams.get('scope'))).toEqual(scopes(`${lab.client.scope} ${whoamiScope} ${adminScope}`));
    expect(authorizations[1]!.url.searchParams.get('resource')).toBe(stepUp.server.url);
    expect(authorizations[1]!.status).toBe(302);

    // "Retry your action": the learner runs the tool again.
    const answer = await inspectorPage.runTool('whoami-admin', { toolCount, screenshot: '10-whoami-admin-result' });
    await expect(answer).toContainText('"admin": true');
    await expect(answer).toContainText(`"preferred_username": "${stepUp.config.adminUser.username}"`);
    await expect(answer).toContainText(new RegExp(`"scope": "[^"]*\\b${adminScope}\\b`));
    if (stepUp.resourceIndicators) await expect(answer).toContainText(`"aud": "${stepUp.server.url}"`);
    await inspectorPage.disconnect();
  });

  test('testuser: Keycloak leaves whoami:admin out, the Inspector says the permissions were not granted, and asks again on the next run', async ({
    page,
    inspector,
  }) => {
    const { inspectorPage, authorizations } = await signInAndRunWhoami(page, inspector.url, lab.user, 'step-up-testuser');

    await inspectorPage.runToolNeedingStepUp('whoami-admin', { toolCount, scope: adminScope });
    await inspectorPage.authorizeStepUp();
    const notice = await inspectorPage.expectStepUpNotGranted();
    expect(authorizations).toHaveLength(2);
    expect(authorizations[1]!.status).toBe(302);
    // Inspector 2.12.0 names every scope it asked for, the granted ones included, not the one missing.
    const listed = /required scopes were not granted \(([^)]*)\)/.exec(await notice.innerText())?.[1];
    expect(scopes(listed)).toEqual(scopes(`${lab.client.scope} ${whoamiScope} ${adminScope}`));
    await expect(notice).toContainText('Grant the requested permissions on the authorization server, then retry your action.');

    // It does not remember the refusal: the next run asks again.
    const dialog = await inspectorPage.runToolNeedingStepUp('whoami-admin', { toolCount, scope: adminScope });
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect(dialog).toBeHidden();
    await inspectorPage.disconnect();
  });
});
