/**
 * `lab doctor` against the real Keycloak: a healthy lab of its own (a realm and a spec-mode whoami
 * server on their own port), then each classic mistake made on purpose, found, and put back.
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import path from 'node:path';
import { repoRoot, withSettings, type LabConfig } from '../../core/config.ts';
import { startWhoamiServer, type StartedWhoamiServer } from '../../lab/whoami-process.ts';
import { freshAdmin } from '../support/realm-lab.ts';
import { ensureCimdPolicy } from '../../provisioning/ensure-cimd-policy.ts';
import { registrationPolicyType } from '../../provisioning/ensure-registration-policies.ts';
import { readKeycloakServer } from '../../provisioning/keycloak-server.ts';
import { provisionLab } from '../../provisioning/provision.ts';
import { expect, test } from '../support/fixtures.ts';
import { lab } from '../support/lab.ts';
import { expectOnlyProblem } from '../support/doctor-output.ts';
import { runLab, type CommandResult } from '../support/run-command.ts';
import { labWithServerOn, testPorts } from '../support/test-ports.ts';

const realmName = `doctor-${randomBytes(4).toString('hex')}`;
const doctorLab: LabConfig = withSettings(labWithServerOn(testPorts.doctorWhoami), { KEYCLOAK_REALM: realmName, AUTH_MODE: 'spec' });
/** The environment `lab doctor` runs with: the doctor's realm and whoami port. */
const doctorEnv = { KEYCLOAK_REALM: realmName, WHOAMI_PORT: String(testPorts.doctorWhoami), WHOAMI_URL: '' };
const logDir = path.join(repoRoot, 'test-results', 'logs');

let server: StartedWhoamiServer;

function doctor(env: Record<string, string> = {}): Promise<CommandResult> {
  return runLab(['doctor'], { ...doctorEnv, ...env });
}

