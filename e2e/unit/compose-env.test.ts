import { readFileSync } from 'node:fs';
import path from 'node:path';
import { composeDefaults, repoRoot } from '../../core/config.ts';
import { renderComposeEnv } from '../../lab/compose-env.ts';
import { expect, test } from '@playwright/test';

test.describe('docker compose settings', () => {
  test('.env is what `npm run lab -- env` renders from core/config.ts', () => {
    expect(readFileSync(path.join(repoRoot, '.env'), 'utf8'), 'run `npm run lab -- env` and commit .env').toBe(renderComposeEnv());
  });

  test('docker-compose.yml reads only variables that .env defines', () => {
    const composeFile = readFileSync(path.join(repoRoot, 'docker-compose.yml'), 'utf8');
    const used = new Set([...composeFile.matchAll(/\$\{([A-Z0-9_]+)[^}]*\}/g)].map(([, name]) => name!));

    expect(used.size).toBeGreaterThan(0);
    expect([...used].filter((name) => !(name in composeDefaults))).toEqual([]);
  });
});
