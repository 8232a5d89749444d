/**
 * The Logto tab's settings (core/config.ts), the lines the ready box prints for it
 * (lab/summary.ts), and `lab doctor`'s lines for the Console's mistakes (lab/doctor/logto-checks.ts)
 * from answers made here. logto/*.spec.ts runs all of it against a real Logto.
 */
import { expect, test } from '@playwright/test';
import { labPorts, loadConfig, whoamiServerEnv } from '../../core/config.ts';
import type { Answer } from '../../lab/check/probes.ts';
import { formatResult } from '../../lab/doctor/check.ts';
import {
  apiResourceVerdict,
  applicationVerdict,
  logtoPortVerdict,
  redirectUriVerdict,
  userVerdict,
} from '../../lab/doctor/logto-checks.ts';
import { labSummary } from '../../lab/summary.ts';

const logto = loadConfig({ LAB_PROVIDER: 'logto', LOGTO_APP_ID: 'app123' });
const spec = loadConfig({ LAB_PROVIDER: 'logto', AUTH_MODE: 'spec', LOGTO_APP_ID: 'app123' });

function answer(status: number, body: unknown = ''): Answer {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return { status, headers: new Headers(), text, json: typeof body === 'string' ? undefined : body };
}

test.describe('LAB_PROVIDER=logto', () => {
  test("the issuer is Logto's endpoint with /oidc, on ports clear of the lab's; the App ID is the Client ID", () => {
    expect(logto.provider).toMatchObject({
      kind: 'logto',
      displayName: 'Logto',
      issuer: 'http://localhost:8083/oidc',
      type: 'oidc',
      clientId: 'app123',
      scope: 'openid profile email',
    });
    expect(logto.logto).toMatchObject({ url: 'http://localhost:8083', consoleUrl: 'http://localhost:8084/console', dbPort: 8085 });
    expect(labPorts(logto)).toEqual(expect.arrayContaining([8083, 8084, 8085, 3001]));
    expect(whoamiServerEnv(logto)).toMatchObject({ WHOAMI_ISSUER: 'http://localhost:8083/oidc', WHOAMI_AUTH_SERVER_TYPE: 'oidc' });
  });

  test('spec mode goes with Logto; dynamic registration, cimd and a classroom do not', () => {
    expect(spec.server.mode).toBe('spec');
    expect(() => loadConfig({ LAB_PROVIDER: 'logto', LAB_CLIENT_REGISTRATION: 'dynamic' })).toThrow(
      'LAB_PROVIDER=logto does not go with LAB_CLIENT_REGISTRATION=dynamic (Logto has no RFC 7591 registration)',
    );
    expect(() => loadConfig({ LAB_PROVIDER: 'logto', LAB_CLIENT_REGISTRATION: 'cimd' })).toThrow(
      'does not go with LAB_CLIENT_REGISTRATION=cimd',
    );
    expect(() => loadConfig({ LAB_PROVIDER: 'logto', LAB_PUBLIC_HOST: 'lab.example' })).toThrow('does not go with a classroom');
    expect(() => loadConfig({ LAB_PROVIDER: 'logto', LOGTO_PORT: '80a' })).toThrow('LOGTO_PORT must be a port number');
  });

  test('the ready box: Logto, its Console, the issuer, the App ID and why the Inspector needs spec mode', () => {
    const summary = labSummary(logto);

    expect(summary).toMatch(/Logto Console\s+http:\/\/localhost:8084\/console {2}\(admin \/ admin\)/);
    expect(summary).toMatch(/Issuer\s+http:\/\/localhost:8083\/oidc$/m);
    expect(summary).toMatch(/Inspector: Client ID\s+app123 {2}\(the App ID of the Single-page application "MCP Inspector"\)$/m);
    expect(summary).toMatch(/Inspector: Scope\s+openid profile email$/m);
    expect(summary).toContain('which Logto refuses (invalid_target)');
    expect(labSummary(spec)).toMatch(/Inspector: Scope\s+openid profile email mcp:whoami$/m);
    expect(labSummary(spec)).not.toContain('invalid_target');
  });
});

test.describe("lab doctor on the Logto tab: the Console's mistakes", () => {
  const app = {
    id: 'app123',
    name: 'MCP Inspector',
    type: 'SPA',
    oidcClientMetadata: { redirectUris: [logto.client.inspectorRedirectUri] },
  };

  test('Logto port: nothing there, a stranger, another issuer, Logto', () => {
    const discovery = answer(200, { issuer: 'http://localhost:8083/oidc' });

    expect(formatResult(logtoPortVerdict(logto, { error: 'ECONNREFUSED' }, { error: 'ECONNREFUSED' }))).toBe(
      '✗ Logto port 8083: nothing answers at http://localhost:8083 (ECONNREFUSED) — fix: start the lab with `LAB_PROVIDER=logto npm run lab`',
    );
    expect(formatResult(logtoPortVerdict(logto, answer(404), discovery))).toContain('taken by something else');
    expect(formatResult(logtoPortVerdict(logto, answer(204), answer(200, { issuer: 'http://localhost:9999/oidc' })))).toContain(
      'Logto there issues tokens as http://localhost:9999/oidc',
    );
    expect(formatResult(logtoPortVerdict(logto, answer(204), discovery))).toBe(
      '✓ Logto port 8083: Logto answers at http://localhost:8083, issuer http://localhost:8083/oidc',
    );
  });

  test('the application: missing, a Traditional web or Machine-to-machine app, a Single-page application', () => {
    expect(formatResult(applicationVerdict(logto, undefined))).toContain('no application "MCP Inspector" and none with the App ID app123');
    expect(formatResult(applicationVerdict(logto, { ...app, type: 'Traditional' }))).toContain(
      "wants a client secret: the Inspector's token request fails with invalid_client",
    );
    expect(formatResult(applicationVerdict(logto, { ...app, type: 'MachineToMachine' }))).toContain('has no sign-in');
    expect(formatResult(applicationVerdict(logto, app))).toBe('✓ application: "MCP Inspector", a Single-page application, App ID app123');
  });

  test("the redirect URIs without the Inspector's callback", () => {
    const without = { ...app, oidcClientMetadata: { redirectUris: ['http://localhost:3000/callback'] } };

    expect(formatResult(redirectUriVerdict(logto, without))).toContain(`not the Inspector's ${logto.client.inspectorRedirectUri}`);
    expect(redirectUriVerdict(logto, app).status).toBe('ok');
  });

  test('testuser and, in spec mode, the API resource, its permission and the role', () => {
    expect(formatResult(userVerdict(logto, false, undefined))).toContain('does not exist in Logto');
    expect(formatResult(userVerdict(logto, true, 422))).toContain('its password is not testpassword');
    expect(userVerdict(logto, true, 204).status).toBe('ok');
    expect(formatResult(apiResourceVerdict(spec, undefined, []))).toContain('invalid_target');
    expect(formatResult(apiResourceVerdict(spec, { id: 'r', scopes: [] }, []))).toContain('has no permission mcp:whoami');
    expect(formatResult(apiResourceVerdict(spec, { id: 'r', scopes: ['mcp:whoami'] }, []))).toContain('access_denied');
    expect(apiResourceVerdict(spec, { id: 'r', scopes: ['mcp:whoami'] }, ['mcp:whoami']).status).toBe('ok');
  });
});