test.describe('lab doctor', () => {
  test.describe.configure({ mode: 'default' });

  test.beforeAll(async () => {
    await provisionLab(await freshAdmin(), doctorLab);
    server = await startDoctorServer();
  });

  test.afterAll(async () => {
    await server?.stop();
    await (await freshAdmin()).realms.del({ realm: realmName });
  });

  test.afterEach(async () => {
    // Put back whatever a test broke, the tutorial's profile included; provisioning repairs drift.
    await provisionLab(await freshAdmin(), doctorLab);
  });

  test('a healthy lab: every check ok, exit 0', async () => {
    const result = await doctor();

    expect(result.exitCode, result.stdout + result.stderr).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines.at(-1)).toBe('No problems found.');
    expect(
      lines.slice(0, -1).every((line) => line.startsWith('✓ ')),
      result.stdout,
    ).toBe(true);
    for (const check of [
      'Keycloak port',
      'Keycloak ready',
      'whoami port',
      'realm language',
      'issuer',
      'redirect URI',
      'web origin',
      'audience',
      `user ${lab.user.username}`,
    ]) {
      expect(result.stdout).toContain(`✓ ${check}`);
    }
    expect(result.stdout).toContain(
      `✓ whoami port ${testPorts.doctorWhoami}: whoami Node.js SDK server in spec mode at http://localhost:${testPorts.doctorWhoami}`,
    );
  });

  test('the Python server on the whoami port: doctor names it, and finds nothing wrong', async () => {
    await server.stop();
    const python = await startDoctorServer({ WHOAMI_SDK: 'python', AUTH_MODE: 'tutorial' });
    try {
      const result = await doctor();

      expect(result.exitCode, result.stdout + result.stderr).toBe(0);
      expect(result.stdout).toContain(
        `✓ whoami port ${testPorts.doctorWhoami}: whoami Python SDK server in tutorial mode at http://localhost:${testPorts.doctorWhoami}`,
      );
      expect(result.stdout).toContain(`✓ issuer: ${doctorLab.realm.issuer} (Keycloak and the whoami server agree)`);
    } finally {
      await python.stop();
      server = await startDoctorServer();
    }
  });

  test("the Docker host-name trap: the server expects another issuer than Keycloak's", async () => {
    // A server that reaches Keycloak as 127.0.0.1, and so expects tokens issued as 127.0.0.1;
    // Keycloak's public URL (and issuer) says localhost.
    await server.stop();
    const trapped = await startDoctorServer({ KEYCLOAK_URL: `http://127.0.0.1:${lab.keycloak.port}` });
    try {
      const result = await doctor();

      expectOnlyProblem(
        result,
        'issuer',
        `Keycloak issues tokens as ${doctorLab.realm.issuer}`,
        `http://127.0.0.1:${lab.keycloak.port}/realms/${realmName}`,
        'KC_HOSTNAME',
      );
    } finally {
      await trapped.stop();
      server = await startDoctorServer();
    }
  });

  test('aud missing the resource: the audience mapper was removed', async () => {
    const admin = await freshAdmin();
    const scope = await admin.clientScopes.findOneByName({ realm: realmName, name: lab.server.whoamiScope });
    for (const mapper of await admin.clientScopes.listProtocolMappers({ realm: realmName, id: scope!.id! })) {
      await admin.clientScopes.delProtocolMapper({ realm: realmName, id: scope!.id!, mapperId: mapper.id! });
    }

    expectOnlyProblem(await doctor(), 'audience', 'carry no matching aud', 'npm run provision');
  });

  test("the client's redirect URI and web origin do not match the Inspector's", async () => {
    const admin = await freshAdmin();
    const [client] = await admin.clients.find({ realm: realmName, clientId: lab.client.id });
    await admin.clients.update(
      { realm: realmName, id: client!.id! },
      { ...client, redirectUris: ['http://localhost:5173/callback'], webOrigins: ['http://localhost:5173'] },
    );

    const result = await doctor();

    expect(result.exitCode).toBe(1);
    expect(result.stdout).toContain(`✗ redirect URI: ${lab.client.id} does not accept the Inspector's ${lab.client.inspectorRedirectUri}`);
    expect(result.stdout).toContain(`✗ web origin: ${lab.client.id} does not allow ${lab.client.inspectorWebOrigin}`);
    expect(result.stdout.split('\n').filter((line) => line.startsWith('✗ '))).toHaveLength(2);
  });

  test('the user is stopped at a required action', async () => {
    const admin = await freshAdmin();
    const [user] = await admin.users.find({ realm: realmName, username: lab.user.username, exact: true });
    await admin.users.update({ realm: realmName, id: user!.id! }, { ...user, requiredActions: ['UPDATE_PASSWORD'] });

    expectOnlyProblem(await doctor(), `user ${lab.user.username}`, 'required action UPDATE_PASSWORD');
  });

  test('Keycloak not ready: its health endpoint answers 503', async () => {
    await withHttpServer(testPorts.doctorSquatter, 503, '{"status":"DOWN"}', async () => {
      const result = await doctor({ KEYCLOAK_MANAGEMENT_PORT: String(testPorts.doctorSquatter) });

      expect(result.exitCode).toBe(1);
      expect(result.stdout).toContain(`✗ Keycloak ready: http://localhost:${testPorts.doctorSquatter}/health/ready answers HTTP 503`);
      expect(result.stdout).toContain('- audience: skipped (Keycloak not ready)');
    });
  });

  test('a port taken by something else', async () => {
    await server.stop();
    try {
      await withHttpServer(testPorts.doctorWhoami, 404, 'Cannot GET /healthz', async () => {
        const result = await doctor();

        expectOnlyProblem(
          result,
          `whoami port ${testPorts.doctorWhoami}`,
          'taken by something else',
          `ss -ltnp 'sport = :${testPorts.doctorWhoami}'`,
        );
      });
    } finally {
      server = await startDoctorServer();
    }
  });

  test.describe('LAB_CLIENT_REGISTRATION=dynamic', () => {
    const dynamicEnv = { LAB_CLIENT_REGISTRATION: 'dynamic' };
    const dynamicLab = withSettings(doctorLab, dynamicEnv);
    /** What the Inspector 2.12.0 sends when it registers itself. */
    const inspectorRegistration = {
      redirect_uris: [lab.client.inspectorRedirectUri],
      token_endpoint_auth_method: 'none',
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      client_name: 'MCP Inspector',
      client_uri: 'https://github.com/modelcontextprotocol/inspector',
      scope: 'openid profile email',
      application_type: 'native',
    };
    const register = (body: object = inspectorRegistration) =>
      fetch(`${dynamicLab.realm.issuer}/clients-registrations/openid-connect`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });

    test.beforeEach(async () => {
      await provisionLab(await freshAdmin(), dynamicLab);
    });

    /** Changes one anonymous registration policy's config. */
    async function changePolicy(providerId: string, change: (config: Record<string, string[]>) => Record<string, string[]>): Promise<void> {
      const admin = await freshAdmin();
      const [component] = (await admin.components.find({ realm: realmName, type: registrationPolicyType })).filter(
        (candidate) => candidate.subType === 'anonymous' && candidate.providerId === providerId,
      );
      await admin.components.update(
        { realm: realmName, id: component!.id! },
        { ...component, config: change(component!.config as Record<string, string[]>) },
      );
    }

    test("a healthy dynamic lab: the registration checks are ok, and the Inspector's registration is accepted", async () => {
      const result = await doctor(dynamicEnv);

      expect(result.exitCode, result.stdout).toBe(0);
      for (const check of ['registration: Trusted Hosts', 'registration: Allowed Client Scopes', 'registration: web origins'])
        expect(result.stdout).toContain(`✓ ${check}`);
      expect((await register()).status).toBe(201);
    });

    test("registration refused by Trusted Hosts: github.com, the Inspector's client URI, is not trusted", async () => {
      await changePolicy('trusted-hosts', (config) => ({
        ...config,
        'trusted-hosts': config['trusted-hosts']!.filter((host) => host !== 'github.com'),
      }));

      expectOnlyProblem(
        await doctor(dynamicEnv),
        'registration: Trusted Hosts',
        'lacks github.com',
        'client_uri https://github.com/modelcontextprotocol/inspector',
        'Trusted Hosts',
      );
      const refused = await register();
      expect(refused.status).toBe(403);
      expect(((await refused.json()) as { error_description: string }).error_description).toContain(
        "URL doesn't match any trusted host or trusted domain",
      );
    });

    test('registration refused by Allowed Client Scopes: openid is not allowed', async () => {
      await changePolicy('allowed-client-templates', (config) => ({
        ...config,
        'allowed-client-scopes': config['allowed-client-scopes']!.filter((scope) => scope !== 'openid'),
      }));

      expectOnlyProblem(
        await doctor(dynamicEnv),
        'registration: Allowed Client Scopes',
        'lacks openid',
        'Not permitted to use specified clientScope',
        'Allowed Client Scopes',
      );
      const refused = await register();
      expect(refused.status).toBe(403);
      expect(((await refused.json()) as { error_description: string }).error_description).toContain(
        "Policy 'Allowed Client Scopes' rejected request",
      );
    });

    test("registration CORS: a page at the Inspector's origin registers only where Keycloak allows that origin", async ({ page }) => {
      // A page at the Inspector's origin that registers a client the way a browser-side MCP client
      // would: fetch() with CORS. A real server there, so that the browser sees a page on this
      // machine (a page Playwright answers itself counts as the public internet); on a port of
      // this test's own, as the Inspector's, since other tests run Inspectors on the usual one.
      const inspectorPort = String(testPorts.doctorSquatter);
      const corsEnv = { ...dynamicEnv, INSPECTOR_PORT: inspectorPort, INSPECTOR_URL: '' };
      const corsLab = withSettings(dynamicLab, corsEnv);
      await provisionLab(await freshAdmin(), corsLab);
      const pageServer = http.createServer((_request, response) => {
        response.writeHead(200, { 'Content-Type': 'text/html' }).end("<!doctype html><title>a page at the Inspector's origin</title>");
      });
      await new Promise<void>((resolve) => pageServer.listen(Number(inspectorPort), '127.0.0.1', resolve));
      try {
        await page.goto(`${corsLab.client.inspectorWebOrigin}/cors-probe`);
      } finally {
        pageServer.closeAllConnections();
        pageServer.close();
      }
      const registerFromPage = () =>
        page.evaluate(
          async ({ url, body }) => {
            try {
              const response = await fetch(url, {
                method: 'POST',
                headers: { 'Content-Type': 'application/json' },
                body: JSON.stringify(body),
              });
              return `HTTP ${response.status}`;
            } catch (error) {
              return `${(error as Error).name}: ${(error as Error).message}`;
            }
          },
          {
            url: `${corsLab.realm.issuer}/clients-registrations/openid-connect`,
            body: { ...inspectorRegistration, redirect_uris: [corsLab.client.inspectorRedirectUri], client_name: 'a browser page' },
          },
        );

      const keycloak = await readKeycloakServer(await freshAdmin());
      if (!keycloak.hasRegistrationWebOrigins) {
        // Keycloak before 26.5 sends no CORS headers at all: no page in a browser can register,
        // however the policies are set.
        const doctored = await doctor(corsEnv);
        expect(doctored.exitCode, doctored.stdout).toBe(0);
        expect(doctored.stdout).toContain(
          `✓ registration: web origins: Keycloak ${lab.keycloakVersion} has no CORS on registration (26.5+)`,
        );
        expect(await registerFromPage()).toBe('TypeError: Failed to fetch');
        return;
      }
      expect(await registerFromPage()).toBe('HTTP 201');
      await changePolicy('registration-web-origins', (config) => ({ ...config, 'web-origins': [] }));

      expectOnlyProblem(
        await doctor(corsEnv),
        'registration: web origins',
        `lacks ${corsLab.client.inspectorWebOrigin}`,
        '"Invalid origin"',
        'Allowed Registration Web Origins',
      );
      // Keycloak answers 403 "Invalid origin" without a CORS header: the page sees only a failed fetch.
      expect(await registerFromPage()).toBe('TypeError: Failed to fetch');
    });
  });

  test.describe('LAB_CLIENT_REGISTRATION=cimd', () => {
    const cimdEnv = { LAB_CLIENT_REGISTRATION: 'cimd' };

    if (lab.keycloakFeatures.includes('cimd')) {
      test('the realm lost its client policy for metadata documents', async () => {
        const admin = await freshAdmin();
        await provisionLab(admin, withSettings(doctorLab, cimdEnv));
        expect((await doctor(cimdEnv)).stdout).toContain('✓ feature cimd: ');
        await ensureCimdPolicy(admin, realmName, undefined);

        expectOnlyProblem(
          await doctor(cimdEnv),
          'client ID metadata documents',
          'no enabled client policy',
          '"Client not found."',
          'npm run provision',
        );
      });
    } else {
      test(`feature not there: Keycloak ${lab.keycloakVersion} has no cimd`, async () => {
        const result = await doctor(cimdEnv);

        expect(result.exitCode).toBe(1);
        expect(result.stdout).toContain(`✗ feature cimd: Keycloak ${lab.keycloakVersion} does not have it (26.6+)`);
        expect(result.stdout).toContain('— fix: run Keycloak 26.6 or newer (KEYCLOAK_VERSION) with --features=cimd');
      });
    }
  });
});

/** The doctor realm's spec-mode whoami server, on the doctor's port. */
function startDoctorServer(settings: Record<string, string> = {}): Promise<StartedWhoamiServer> {
  return startWhoamiServer(withSettings(doctorLab, settings), { logPath: path.join(logDir, 'whoami-doctor.log') });
}

async function withHttpServer(port: number, status: number, body: string, work: () => Promise<void>): Promise<void> {
  const squatter = http.createServer((_request, response) => {
    response.writeHead(status).end(body);
  });
  await new Promise<void>((resolve) => squatter.listen(port, '127.0.0.1', resolve));
  try {
    await work();
  } finally {
    await new Promise<void>((resolve) => squatter.close(() => resolve()));
  }
}
