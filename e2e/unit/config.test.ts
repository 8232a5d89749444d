import os from 'node:os';
import path from 'node:path';
import { composeDefaults, labPorts, loadConfig, repoRoot, whoamiServerEnv, withSettings, type Settings } from '../../core/config.ts';
import { LabError } from '../../core/errors.ts';
import { expect, test } from '@playwright/test';

/** What loadConfig throws for `env`: its code and message, or a note that it threw nothing. */
function refusalOf(env: Settings): { code: string; message: string } {
  try {
    loadConfig(env);
  } catch (error) {
    if (!(error instanceof LabError)) throw error;
    return { code: error.code, message: error.message };
  }
  return { code: 'none', message: 'loadConfig accepted it' };
}

test.describe('the defaults', () => {
  const config = loadConfig({});

  test("an empty environment is the tutorial's lab: Keycloak on 8080, whoami on 3001, the Inspector on 6274, all on localhost", () => {
    expect(config.keycloak.url).toBe('http://localhost:8080');
    expect(config.server.url).toBe('http://localhost:3001');
    expect(config.inspector.url).toBe('http://localhost:6274');
    expect(config.realm.issuer).toBe('http://localhost:8080/realms/mcp-realm');
    expect(config.keycloak.version).toBe(composeDefaults.KEYCLOAK_VERSION);
    expect(config.keycloak.image).toBe(`quay.io/keycloak/keycloak:${composeDefaults.KEYCLOAK_VERSION}`);
    expect(config.user).toEqual({
      username: 'testuser',
      password: 'testpassword',
      email: 'testuser@example.com',
      firstName: 'Test',
      lastName: 'User',
    });
    expect(config.client.id).toBe('mcp-inspector');
    expect(config.client.scope).toBe('openid profile email');
    expect(config.client.registration).toBe('manual');
    expect(config.server.mode).toBe('tutorial');
    expect(config.server.sdk).toBe('node');
  });

  test("a learner's own lab is not a classroom: everything listens on loopback, with no gate and no lockout", () => {
    expect(config.inClassroom).toBe(false);
    expect(config.listenAddress).toBe('127.0.0.1');
    expect(config.server.host).toBe('127.0.0.1');
    expect(config.keycloak.listenAddress).toBe('127.0.0.1');
    expect(config.keycloak.gate).toBeUndefined();
    expect(config.realm.bruteForce).toBeUndefined();
    expect(config.keycloak.adminUrl).toBe(config.keycloak.url);
    expect(config.keycloak.adminConsoleUrl).toBe(config.keycloak.url);
    expect(config.keycloak.adminPasswordIsSet).toBe(false);
  });

  test("the Inspector's other ports keep their distance from its UI port, and the tutorial asks for no Keycloak features", () => {
    expect(config.inspector.sandboxPort).toBe(6275);
    expect(config.client.inspectorCliRedirectUri).toBe('http://127.0.0.1:6276/oauth/callback');
    expect(config.inspector.appOriginPort).toBe(6278);
    expect(config.cimd.port).toBe(6279);
    expect(config.cimd.inspectorDocumentUrl).toBe('https://localhost:6279/clients/mcp-inspector.json');
    expect(config.client.inspectorRedirectUri).toBe('http://localhost:6274/oauth/callback');
    expect(config.keycloak.features).toEqual([]);
    expect(config.keycloak.instanceName).toBe('lab');
  });

  test("state lives in the repository's .lab, downloads in ~/.cache/mcp-auth-lab, and nothing is prefetched", () => {
    expect(config.stateDir).toBe(path.join(repoRoot, '.lab'));
    expect(config.cimd.certificateDir).toBe(path.join(repoRoot, '.lab', 'cimd'));
    expect(config.cacheDir).toBe(path.join(os.homedir(), '.cache', 'mcp-auth-lab'));
    expect(config.prefetchDir).toBeUndefined();
  });
});

