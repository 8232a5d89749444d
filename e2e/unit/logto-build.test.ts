import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../../core/config.ts';
import {
  findLogtoBuild,
  installedPackageCount,
  lastErrorLine,
  logtoBuildDir,
  logtoBuildKey,
  logtoBuildRecipe,
  logtoOverrides,
  parseBuildStamp,
  registryFailure,
  withLabOverrides,
  type LogtoBuildStamp,
} from '../../lab/logto/logto-build.ts';
import { logtoSource } from '../../lab/logto/logto-source.ts';
import { expect, test } from '@playwright/test';

const sha256 = logtoSource.sha256;

function stampFor(key: string): LogtoBuildStamp {
  return {
    key,
    sha256,
    commit: logtoSource.commit,
    version: logtoSource.version,
    pnpmVersion: '10.34.9',
    nodeVersion: '24.22.3',
    overrides: { ...logtoOverrides },
    steps: [{ step: 'pnpm install (2457 packages)', seconds: 18.9 }],
    totalSeconds: 186,
    sizeMegabytes: 374,
    builtAt: '2026-12-05T14:00:00.000Z',
  };
}

test.describe('the build key', () => {
  test("is the tarball's sha256 (12 hex) and the recipe's hash (8 hex)", () => {
    expect(logtoBuildKey(sha256, logtoBuildRecipe('24.22.3'))).toMatch(/^40f5f1b8480a-[0-9a-f]{8}$/);
  });

  test('stays the same for another Node release of the same major', () => {
    expect(logtoBuildKey(sha256, logtoBuildRecipe('24.1.0'))).toBe(logtoBuildKey(sha256, logtoBuildRecipe('24.22.3')));
  });

  test('changes with the Node major, the overrides, pnpm, the package list and the tarball', () => {
    const recipe = logtoBuildRecipe('24.22.3');
    const key = logtoBuildKey(sha256, recipe);
    const others = [
      logtoBuildKey(sha256, logtoBuildRecipe('22.22.0')),
      logtoBuildKey(sha256, { ...recipe, overrides: { ...recipe.overrides, 'oidc-provider': '9.11.4' } }),
      logtoBuildKey(sha256, { ...recipe, pnpmVersion: '10.35.0' }),
      logtoBuildKey(sha256, { ...recipe, packages: recipe.packages.filter((name) => name !== '@logto/console') }),
      logtoBuildKey('0'.repeat(64), recipe),
    ];
    for (const other of others) expect(other).not.toBe(key);
    expect(new Set(others).size).toBe(others.length);
  });

  test('names the cache folder', () => {
    expect(logtoBuildDir('/cache', '40f5f1b8480a-0123abcd')).toBe(path.join('/cache', 'logto-40f5f1b8480a-0123abcd'));
  });
});

test.describe('the recipe', () => {
  test('builds fifteen packages, core last, with the two overrides', () => {
    const recipe = logtoBuildRecipe('24.22.3');
    expect(recipe.packages).toHaveLength(15);
    expect(recipe.packages.at(-1)).toBe('@logto/core');
    expect(recipe.packages.indexOf('@logto/schemas')).toBeLessThan(recipe.packages.indexOf('@logto/console'));
    expect(recipe.overrides).toEqual({ 'oidc-provider': '9.11.3', '@logto/cloud': '0.2.5-cf6987f' });
    expect(recipe.nodeMajor).toBe(24);
  });

  test("adds the overrides to the root package.json's and keeps Logto's own", () => {
    const patched = JSON.parse(
      withLabOverrides(JSON.stringify({ name: '@logto/root', pnpm: { overrides: { 'ws@<7': '^7.5.11' }, peerDependencyRules: {} } })),
    );

    expect(patched.name).toBe('@logto/root');
    expect(patched.pnpm.peerDependencyRules).toEqual({});
    expect(patched.pnpm.overrides).toEqual({ 'ws@<7': '^7.5.11', 'oidc-provider': '9.11.3', '@logto/cloud': '0.2.5-cf6987f' });
  });
});

test.describe('the stamp', () => {
  const key = logtoBuildKey(sha256);

  test("is read back when it is this build's", () => {
    expect(parseBuildStamp(JSON.stringify(stampFor(key)), key)).toEqual(stampFor(key));
  });

  test("is not this build's when its key, its JSON or its fields are not", () => {
    expect(parseBuildStamp(JSON.stringify(stampFor('40f5f1b8480a-ffffffff')), key)).toBeUndefined();
    expect(parseBuildStamp('{"key":', key)).toBeUndefined();
    expect(parseBuildStamp('null', key)).toBeUndefined();
    const { steps: _steps, ...withoutSteps } = stampFor(key);
    expect(parseBuildStamp(JSON.stringify(withoutSteps), key)).toBeUndefined();
  });

  test('findLogtoBuild finds a stamped folder in the cache and nothing else', ({}, testInfo) => {
    const cacheHome = testInfo.outputPath('cache');
    const config = loadConfig({ XDG_CACHE_HOME: cacheHome });
    expect(findLogtoBuild(config)).toBeUndefined();

    const dir = logtoBuildDir(config.cacheDir, key);
    mkdirSync(dir, { recursive: true });
    expect(findLogtoBuild(config)).toBeUndefined();
    writeFileSync(path.join(dir, 'lab-build.json'), '{"key": "damaged');
    expect(findLogtoBuild(config)).toBeUndefined();

    writeFileSync(path.join(dir, 'lab-build.json'), JSON.stringify(stampFor(key)));
    expect(findLogtoBuild(config)).toEqual(
      expect.objectContaining({ dir, key, version: logtoSource.version, commit: logtoSource.commit, built: false }),
    );
  });
});

test.describe("reading the build's output", () => {
  test("pnpm install's package count is its last progress line's", () => {
    const output = [
      'Progress: resolved 2526, reused 0, downloaded 2434, added 840',
      'Progress: resolved 2526, reused 0, downloaded 2434, added 2457, done',
      'Done in 18.7s using pnpm v10.34.9',
    ].join('\n');
    expect(installedPackageCount(output)).toBe(2457);
    expect(installedPackageCount('Already up to date')).toBeUndefined();
  });

  test('an unreachable registry is told apart from a failing build', () => {
    expect(registryFailure(' WARN  GET http://127.0.0.1:9/color/-/color-4.2.3.tgz error (ECONNREFUSED). Will retry')).toBe('ECONNREFUSED');
    expect(registryFailure('npm error code ENOTFOUND')).toBe('ENOTFOUND');
    expect(registryFailure(' ERR_PNPM_META_FETCH_FAIL  GET …: request failed')).toBe('no answer');
    expect(registryFailure("src/index.ts(3,1): error TS2307: Cannot find module 'x'")).toBeUndefined();
  });

  test('a failure is quoted by its last error line, without colours, or else by its last line', () => {
    const output = [
      'vite v6.4.3 building for production...',
      '\x1b[31merror during build:\x1b[39m',
      'Error: Could not resolve "./x"',
      '    at y',
      '',
    ].join('\n');
    expect(lastErrorLine(output)).toBe('Error: Could not resolve "./x"');
    expect(lastErrorLine('one\ntwo\n')).toBe('two');
    expect(lastErrorLine('')).toBe('(no output)');
  });
});
