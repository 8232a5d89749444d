import { loadConfig, whoamiServerEnv } from '../../core/config.ts';
import { readServerSettings } from '../../server/settings.ts';
import { expect, test } from '@playwright/test';

test("with no settings, the whoami server is the tutorial's: port 3001, the tutorial's issuer, tutorial mode, an OpenID provider, loopback", () => {
  expect(readServerSettings({})).toEqual({
    port: 3001,
    host: '127.0.0.1',
    url: 'http://localhost:3001',
    issuer: 'http://localhost:8080/realms/mcp-realm',
    issuerBackchannel: 'http://localhost:8080/realms/mcp-realm',
    mode: 'tutorial',
    authServerType: 'oidc',
    userEndpoint: undefined,
    scope: 'mcp:whoami',
    revision: '2025-11-25',
    adminScope: 'whoami:admin',
    allowedHosts: ['localhost', '127.0.0.1', '[::1]'],
  });
});

test('the server reads back what the lab hands it, for a learner and for a room', () => {
  for (const config of [
    loadConfig({ WHOAMI_PORT: '3181' }),
    loadConfig({ LAB_PUBLIC_HOST: '10.0.0.5', AUTH_MODE: 'spec', KEYCLOAK_INTERNAL_URL: 'http://keycloak:8080' }),
  ]) {
    const settings = readServerSettings(whoamiServerEnv(config));

    expect(settings).toEqual({
      port: config.server.port,
      host: config.server.host,
      url: config.server.url,
      issuer: config.realm.issuer,
      issuerBackchannel: `${config.keycloak.internalUrl}/realms/${config.realm.name}`,
      mode: config.server.mode,
      authServerType: 'oidc',
      userEndpoint: undefined,
      scope: config.server.whoamiScope,
      revision: config.server.revision,
      adminScope: config.server.adminScope,
      allowedHosts: [...config.server.allowedHosts],
    });
  }
});

test("its own URL's host is always one it answers to", () => {
  expect(readServerSettings({ WHOAMI_URL: 'https://whoami.example.org/', WHOAMI_ALLOWED_HOSTS: 'localhost, ,127.0.0.1' })).toMatchObject({
    url: 'https://whoami.example.org',
    allowedHosts: ['localhost', '127.0.0.1', 'whoami.example.org'],
  });
});

test('a bad port or mode stops the server with the setting named', () => {
  expect(() => readServerSettings({ WHOAMI_PORT: '70000' })).toThrow('WHOAMI_PORT must be a port number, got "70000"');
  expect(() => readServerSettings({ AUTH_MODE: 'strict' })).toThrow('AUTH_MODE must be "tutorial" or "spec", got "strict"');
});

test("the OAuth 2 tab's server asks the provider's own user endpoint; an OpenID provider's ignores it", () => {
  expect(readServerSettings({ WHOAMI_AUTH_SERVER_TYPE: 'oauth', WHOAMI_USER_ENDPOINT: 'http://localhost:8082/user' })).toMatchObject({
    mode: 'tutorial',
    authServerType: 'oauth',
    userEndpoint: 'http://localhost:8082/user',
  });
  expect(readServerSettings({ WHOAMI_AUTH_SERVER_TYPE: 'oidc', WHOAMI_USER_ENDPOINT: 'http://localhost:8082/user' })).toMatchObject({
    authServerType: 'oidc',
    userEndpoint: undefined,
  });
});

test('a bad authorization server type, a missing or bad user endpoint, or spec mode with an OAuth 2 server stops the server in one line', () => {
  const refusals = [
    [{ WHOAMI_AUTH_SERVER_TYPE: 'github' }, 'WHOAMI_AUTH_SERVER_TYPE must be "oidc" or "oauth", got "github"'],
    [
      { WHOAMI_AUTH_SERVER_TYPE: 'oauth' },
      "WHOAMI_AUTH_SERVER_TYPE=oauth needs WHOAMI_USER_ENDPOINT, the provider's user endpoint, e.g. http://localhost:8082/user",
    ],
    [
      { WHOAMI_AUTH_SERVER_TYPE: 'oauth', WHOAMI_USER_ENDPOINT: 'localhost:8082/user' },
      'WHOAMI_USER_ENDPOINT must be an http or https URL, got "localhost:8082/user"',
    ],
    [
      { AUTH_MODE: 'spec', WHOAMI_AUTH_SERVER_TYPE: 'oauth', WHOAMI_USER_ENDPOINT: 'http://localhost:8082/user' },
      'AUTH_MODE=spec needs Keycloak (WHOAMI_AUTH_SERVER_TYPE=oidc); with an OAuth 2 server, use AUTH_MODE=tutorial',
    ],
  ] as const;
  for (const [env, message] of refusals) {
    expect(() => readServerSettings(env)).toThrow(message);
    expect(message).not.toContain('\n');
  }
});

test('the server reads the revision and the admin scope the lab hands it; 2026-07-28 without spec mode, or an unknown revision, stops it', () => {
  expect(readServerSettings({})).toMatchObject({ revision: '2025-11-25', adminScope: 'whoami:admin' });
  expect(
    readServerSettings(whoamiServerEnv(loadConfig({ AUTH_MODE: 'spec', MCP_REVISION: '2026-07-28', WHOAMI_ADMIN_SCOPE: 'x:admin' }))),
  ).toMatchObject({
    revision: '2026-07-28',
    adminScope: 'x:admin',
    mode: 'spec',
  });
  expect(() => readServerSettings({ MCP_REVISION: '2026-07-28' })).toThrow(
    'MCP_REVISION=2026-07-28 needs AUTH_MODE=spec: the revision makes audience-bound tokens a MUST',
  );
  expect(() => readServerSettings({ MCP_REVISION: 'today' })).toThrow('MCP_REVISION must be "2025-11-25" or "2026-07-28", got "today"');
});