test.describe('derived values follow the settings', () => {
  test('moving the ports moves every URL built from them', () => {
    const config = loadConfig({ KEYCLOAK_PORT: '8180', WHOAMI_PORT: '3181', INSPECTOR_PORT: '6374', LAB_PROGRESS_PORT: '8190' });

    expect(config.realm.issuer).toBe('http://localhost:8180/realms/mcp-realm');
    expect(config.server.url).toBe('http://localhost:3181');
    expect(config.server.resourceUrl).toBe('http://localhost:3181');
    expect(config.client.inspectorRedirectUri).toBe('http://localhost:6374/oauth/callback');
    expect(config.inspector.sandboxPort).toBe(6375);
    expect(config.inspector.appOriginPort).toBe(6378);
    expect(config.cimd.url).toBe('https://localhost:6379');
    expect(config.classroom.progressUrl).toBe('http://localhost:8190');
  });

  test('a URL set outright wins over the port, and loses its trailing slashes', () => {
    const config = loadConfig({
      KEYCLOAK_URL: 'https://sso.example.org/',
      WHOAMI_URL: 'https://whoami.example.org//',
      KEYCLOAK_REALM: 'class-a',
    });

    expect(config.keycloak.url).toBe('https://sso.example.org');
    expect(config.realm.issuer).toBe('https://sso.example.org/realms/class-a');
    expect(config.server.url).toBe('https://whoami.example.org');
    expect(config.server.resourceUrl).toBe('https://whoami.example.org');
    expect(config.server.allowedHosts).toEqual(['localhost', '127.0.0.1', '[::1]', 'whoami.example.org']);
  });

  test('only the compose provision container reaches Keycloak by another URL than browsers do', () => {
    const config = loadConfig({ KEYCLOAK_INTERNAL_URL: 'http://keycloak:8080/' });

    expect(config.keycloak.url).toBe('http://localhost:8080');
    expect(config.keycloak.internalUrl).toBe('http://keycloak:8080');
    expect(config.keycloak.adminUrl).toBe('http://keycloak:8080');
    expect(config.realm.issuer).toBe('http://localhost:8080/realms/mcp-realm');
  });

  test("a LAB_PUBLIC_HOST of the room's network makes a classroom: students' side on that address, Keycloak behind a gate, admin on loopback", () => {
    const config = loadConfig({ LAB_PUBLIC_HOST: '192.168.1.20' });

    expect(config.inClassroom).toBe(true);
    expect(config.listenAddress).toBe('192.168.1.20');
    expect(config.server.host).toBe('192.168.1.20');
    expect(config.keycloak.listenAddress).toBe('127.0.0.1');
    expect(config.keycloak.url).toBe('http://192.168.1.20:8080');
    expect(config.realm.issuer).toBe('http://192.168.1.20:8080/realms/mcp-realm');
    expect(config.keycloak.adminUrl).toBe('http://127.0.0.1:8080');
    expect(config.keycloak.adminConsoleUrl).toBe('http://localhost:8080');
    expect(config.keycloak.gate).toEqual({ listenAddress: '192.168.1.20', port: 8080, upstream: '127.0.0.1:8080' });
    expect(config.realm.bruteForce).toEqual({ failureFactor: 5, waitIncrementSeconds: 60, maxFailureWaitSeconds: 900 });
    expect(config.server.allowedHosts).toEqual(['localhost', '127.0.0.1', '[::1]', '192.168.1.20']);
    // Each student runs their own Inspector: it stays on loopback.
    expect(config.inspector.url).toBe('http://localhost:6274');
    expect(config.classroom.progressUrl).toBe('http://192.168.1.20:8090');
  });

  test("an IPv6 room address is listened on without its brackets; [::1] and 127.0.0.1 are a learner's own lab", () => {
    expect(loadConfig({ LAB_PUBLIC_HOST: '[fd00::20]' }).listenAddress).toBe('fd00::20');
    expect(loadConfig({ LAB_PUBLIC_HOST: '[fd00::20]' }).keycloak.url).toBe('http://[fd00::20]:8080');
    expect(loadConfig({ LAB_PUBLIC_HOST: '[::1]' }).inClassroom).toBe(false);
    expect(loadConfig({ LAB_PUBLIC_HOST: '127.0.0.1' }).inClassroom).toBe(false);
    // Host names are not case-sensitive: LOCALHOST is this machine's loopback, not a room.
    expect(loadConfig({ LAB_PUBLIC_HOST: 'LOCALHOST' }).inClassroom).toBe(false);
    expect(loadConfig({ LAB_PUBLIC_HOST: 'Lab.Example' }).publicHost).toBe('lab.example');
  });

  test('the Keycloak instance is named after the room and the features, so a database never meets a Keycloak without its features', () => {
    expect(loadConfig({ LAB_CLIENT_REGISTRATION: 'cimd' }).keycloak.instanceName).toBe('lab-cimd');
    expect(loadConfig({ LAB_PUBLIC_HOST: '10.0.0.5' }).keycloak.instanceName).toBe('classroom');
    expect(loadConfig({ LAB_PUBLIC_HOST: '10.0.0.5', KEYCLOAK_FEATURES: 'resource-indicators,cimd' }).keycloak.instanceName).toBe(
      'classroom-cimd-resource-indicators',
    );
    expect(loadConfig({ KEYCLOAK_FEATURES: 'cimd', KEYCLOAK_INSTANCE: 'e2e' }).keycloak.instanceName).toBe('e2e');
  });

  test('the lab asks Keycloak for the features it uses: cimd for that profile, resource indicators in spec mode where Keycloak has them', () => {
    expect(loadConfig({ LAB_CLIENT_REGISTRATION: 'cimd', KEYCLOAK_VERSION: '26.6.0' }).keycloak.features).toEqual(['cimd']);
    expect(loadConfig({ AUTH_MODE: 'spec', KEYCLOAK_VERSION: '26.6.0' }).keycloak.features).toEqual(['resource-indicators']);
    expect(loadConfig({ AUTH_MODE: 'spec', KEYCLOAK_VERSION: '26.5.6' }).keycloak.features).toEqual([]);
    expect(loadConfig({ AUTH_MODE: 'spec', LAB_CLIENT_REGISTRATION: 'cimd', KEYCLOAK_VERSION: '26.6.0' }).keycloak.features).toEqual([
      'cimd',
      'resource-indicators',
    ]);
  });

  test('KEYCLOAK_FEATURES, when set, is the list as written, trimmed, versioned names included', () => {
    expect(loadConfig({ KEYCLOAK_FEATURES: ' token-exchange:v2 , cimd,', LAB_CLIENT_REGISTRATION: 'cimd' }).keycloak.features).toEqual([
      'token-exchange:v2',
      'cimd',
    ]);
  });

  test('an empty setting counts as unset, and variables the lab does not read are not kept', () => {
    const config = loadConfig({ KEYCLOAK_PORT: '', WHOAMI_URL: '', HOME: '/home/someone', PATH: '/usr/bin' });

    expect(config.keycloak.port).toBe(8080);
    expect(config.server.url).toBe('http://localhost:3001');
    expect(config.settings).toEqual({});
  });

  test('the cache, the state and a prefetch folder go where their settings say (a prefetch folder made absolute)', () => {
    const config = loadConfig({ XDG_CACHE_HOME: '/var/cache/me', LAB_STATE_DIR: '/tmp/lab-state', LAB_PREFETCH_DIR: 'usb-stick' });

    expect(config.cacheDir).toBe('/var/cache/me/mcp-auth-lab');
    expect(config.stateDir).toBe('/tmp/lab-state');
    expect(config.cimd.certificateDir).toBe('/tmp/lab-state/cimd');
    expect(config.prefetchDir).toBe(path.resolve('usb-stick'));
  });

  test('setting the admin password is remembered as set, so a classroom does not replace it', () => {
    expect(loadConfig({ KEYCLOAK_ADMIN_PASSWORD: 'chosen' }).keycloak).toMatchObject({ adminPassword: 'chosen', adminPasswordIsSet: true });
  });

  test('timeouts are read in milliseconds', () => {
    const config = loadConfig({ KEYCLOAK_READY_TIMEOUT_MS: '0', PROVISION_WAIT_MS: '1500', INSPECTOR_READY_TIMEOUT_MS: '2500' });

    expect(config.keycloak.readyTimeoutMs).toBe(0);
    expect(config.keycloak.provisionWaitMs).toBe(1500);
    expect(config.inspector.readyTimeoutMs).toBe(2500);
  });
});

