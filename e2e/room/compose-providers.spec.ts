/**
 * The docker compose stack playing the tutorial's OIDC and OAuth 2 tabs (E2E_TARGET=compose only):
 * `LAB_PROVIDER=oidc docker compose up` (and oauth) starts the lab's own authorization server, no
 * Keycloak, with the same whoami server and Inspector in its network namespace, so that the issuer
 * is one URL for this machine and the containers. Each tab is a project of its own beside the one
 * the compose suite runs against, on ports 60 (oidc) and 70 (oauth) above it; both tabs can run at
 * once. See docker-compose.yml and docs/compose.md, "The OIDC and OAuth 2 tabs".
 */
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { repoRoot, withSettings, type LabConfig } from '../../core/config.ts';
import { runCommand } from '../../core/process.ts';
import { poll } from '../../core/wait.ts';
import { formatSeconds } from '../../lab/progress.ts';
import { labUser } from '../../lab/providers/lab-users.ts';
import { compose, nodeInRunningService, printJson } from '../support/compose.ts';
import type { Transport } from '../support/lab.ts';
import { authServerKinds, expectedClaims, tabNames, type AuthServerKind } from '../support/provider-labs.ts';
import { callWhoami, loginAndConnect } from '../support/sdk-login.ts';
import { testLabConfig } from '../test-target.ts';

const base = testLabConfig();
const mainProject = process.env.COMPOSE_PROJECT_NAME ?? path.basename(repoRoot);
/** Each tab's project sits this far above the suite's stack, on every port it publishes. */
const portOffset: Readonly<Record<AuthServerKind, number>> = { oidc: 60, oauth: 70 };
const portSettingOf = { oidc: 'OIDC_PROVIDER_PORT', oauth: 'OAUTH_PROVIDER_PORT' } as const satisfies Record<AuthServerKind, string>;
/** Each tab's services in docker-compose.yml. */
const servicesOf: Readonly<Record<AuthServerKind, { authServer: string; whoami: string; inspector: string }>> = {
  oidc: { authServer: 'oidc-provider', whoami: 'oidc-whoami', inspector: 'oidc-inspector' },
  oauth: { authServer: 'oauth-server', whoami: 'oauth-whoami', inspector: 'oauth-inspector' },
};

/** One tab's compose project: what the learner sets, and the lab those settings make (core/config.ts). */
interface TabStack {
  kind: AuthServerKind;
  project: string;
  composeEnv: Record<string, string>;
  tab: LabConfig;
  services: { authServer: string; whoami: string; inspector: string };
}

function tabStack(kind: AuthServerKind): TabStack {
  const offset = portOffset[kind];
  const composeEnv = {
    COMPOSE_PROJECT_NAME: `${mainProject}-${kind}`,
    LAB_PROVIDER: kind,
    WHOAMI_SDK: 'node',
    WHOAMI_PORT: String(base.server.port + offset),
    INSPECTOR_PORT: String(base.inspector.port + offset),
    [portSettingOf[kind]]: String(withSettings(base, { LAB_PROVIDER: kind }).provider.port! + offset),
  };
  return {
    kind,
    project: composeEnv.COMPOSE_PROJECT_NAME,
    composeEnv,
    tab: withSettings(base, { ...composeEnv, WHOAMI_URL: '', INSPECTOR_URL: '' }),
    services: servicesOf[kind],
  };
}

interface Metadata {
  issuer: string;
  token_endpoint: string;
}

