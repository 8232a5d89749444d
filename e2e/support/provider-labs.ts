/**
 * The providers tier's labs: the test lab playing the tutorial's "OIDC" and "OAuth 2" tabs, each
 * with the lab's own authorization server (lab/providers/) on a port of the tier's, and a Node and a
 * Python whoami server against it. providers-setup.ts starts them; the specs read the servers' URLs
 * from process.env, and everything else from here.
 */
import { withSettings, type LabConfig, type WhoamiSdk } from '../../core/config.ts';
import type { AuthServerKind } from '../../lab/providers/auth-server.ts';
import { labUser, type LabUser } from '../../lab/providers/lab-users.ts';
import { testLabConfig } from '../test-target.ts';
import { testPorts } from './test-ports.ts';

export type { AuthServerKind };
export const authServerKinds: readonly AuthServerKind[] = ['oidc', 'oauth'];
export const whoamiSdks: readonly WhoamiSdk[] = ['node', 'python'];

/** How test titles name the tabs, as the tutorial does. */
export const tabNames: Readonly<Record<AuthServerKind, string>> = { oidc: 'OIDC', oauth: 'OAuth 2' };

const base = testLabConfig();

/** The test lab with LAB_PROVIDER=kind: `provider` is that tab's authorization server, on the tier's port. */
export function providerLab(kind: AuthServerKind): LabConfig {
  return withSettings(base, {
    LAB_PROVIDER: kind,
    OIDC_PROVIDER_PORT: String(testPorts.oidcAuthServer),
    OAUTH_PROVIDER_PORT: String(testPorts.oauthAuthServer),
  });
}

/**
 * The port of the OIDC tab's server the zh-CN sign-in test starts with LAB_LOCALE=zh-CN
 * (providers/auth-server-zh-cn.spec.ts): beside the tier's others (+1 to +7), clear of Logto's (+11).
 */
export const chineseOidcAuthServerPort = base.keycloak.port + 8;

/** The whoami servers' ports, one per tab and SDK. */
export const whoamiPorts: Readonly<Record<AuthServerKind, Readonly<Record<WhoamiSdk, number>>>> = {
  oidc: { node: testPorts.oidcNodeWhoami, python: testPorts.oidcPythonWhoami },
  oauth: { node: testPorts.oauthNodeWhoami, python: testPorts.oauthPythonWhoami },
};

/**
 * The accounts of both authorization servers: the tutorial's testuser (the test lab's user, as in
 * Keycloak) and a second one, to tell one user's claims from another's.
 */
export const providerUsers = Object.freeze({
  testuser: labUser(base.user),
  second: labUser({
    username: 'seconduser',
    password: 'second-password',
    email: 'seconduser@example.com',
    firstName: 'Second',
    lastName: 'Learner',
  }),
}) satisfies Record<string, LabUser>;

/**
 * What the redirect URIs of the pre-registered `mcp-inspector` are: the Inspector's callback on the
 * tests' Inspector port, the CLI's, and the one the tests' MCP client uses.
 */
export function preRegisteredRedirectUris(config: LabConfig): string[] {
  return [...config.client.redirectUris];
}

/** The variable through which providers-setup.ts hands a whoami server's URL to the specs. */
export function whoamiUrlVariable(kind: AuthServerKind, sdk: WhoamiSdk): string {
  return `E2E_${kind.toUpperCase()}_${sdk.toUpperCase()}_WHOAMI_URL`;
}

/** The URL of the whoami server of tab `kind` and `sdk` that providers-setup.ts started. */
export function providerWhoamiUrl(kind: AuthServerKind, sdk: WhoamiSdk): string {
  const name = whoamiUrlVariable(kind, sdk);
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the tests through providers.config.ts (providers-setup.ts sets it)`);
  return value;
}

/**
 * What `whoami` returns for `user` on each tab: the OIDC tab's userinfo (scopes openid, profile,
 * email), the OAuth 2 tab's `GET /user` (scope profile: no email), shaped like GitHub's.
 */
export function expectedClaims(kind: AuthServerKind, user: LabUser): Record<string, unknown> {
  if (kind === 'oauth') return { sub: user.sub, login: user.username, name: user.claims.name };
  return { sub: user.sub, ...user.claims };
}