test.describe('bad settings', () => {
  test('a port that is not a whole number from 1 to 65535 is refused, naming the setting and the value', () => {
    for (const [name, value] of [
      ['KEYCLOAK_PORT', 'eighty'],
      ['WHOAMI_PORT', '0'],
      ['INSPECTOR_PORT', '65536'],
      ['LAB_PROGRESS_PORT', '80.5'],
      ['CIMD_PORT', '-1'],
      ['KEYCLOAK_MANAGEMENT_PORT', 'NaN'],
      ['KEYCLOAK_PORT', '0x1F90'],
      ['WHOAMI_PORT', '1e3'],
      ['INSPECTOR_PORT', ' 6274'],
    ] as const) {
      expect(refusalOf({ [name]: value })).toEqual({
        code: 'ERR_CONFIG',
        message: `${name} must be a port number between 1 and 65535, got "${value}"`,
      });
    }
  });

  test('a URL setting that is not an http(s) URL is refused, naming the setting and the value', () => {
    for (const [name, value] of [
      ['KEYCLOAK_URL', 'notaurl'],
      ['WHOAMI_URL', 'http//localhost:3001'],
      ['INSPECTOR_URL', 'ftp://localhost:6274'],
      ['WHOAMI_URL', 'http://'],
    ] as const) {
      expect(refusalOf({ [name]: value })).toEqual({
        code: 'ERR_CONFIG',
        message: `${name} must be an http:// or https:// URL, got "${value}"`,
      });
    }
  });

  test('LAB_PUBLIC_HOST must be a host name or an address; a bare IPv6 address is told to take brackets', () => {
    expect(refusalOf({ LAB_PUBLIC_HOST: '::1' })).toEqual({
      code: 'ERR_CONFIG',
      message: `LAB_PUBLIC_HOST must be this machine's host name or address, an IPv6 address in brackets ([::1]), got "::1"`,
    });
    for (const value of ['http://10.0.0.5', 'room lab', '10.0.0.5:8080', 'lab/']) {
      expect(refusalOf({ LAB_PUBLIC_HOST: value })).toEqual({
        code: 'ERR_CONFIG',
        message: `LAB_PUBLIC_HOST must be this machine's host name or address, got "${value}"`,
      });
    }
  });

  test('a timeout that is not a number of milliseconds is refused', () => {
    for (const value of ['soon', '-1', 'Infinity', '0x10', '1e3']) {
      expect(refusalOf({ KEYCLOAK_READY_TIMEOUT_MS: value })).toEqual({
        code: 'ERR_CONFIG',
        message: `KEYCLOAK_READY_TIMEOUT_MS must be a number of milliseconds, got "${value}"`,
      });
    }
  });

  test("MCP_REVISION is the tutorial's 2025-11-25 unless set; 2026-07-28 goes to the Node server with its admin scope and second user", () => {
    expect(loadConfig({}).server.revision).toBe('2025-11-25');
    const today = loadConfig({ AUTH_MODE: 'spec', MCP_REVISION: '2026-07-28' });
    expect(today.server).toMatchObject({ revision: '2026-07-28', adminScope: 'whoami:admin' });
    expect(today.adminUser).toMatchObject({ username: 'adminuser', password: 'adminpassword', role: 'whoami-admin' });
    expect(whoamiServerEnv(today)).toMatchObject({ MCP_REVISION: '2026-07-28', WHOAMI_ADMIN_SCOPE: 'whoami:admin', AUTH_MODE: 'spec' });
  });

  test('MCP_REVISION=2026-07-28 is refused, naming why, with tutorial mode, the Python server or another provider; other values are refused', () => {
    expect(refusalOf({ MCP_REVISION: '2026-07-28' })).toEqual({
      code: 'ERR_CONFIG',
      message:
        'MCP_REVISION=2026-07-28 does not go with AUTH_MODE=tutorial (the revision makes audience-bound tokens a MUST: use AUTH_MODE=spec)',
    });
    expect(refusalOf({ MCP_REVISION: '2026-07-28', AUTH_MODE: 'spec', WHOAMI_SDK: 'python' }).message).toMatch(
      /^MCP_REVISION=2026-07-28 does not go with WHOAMI_SDK=python \(the Python SDK has no per-tool scope challenge yet/,
    );
    expect(refusalOf({ MCP_REVISION: '2026-07-28', AUTH_MODE: 'spec', LAB_PROVIDER: 'logto' }).message).toMatch(
      /^MCP_REVISION=2026-07-28 does not go with LAB_PROVIDER=logto/,
    );
    expect(refusalOf({ MCP_REVISION: '2025-06-18' })).toEqual({
      code: 'ERR_CONFIG',
      message: 'MCP_REVISION must be "2025-11-25" or "2026-07-28", got "2025-06-18"',
    });
  });

  test('AUTH_MODE, WHOAMI_SDK and LAB_CLIENT_REGISTRATION take only the values the lab has', () => {
    expect(refusalOf({ AUTH_MODE: 'strict' })).toEqual({
      code: 'ERR_CONFIG',
      message: 'AUTH_MODE must be "tutorial" or "spec", got "strict"',
    });
    expect(refusalOf({ WHOAMI_SDK: 'ruby' })).toEqual({ code: 'ERR_CONFIG', message: 'WHOAMI_SDK must be "node" or "python", got "ruby"' });
    expect(refusalOf({ LAB_CLIENT_REGISTRATION: 'automatic' })).toEqual({
      code: 'ERR_CONFIG',
      message: 'LAB_CLIENT_REGISTRATION must be "manual", "dynamic", "cimd", got "automatic"',
    });
  });

  test('the Python server runs spec mode too: the same settings reach it', () => {
    const python = loadConfig({ WHOAMI_SDK: 'python', AUTH_MODE: 'spec' });

    expect(python.server).toMatchObject({ sdk: 'python', mode: 'spec' });
    expect(whoamiServerEnv(python)).toMatchObject({ AUTH_MODE: 'spec', WHOAMI_SCOPE: 'mcp:whoami' });
  });

  test('KEYCLOAK_FEATURES must be Keycloak feature names separated by commas', () => {
    for (const value of ['CIMD', 'cimd;token-exchange', 'cimd token-exchange', 'token-exchange:2']) {
      expect(refusalOf({ KEYCLOAK_FEATURES: value })).toEqual({
        code: 'ERR_CONFIG',
        message: `KEYCLOAK_FEATURES must be Keycloak feature names separated by commas, got "${value}"`,
      });
    }
  });
});

test.describe('LAB_PROVIDER', () => {
  test("keycloak by default: the realm is the issuer, the Inspector gets the tutorial's client and scopes", () => {
    expect(loadConfig({}).provider).toEqual({
      kind: 'keycloak',
      displayName: 'Keycloak',
      issuer: 'http://localhost:8080/realms/mcp-realm',
      type: 'oidc',
      port: undefined,
      userEndpoint: undefined,
      clientId: 'mcp-inspector',
      scope: 'openid profile email',
    });
  });

  test("the OAuth 2 tab: its own port among the lab's, the scope profile", () => {
    const config = loadConfig({ LAB_PROVIDER: 'oauth' });
    expect(config.provider).toMatchObject({ kind: 'oauth', issuer: 'http://localhost:8082', type: 'oauth', scope: 'profile' });
    expect(labPorts(config)).toContain(8082);
  });

  for (const [settings, message] of [
    [{ LAB_PROVIDER: 'github' }, 'LAB_PROVIDER must be "keycloak", "oidc", "oauth", "logto", got "github"'],
    [{ LAB_PROVIDER: 'oidc', AUTH_MODE: 'spec' }, 'LAB_PROVIDER=oidc does not go with AUTH_MODE=spec'],
    [{ LAB_PROVIDER: 'oauth', LAB_CLIENT_REGISTRATION: 'cimd' }, 'LAB_PROVIDER=oauth does not go with LAB_CLIENT_REGISTRATION=cimd'],
    [
      { LAB_PROVIDER: 'oidc', LAB_PUBLIC_HOST: 'lab.example' },
      'LAB_PROVIDER=oidc does not go with a classroom (LAB_PUBLIC_HOST=lab.example)',
    ],
    [{ LAB_PROVIDER: 'oidc', OIDC_PROVIDER_PORT: '80a' }, 'OIDC_PROVIDER_PORT must be a port number'],
  ] as const) {
    test(`refuses ${JSON.stringify(settings)} in one line`, () => {
      expect(() => loadConfig(settings)).toThrow(message);
    });
  }
});

test.describe('the value', () => {
  test('is frozen all the way down', () => {
    const config = loadConfig({});

    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.keycloak)).toBe(true);
    expect(Object.isFrozen(config.keycloak.features)).toBe(true);
    expect(Object.isFrozen(config.server.allowedHosts)).toBe(true);
    expect(Object.isFrozen(config.settings)).toBe(true);
    expect(() => {
      (config.server as { port: number }).port = 1;
    }).toThrow(TypeError);
    expect(Object.isFrozen(composeDefaults)).toBe(true);
  });

  test('is the same for the same environment', () => {
    const env = { KEYCLOAK_PORT: '8180', LAB_PUBLIC_HOST: '10.0.0.5', LAB_CLIENT_REGISTRATION: 'dynamic' };

    expect(loadConfig(env)).toEqual(loadConfig({ ...env }));
  });
});

