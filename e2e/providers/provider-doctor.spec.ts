/**
 * `lab doctor` on the tutorial's "OIDC" and "OAuth 2" tabs (LAB_PROVIDER), as a learner runs it,
 * against the tier's running servers: on each tab a healthy lab, every line ✓ and exit 0; then one
 * mistake per tab, named on its own line: on the OIDC tab, the OAuth 2 tab's whoami server left on
 * the whoami port (it checks tokens with another issuer); on the OAuth 2 tab, its authorization
 * server not running (the checks that ask it are skipped).
 */
import { expect, test } from '@playwright/test';
import { withSettings } from '../../core/config.ts';
import { isPortOpen } from '../../core/ports.ts';
import { startWhoamiServer } from '../../lab/whoami-process.ts';
import { authServerKinds, providerLab, tabNames, whoamiPorts, type AuthServerKind } from '../support/provider-labs.ts';
import { checkNames, expectOnlyProblemCounted as expectOnlyProblem } from '../support/doctor-output.ts';
import { runLab, type CommandResult } from '../support/run-command.ts';
import { labWithServerOn, testPorts } from '../support/test-ports.ts';

/** `lab doctor` with LAB_PROVIDER=kind and the tier's ports, the whoami port that tab's Node server's unless told. */
function doctor(kind: AuthServerKind, settings: Record<string, string> = {}): Promise<CommandResult> {
  return runLab(['doctor'], {
    ...providerLab(kind).settings,
    WHOAMI_PORT: String(whoamiPorts[kind].node),
    WHOAMI_URL: '',
    ...settings,
  });
}

test.describe('lab doctor on the OIDC and OAuth 2 tabs', () => {
  for (const kind of authServerKinds) {
    const lab = providerLab(kind);
    const { issuer, port } = lab.provider;
    const whoamiPort = whoamiPorts[kind].node;

    test(`a healthy ${tabNames[kind]} lab: every check ok, no Keycloak check, exit 0`, async () => {
      const result = await doctor(kind);

      expect(result.exitCode, result.stdout + result.stderr).toBe(0);
      expect(result.stdout.trim().split('\n').at(-1)).toBe('No problems found.');
      expect(checkNames(result)).toEqual([
        `✓ ${kind === 'oidc' ? 'OIDC provider' : 'OAuth 2.0 server'} port ${port}`,
        '✓ metadata',
        ...(kind === 'oauth' ? ['✓ no OpenID discovery'] : []),
        `✓ client ${lab.provider.clientId}`,
        '✓ registration CORS',
        `✓ whoami port ${whoamiPort}`,
        '✓ issuer',
      ]);
      expect(result.stdout).toContain(
        kind === 'oidc'
          ? `✓ metadata: OpenID discovery at ${issuer}/.well-known/openid-configuration names ${issuer}, userinfo ${issuer}/me`
          : `✓ metadata: RFC 8414 metadata at ${issuer}/.well-known/oauth-authorization-server names ${issuer}`,
      );
      expect(result.stdout).toContain(
        `✓ client ${lab.provider.clientId}: exists and accepts the Inspector's redirect URI ${lab.client.inspectorRedirectUri}`,
      );
      expect(result.stdout).toContain(`✓ registration CORS: a page at ${lab.client.inspectorWebOrigin} may register`);
      expect(result.stdout).toContain(
        `✓ whoami port ${whoamiPort}: whoami Node.js SDK server in tutorial mode at http://localhost:${whoamiPort}`,
      );
      expect(result.stdout).toContain(`✓ issuer: ${issuer} (${lab.provider.displayName} and the whoami server agree)`);
      expect(result.stdout).not.toContain('Keycloak');
    });
  }

  test("the OIDC tab, with the OAuth 2 tab's whoami server on the whoami port: the issuer line names both issuers", async () => {
    const oauthWhoamiPort = whoamiPorts.oauth.node;

    const result = await doctor('oidc', { WHOAMI_PORT: String(oauthWhoamiPort) });

    expectOnlyProblem(
      result,
      'issuer',
      `the whoami server at http://localhost:${oauthWhoamiPort} checks tokens with ${providerLab('oauth').provider.issuer}`,
      `this lab's OIDC provider (LAB_PROVIDER=oidc) is ${providerLab('oidc').provider.issuer}`,
      '`LAB_PROVIDER=oidc npm run lab`',
    );
  });

  test('the OAuth 2 tab, its authorization server not running: the port line, and the checks that ask it skipped', async ({}, testInfo) => {
    // A whoami server that expects the OAuth 2.0 server on a port where nothing listens: the lab
    // after its authorization server stopped.
    const absentPort = testPorts.doctorAbsentAuthServer;
    expect(await isPortOpen(absentPort)).toBe(false);
    const settings = { OAUTH_PROVIDER_PORT: String(absentPort), WHOAMI_PORT: String(testPorts.providerDoctorWhoami) };
    const lab = withSettings(labWithServerOn(testPorts.providerDoctorWhoami, providerLab('oauth')), settings);
    const whoami = await startWhoamiServer(lab, { logPath: testInfo.outputPath('whoami-oauth.log') });
    try {
      const result = await doctor('oauth', settings);

      expectOnlyProblem(
        result,
        `OAuth 2.0 server port ${absentPort}`,
        `nothing answers at http://localhost:${absentPort}`,
        'start the lab with `LAB_PROVIDER=oauth npm run lab`',
      );
      for (const check of ['metadata', 'no OpenID discovery', `client ${lab.provider.clientId}`, 'registration CORS'])
        expect(result.stdout).toContain(`- ${check}: skipped (the OAuth 2.0 server is not on port ${absentPort})`);
      expect(result.stdout).toContain(`✓ issuer: http://localhost:${absentPort} (the OAuth 2.0 server and the whoami server agree)`);
    } finally {
      await whoami.stop();
    }
  });
});
