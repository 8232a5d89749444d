import { readFileSync } from 'node:fs';
import path from 'node:path';
import { composeDefaults, loadConfig, repoRoot, whoamiServerEnv } from '../../core/config.ts';
import { renderComposeEnv } from '../../lab/compose-env.ts';
import { expect, test } from '@playwright/test';

const composeFile = readFileSync(path.join(repoRoot, 'docker-compose.yml'), 'utf8');

test.describe('docker compose settings', () => {
  test('.env is what `npm run lab -- env` renders from core/config.ts', () => {
    expect(readFileSync(path.join(repoRoot, '.env'), 'utf8'), 'run `npm run lab -- env` and commit .env').toBe(renderComposeEnv());
  });

  test('docker-compose.yml reads only variables that .env defines', () => {
    const used = new Set([...composeFile.matchAll(/\$\{([A-Z0-9_]+)[^}]*\}/g)].map(([, name]) => name!));

    expect(used.size).toBeGreaterThan(0);
    expect([...used].filter((name) => !(name in composeDefaults))).toEqual([]);
  });

  test("the OIDC and OAuth 2 tabs' whoami services are told of their authorization server what `lab up` tells its server", () => {
    for (const [kind, service] of [
      ['oidc', 'oidc-whoami'],
      ['oauth', 'oauth-whoami'],
    ] as const) {
      const told = environmentOf(service);
      const expected = whoamiServerEnv(loadConfig({ LAB_PROVIDER: kind }));

      for (const name of ['WHOAMI_ISSUER', 'WHOAMI_ISSUER_BACKCHANNEL', 'WHOAMI_AUTH_SERVER_TYPE', 'WHOAMI_USER_ENDPOINT']) {
        expect(told[name], `${service}: ${name}`).toBe(expected[name]);
      }
    }
  });
});

/**
 * The variables a service of docker-compose.yml sets itself (not those it merges from another
 * service), with .env's defaults put in: enough of YAML for this file's `NAME: "value"` lines.
 */
function environmentOf(service: string): Record<string, string> {
  const block = new RegExp(`^ {2}${service}:\\n((?: {4}.*\\n|\\n)*)`, 'm').exec(composeFile)?.[1];
  if (!block) throw new Error(`docker-compose.yml has no service ${service}`);
  const defaults: Readonly<Record<string, string>> = composeDefaults;
  return Object.fromEntries(
    [...block.matchAll(/^ {6}([A-Z0-9_]+): "?([^"\n]*)"?$/gm)].map(([, name, value]) => [
      name!,
      value!.replace(/\$\{([A-Z0-9_]+)\}/g, (_, variable: string) => defaults[variable]!),
    ]),
  );
}