test.describe('withSettings', () => {
  test('changes a setting and everything derived from it, and keeps the rest', () => {
    const base = loadConfig({ KEYCLOAK_PORT: '8180', KEYCLOAK_REALM: 'class-a' });

    const moved = withSettings(base, { WHOAMI_PORT: '3182' });

    expect(moved.server.url).toBe('http://localhost:3182');
    expect(moved.server.resourceUrl).toBe('http://localhost:3182');
    expect(moved.realm.issuer).toBe('http://localhost:8180/realms/class-a');
    expect(moved.settings).toEqual({ KEYCLOAK_PORT: '8180', KEYCLOAK_REALM: 'class-a', WHOAMI_PORT: '3182' });
    expect(base.server.port).toBe(3001);
  });

  test('an empty value drops a setting, so a URL follows its port again', () => {
    const base = loadConfig({ WHOAMI_URL: 'http://localhost:3001' });

    expect(withSettings(base, { WHOAMI_URL: '', WHOAMI_PORT: '3190' }).server.url).toBe('http://localhost:3190');
  });

  test('refuses a bad setting as loadConfig does', () => {
    expect(() => withSettings(loadConfig({}), { WHOAMI_PORT: 'x' })).toThrow(
      'WHOAMI_PORT must be a port number between 1 and 65535, got "x"',
    );
  });
});