for (const stack of authServerKinds.map(tabStack)) {
  const { kind, project, composeEnv, tab, services } = stack;
  const { issuer, displayName } = tab.provider;
  const user = labUser(tab.user);

  test.describe(`LAB_PROVIDER=${kind} docker compose up: the ${tabNames[kind]} tab`, () => {
    test.describe.configure({ mode: 'default' });

    test.beforeAll(async ({}, testInfo) => {
      testInfo.setTimeout(240_000);
      const startedAt = performance.now();
      const up = await compose(['up', '-d'], 240_000, composeEnv);
      expect(up.exitCode, up.stderr).toBe(0);
      await whoamiHealthy(stack, 'node');
      console.log(`[compose-providers] ${project}: the ${tabNames[kind]} tab up in ${formatSeconds(performance.now() - startedAt)}`);
    });

    test.afterAll(async () => {
      await compose(['down', '-v', '--remove-orphans'], 120_000, composeEnv);
    });

    test(`only the tab's services run: ${services.authServer}, ${services.whoami}, ${services.inspector}, no Keycloak`, async () => {
      const running = await runCommand('docker', [
        'ps',
        '--filter',
        `label=com.docker.compose.project=${project}`,
        '--format',
        '{{.Label "com.docker.compose.service"}}',
      ]);

      expect(running.stdout.trim().split('\n').sort()).toEqual([services.authServer, services.inspector, services.whoami].sort());
    });

    test(`one issuer, ${issuer}: from this machine, inside the whoami container, and in the metadata whoami republishes`, async ({
      request,
    }) => {
      const fromHere = (await (await request.get(`${issuer}/.well-known/oauth-authorization-server`)).json()) as Metadata;
      const fromWhoami = await nodeInRunningService<Metadata>(
        services.whoami,
        printJson(`(await fetch('${issuer}/.well-known/oauth-authorization-server')).json()`),
        composeEnv,
      );
      const republished = (await (await request.get(`${tab.server.url}/.well-known/oauth-authorization-server`)).json()) as Metadata;

      expect(fromHere.issuer).toBe(issuer);
      expect(fromWhoami.issuer).toBe(issuer);
      expect(republished.issuer).toBe(issuer);
      expect(republished.token_endpoint).toBe(`${issuer}/token`);
    });

    test(`checkpoint 2, Node server: testuser signs in at ${displayName} through the MCP SDK and whoami returns the tab's claims`, async ({
      page,
    }) => {
      expect(await whoamiAfterLogin(page, stack, 'streamable-http')).toEqual(expectedClaims(kind, user));
    });

    test(`the Inspector container's backend reaches whoami at localhost:${tab.server.port} and ${displayName} at ${issuer}`, async () => {
      const seen = await nodeInRunningService<{ whoami: number; metadataIssuer: string; tokenAnswer: { error?: string } }>(
        services.inspector,
        printJson(`(async () => {
        const whoami = await fetch('http://localhost:${tab.server.port}/mcp', { method: 'POST' });
        const metadata = await (await fetch('http://localhost:${tab.server.port}/.well-known/oauth-authorization-server')).json();
        const token = await fetch(metadata.token_endpoint, { method: 'POST', body: new URLSearchParams({ grant_type: 'authorization_code', client_id: '${tab.provider.clientId}' }) });
        return { whoami: whoami.status, metadataIssuer: metadata.issuer, tokenAnswer: await token.json() };
      })()`),
        composeEnv,
      );

      expect(seen.whoami).toBe(401);
      expect(seen.metadataIssuer).toBe(issuer);
      // The token endpoint itself answered (no code sent on purpose), not a network error.
      expect(seen.tokenAnswer.error).toBe('invalid_request');
    });

    test(`checkpoint 2, Python server: WHOAMI_SDK=python recreates ${services.whoami} only, and whoami returns the same claims`, async ({
      page,
    }) => {
      const authServerBefore = await containerId(stack, services.authServer);
      const recreated = await compose(['up', '-d', '--no-deps', services.whoami], 240_000, { ...composeEnv, WHOAMI_SDK: 'python' });
      expect(recreated.exitCode, recreated.stderr).toBe(0);
      await whoamiHealthy(stack, 'python');

      expect(await containerId(stack, services.authServer)).toBe(authServerBefore);
      expect(await whoamiAfterLogin(page, stack, 'sse')).toEqual(expectedClaims(kind, user));
    });
  });
}

/** Waits until the tab's whoami server answers /healthz as the server of `sdk`, with the tab's issuer. */
async function whoamiHealthy({ tab }: TabStack, sdk: 'node' | 'python'): Promise<void> {
  await poll(
    async () => {
      const health = (await fetch(`${tab.server.url}/healthz`)
        .then((response) => response.json())
        .catch((error: unknown) => ({ error: String(error) }))) as { sdk?: string; issuer?: string };
      return health.sdk === sdk && health.issuer === tab.provider.issuer
        ? health
        : { pending: `/healthz answered ${JSON.stringify(health)}` };
    },
    { timeoutMs: 120_000, intervalMs: 500 },
  );
}

/** Checkpoint 2 by the MCP SDK's client, with the pre-registered client and the tab's scope: whoami's answer. */
async function whoamiAfterLogin(page: Page, { kind, tab }: TabStack, transport: Transport): Promise<Record<string, unknown>> {
  const { client } = await loginAndConnect(page, {
    serverUrl: tab.server.url,
    transport,
    credentials: labUser(tab.user),
    provider: kind,
    oauthClient: {
      identity: { clientId: tab.provider.clientId },
      scope: tab.provider.scope,
      redirectUri: tab.client.testRedirectUri,
    },
  });
  try {
    return await callWhoami(client);
  } finally {
    await client.close();
  }
}

async function containerId({ composeEnv }: TabStack, service: string): Promise<string> {
  return (await compose(['ps', '-q', service], 60_000, composeEnv)).stdout.trim();
}
