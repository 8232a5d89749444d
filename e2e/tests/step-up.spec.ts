/**
 * Step-up with a role (SEP-2350) on the 2026-07-28 server (MCP_REVISION), against the real Keycloak
 * in a realm of its own: `whoami-admin` needs `whoami:admin`, which Keycloak puts into tokens only
 * for holders of the realm role `whoami-admin` (adminuser; testuser lacks it). The server's answers
 * by hand, then what each MCP SDK client does with them, signing in through a real browser. On
 * 26.6+ the realm is on a Keycloak of the tests' own with `resource-indicators` (step-up-lab.ts).
 * The Inspector's part: inspector-step-up.spec.ts; the story: docs/step-up-and-roles.md.
 */
import { StreamableHTTPClientTransport as Sdk1Transport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { InsufficientScopeError, StreamableHTTPClientTransport, UnauthorizedError } from '@modelcontextprotocol/client';
import type { Page } from '@playwright/test';
import { decodeJwt } from 'jose';
import { mcpEndpoint } from '../../lab/check/mcp-requests.ts';
import { parseBearerChallenge } from '../../lab/check/revision-2026/bearer-challenge.ts';
import { postModern } from '../../lab/check/revision-2026/modern-requests.ts';
import { expect, test } from '../support/fixtures.ts';
import { lab } from '../support/lab.ts';
import { signInAndCaptureCode, type Credentials } from '../support/provider-login.ts';
import {
  completeStepUp,
  connectModernAfterLogin,
  modernClient,
  recordingFetch,
  type Exchange,
  type ModernSession,
} from '../support/sdk2-login.ts';
import { loginAndConnect } from '../support/sdk-login.ts';
import { startStepUpLab, stepUpKeycloakName, stepUpWithResourceIndicators, type StepUpLab } from '../support/step-up-lab.ts';
import { testPorts } from '../support/test-ports.ts';
import { requestTokenAfterLogin } from '../support/token-request.ts';

let stepUp: StepUpLab;

// One realm and one server port for these tests: they take turns.
test.describe.configure({ mode: 'default' });

test.beforeAll(async () => {
  test.setTimeout(lab.keycloak.readyTimeoutMs + 60_000);
  stepUp = await startStepUpLab({ prefix: 'step-up', port: testPorts.revision2026Whoami, keycloakPort: testPorts.stepUpKeycloak });
});
test.afterAll(async () => {
  await stepUp?.stop();
});

const whoamiScope = lab.server.whoamiScope;
const adminScope = lab.server.adminScope;

/** A scope parameter as a sorted list: Keycloak and the SDKs order the same scopes differently. */
function scopes(scope: string | null | undefined): string[] {
  return (scope ?? '').split(' ').filter(Boolean).sort();
}

/** The parameters of a Bearer challenge, by name. */
function challengeParams(challenge: string | null): Record<string, string> {
  return parseBearerChallenge(challenge)?.params ?? {};
}

/** The challenges of the server's 403 answers, in order. */
function forbidden(exchanges: Exchange[]): Array<Record<string, string>> {
  return exchanges
    .filter(({ url, status }) => url.startsWith(stepUp.server.url) && status === 403)
    .map(({ challenge }) => challengeParams(challenge));
}

/** whoami or whoami-admin called by hand, as a 2026-07-28 client sends it (no initialize, no session). */
async function callToolByHand(name: string, token?: string) {
  const answer = await postModern(mcpEndpoint(stepUp.server.url, 'streamable-http'), 'tools/call', { name, arguments: {} }, { token });
  if ('error' in answer) throw new Error(`${stepUp.server.url} did not answer: ${answer.error}`);
  return { status: answer.status, challenge: answer.headers.get('www-authenticate'), text: answer.text };
}

/** The text of a tool's first content block, parsed. */
function toolJson(result: unknown): Record<string, unknown> {
  const [first] = (result as { content: Array<{ type: string; text: string }> }).content;
  return JSON.parse(first!.text) as Record<string, unknown>;
}

test.describe(`step-up on ${stepUpKeycloakName(stepUpWithResourceIndicators)}`, () => {
  test("the server's answers by hand: the 401 names mcp:whoami, whoami-admin's 403 names whoami:admin alone", async ({ page, browser }) => {
    const metadataUrl = `${stepUp.server.url}/.well-known/oauth-protected-resource`;
    const metadata = (await (await fetch(metadataUrl)).json()) as Record<string, unknown>;
    expect(metadata.scopes_supported).toEqual([whoamiScope, adminScope]);

    const noToken = await callToolByHand('whoami');
    expect(noToken.status).toBe(401);
    expect(challengeParams(noToken.challenge)).toEqual({ scope: whoamiScope, resource_metadata: metadataUrl });

    // Both users ask the tutorial's client for both scopes, signing in in a browser.
    const token = (credentials: Credentials, browserPage = page) =>
      requestTokenAfterLogin(browserPage, {
        issuer: stepUp.config.realm.issuer,
        clientId: lab.client.id,
        redirectUri: lab.client.testRedirectUri,
        scope: `openid ${whoamiScope} ${adminScope}`,
        credentials,
        authorizationResource: stepUp.server.url,
        tokenResource: stepUp.server.url,
      });
    const testuser = await token(lab.user);
    expect(testuser.status, JSON.stringify(testuser.body)).toBe(200);
    // No error: Keycloak leaves the role-limited scope out of the token.
    expect(scopes(String(decodeJwt(testuser.body.access_token!).scope))).toContain(whoamiScope);
    expect(scopes(String(decodeJwt(testuser.body.access_token!).scope))).not.toContain(adminScope);

    expect((await callToolByHand('whoami', testuser.body.access_token)).status).toBe(200);
    const refused = await callToolByHand('whoami-admin', testuser.body.access_token);
    expect(refused.status).toBe(403);
    expect(refused.challenge).toBe(
      `Bearer error="insufficient_scope", error_description="Insufficient scope", scope="${adminScope}", resource_metadata="${metadataUrl}"`,
    );

    const adminContext = await browser.newContext();
    try {
      const adminuser = await token(stepUp.config.adminUser, await adminContext.newPage());
      expect(scopes(String(decodeJwt(adminuser.body.access_token!).scope))).toEqual(expect.arrayContaining([whoamiScope, adminScope]));
      const answered = await callToolByHand('whoami-admin', adminuser.body.access_token);
      expect(answered.status).toBe(200);
      expect(answered.text).toContain('\\"admin\\":true');
    } finally {
      await adminContext.close();
    }
  });

  test.describe('the MCP SDK 2.x client (@modelcontextprotocol/client), pinned to 2026-07-28', () => {
    /** Signed in through Keycloak's page as `credentials`, recording the SDK's HTTP exchanges. */
    async function signedIn(page: Page, credentials: Credentials) {
      const { fetch, exchanges } = recordingFetch();
      const session = await connectModernAfterLogin(page, {
        serverUrl: stepUp.server.url,
        credentials,
        clientId: lab.client.id,
        redirectUri: lab.client.testRedirectUri,
        fetch,
      });
      expect(session.client.getNegotiatedProtocolVersion()).toBe('2026-07-28');
      // The login asks for what the 401 named, and names the server as the resource.
      const [login] = session.provider.authorizations;
      expect(login!.searchParams.get('scope')).toBe(whoamiScope);
      expect(login!.searchParams.get('resource')).toBe(stepUp.server.url);
      return { session, exchanges };
    }

    /** Calls whoami-admin: on the 403 the SDK sends the browser to Keycloak, and the call ends (UnauthorizedError). */
    async function expectReauthorization({ client, provider }: ModernSession): Promise<URL> {
      const asked = provider.authorizations.length;
      await expect(client.callTool({ name: 'whoami-admin', arguments: {} })).rejects.toBeInstanceOf(UnauthorizedError);
      expect(provider.authorizations).toHaveLength(asked + 1);
      return provider.authorizations.at(-1)!;
    }

    test('adminuser: whoami answers; whoami-admin re-authorizes with the union of scopes, and then answers', async ({ page }) => {
      const { session, exchanges } = await signedIn(page, stepUp.config.adminUser);
      const whoami = toolJson(await session.client.callTool({ name: 'whoami', arguments: {} }));
      expect(whoami.preferred_username).toBe(stepUp.config.adminUser.username);

      const stepUpUrl = await expectReauthorization(session);
      expect(forbidden(exchanges)).toEqual([expect.objectContaining({ error: 'insufficient_scope', scope: adminScope })]);
      // The union: what was asked and granted (Keycloak's token response lists profile and email
      // too) plus the new scope; no offline_access and no consent prompt (no refresh_token grant).
      expect(scopes(stepUpUrl.searchParams.get('scope'))).toEqual(scopes(`profile email ${whoamiScope} ${adminScope}`));
      expect(stepUpUrl.searchParams.get('resource')).toBe(stepUp.server.url);
      expect(stepUpUrl.searchParams.get('prompt')).toBeNull();

      await completeStepUp(session);
      const claims = decodeJwt(session.provider.tokens()!.access_token);
      expect(scopes(String(claims.scope))).toEqual(expect.arrayContaining([whoamiScope, adminScope]));
      if (stepUp.resourceIndicators) expect(claims.aud).toBe(stepUp.server.url);
      else expect([claims.aud].flat()).toContain(stepUp.server.url);

      const answer = toolJson(await session.client.callTool({ name: 'whoami-admin', arguments: {} }));
      expect(answer).toMatchObject({ admin: true, claims: { preferred_username: stepUp.config.adminUser.username } });
      await session.client.close();
    });

    test('testuser: the new token lacks whoami:admin, the 403 stands, and the SDK would ask again on every call', async ({ page }) => {
      const { session, exchanges } = await signedIn(page, lab.user);
      const stepUpUrl = await expectReauthorization(session);
      await completeStepUp(session);
      expect(scopes(session.provider.tokens()!.scope)).not.toContain(adminScope);

      // The retried call meets the same 403, and the SDK asks for the same scopes again: its retry
      // limit (maxStepUpRetries) counts within one call, and each re-authorization ends that call.
      // An app that drives the browser itself has to stop on its own.
      const again = await expectReauthorization(session);
      expect(forbidden(exchanges)).toEqual([
        expect.objectContaining({ error: 'insufficient_scope', scope: adminScope }),
        expect.objectContaining({ error: 'insufficient_scope', scope: adminScope }),
      ]);
      expect(scopes(again.searchParams.get('scope'))).toEqual(scopes(stepUpUrl.searchParams.get('scope')));

      // How an app stops: `onInsufficientScope: 'throw'` ends the call with the challenge instead.
      const transport = new StreamableHTTPClientTransport(mcpEndpoint(stepUp.server.url, 'streamable-http'), {
        authProvider: session.provider,
        onInsufficientScope: 'throw',
      });
      const client = modernClient();
      await client.connect(transport);
      const error = await client.callTool({ name: 'whoami-admin', arguments: {} }).then(
        () => undefined,
        (thrown: unknown) => thrown,
      );
      expect(error).toBeInstanceOf(InsufficientScopeError);
      expect((error as InsufficientScopeError).requiredScope).toBe(adminScope);
      await client.close();
      await session.client.close();
    });
  });

  test.describe('the MCP SDK 1.32 client (@modelcontextprotocol/sdk): known limitations, pinned so that a fix is noticed', () => {
    /** adminuser signed in with the SDK 1.x client, as checkpoint 2 does it, recording its HTTP exchanges. */
    async function signedIn(page: Page) {
      const { fetch, exchanges } = recordingFetch();
      const { client, provider } = await loginAndConnect(page, {
        serverUrl: stepUp.server.url,
        transport: 'streamable-http',
        credentials: stepUp.config.adminUser,
        oauthClient: { identity: { clientId: lab.client.id }, scope: lab.client.scope, redirectUri: lab.client.testRedirectUri },
        fetch,
      });
      return { client, provider, exchanges };
    }

    test('with the refresh token Keycloak gives it, it refreshes instead of asking Keycloak for the scope, and gives up at the same 403', async ({
      page,
    }) => {
      const { client, provider, exchanges } = await signedIn(page);
      const login = provider.authorizationUrl;
      const before = exchanges.length;

      // A refresh cannot widen a grant (RFC 6749 §6): the new token is like the old one.
      await expect(client.callTool({ name: 'whoami-admin', arguments: {} })).rejects.toThrow('Server returned 403 after trying upscoping');
      const during = exchanges.slice(before);
      expect(during.filter(({ grantType }) => grantType).map(({ grantType }) => grantType)).toEqual(['refresh_token']);
      expect(forbidden(during).map(({ scope }) => scope)).toEqual([adminScope, adminScope]);
      expect(provider.authorizationUrl, 'no new authorization request').toBe(login);
      expect(scopes(provider.tokens()!.scope)).not.toContain(adminScope);
      await client.close();
    });

    test('without a refresh token it asks for whoami:admin alone (the scope replaced, not unioned), then for mcp:whoami alone: a loop', async ({
      page,
    }) => {
      const { client, provider, exchanges } = await signedIn(page);
      // A client that keeps no refresh token (the research's authorization server issued none).
      const forgetRefreshToken = () => {
        const { refresh_token: _dropped, ...withoutRefresh } = provider.tokens()!;
        provider.saveTokens(withoutRefresh);
      };
      forgetRefreshToken();
      const finishAuth = async () => {
        const code = await signInAndCaptureCode(page, provider.authorizationUrl!, lab.client.testRedirectUri, stepUp.config.adminUser);
        await new Sdk1Transport(mcpEndpoint(stepUp.server.url, 'streamable-http'), { authProvider: provider }).finishAuth(code);
        forgetRefreshToken();
      };

      await expect(client.callTool({ name: 'whoami-admin', arguments: {} })).rejects.toThrow('Unauthorized');
      expect(provider.authorizationUrl!.searchParams.get('scope')).toBe(adminScope);
      await finishAuth();
      // adminuser's token now has whoami:admin and lost mcp:whoami, which every request needs.
      expect(scopes(provider.tokens()!.scope)).toContain(adminScope);
      expect(scopes(provider.tokens()!.scope)).not.toContain(whoamiScope);

      // Bounded here: the next round would ask for whoami:admin alone again, and so on.
      await expect(client.callTool({ name: 'whoami-admin', arguments: {} })).rejects.toThrow('Unauthorized');
      expect(provider.authorizationUrl!.searchParams.get('scope')).toBe(whoamiScope);
      expect(forbidden(exchanges).map(({ scope }) => scope)).toEqual([adminScope, whoamiScope]);
      await client.close();
    });
  });
});