test.describe('whoamiServerEnv', () => {
  test('gives a whoami server the variables it reads, and nothing else', () => {
    expect(whoamiServerEnv(loadConfig({}))).toEqual({
      WHOAMI_PORT: '3001',
      WHOAMI_HOST: '127.0.0.1',
      WHOAMI_URL: 'http://localhost:3001',
      WHOAMI_ISSUER: 'http://localhost:8080/realms/mcp-realm',
      WHOAMI_ISSUER_BACKCHANNEL: 'http://localhost:8080/realms/mcp-realm',
      WHOAMI_ALLOWED_HOSTS: 'localhost,127.0.0.1,[::1]',
      WHOAMI_SCOPE: 'mcp:whoami',
      WHOAMI_ADMIN_SCOPE: 'whoami:admin',
      MCP_REVISION: '2025-11-25',
      AUTH_MODE: 'tutorial',
      WHOAMI_AUTH_SERVER_TYPE: 'oidc',
    });
  });

  test("for the OIDC and OAuth 2 tabs, names the lab's own authorization server, and the OAuth 2 tab's user endpoint", () => {
    const oidc = whoamiServerEnv(loadConfig({ LAB_PROVIDER: 'oidc' }));
    expect(oidc).toMatchObject({
      WHOAMI_ISSUER: 'http://localhost:8081',
      WHOAMI_ISSUER_BACKCHANNEL: 'http://localhost:8081',
      WHOAMI_AUTH_SERVER_TYPE: 'oidc',
    });
    expect(oidc.WHOAMI_USER_ENDPOINT).toBeUndefined();
    expect(whoamiServerEnv(loadConfig({ LAB_PROVIDER: 'oauth', OAUTH_PROVIDER_PORT: '9182' }))).toMatchObject({
      WHOAMI_ISSUER: 'http://localhost:9182',
      WHOAMI_AUTH_SERVER_TYPE: 'oauth',
      WHOAMI_USER_ENDPOINT: 'http://localhost:9182/user',
    });
  });

  test('names the issuer browsers see, and the realm where the server reaches it', () => {
    const env = whoamiServerEnv(
      loadConfig({
        KEYCLOAK_INTERNAL_URL: 'http://keycloak:8080',
        AUTH_MODE: 'spec',
        WHOAMI_SCOPE: 'whoami:read',
        LAB_PUBLIC_HOST: '10.0.0.5',
      }),
    );

    expect(env.WHOAMI_ISSUER).toBe('http://10.0.0.5:8080/realms/mcp-realm');
    expect(env.WHOAMI_ISSUER_BACKCHANNEL).toBe('http://keycloak:8080/realms/mcp-realm');
    expect(env.WHOAMI_HOST).toBe('10.0.0.5');
    expect(env.WHOAMI_ALLOWED_HOSTS).toBe('localhost,127.0.0.1,[::1],10.0.0.5');
    expect(env.WHOAMI_SCOPE).toBe('whoami:read');
    expect(env.AUTH_MODE).toBe('spec');
  });
});
