import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../../core/config.ts';
import { expect, test } from '@playwright/test';

/**
 * What the lab runs (the CLI, the whoami server, provisioning) works after `npm ci --omit=dev`:
 * every package it loads is in a `dependencies` list. And the layers point one way: core/ under
 * provisioning/ under lab/ under e2e/; server/ stands alone (a learner reads it); scripts/ sits
 * beside e2e/, not on it.
 */
const runtimeFolders = ['core', 'provisioning', 'server', 'lab'];

/** Static imports and re-exports (not `import type`: erased before Node runs the file) and `import('…')`. */
const importPattern = /^\s*(?:import|export)\s+(type\s)?(?:[^'"]*?\sfrom\s+)?['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/gm;

function sourceFiles(folder: string): string[] {
  return (readdirSync(path.join(repoRoot, folder), { recursive: true }) as string[])
    .filter((file) => /\.(ts|mjs)$/.test(file) && !file.split(path.sep).includes('node_modules'))
    .map((file) => path.join(folder, file));
}

function importsOf(file: string): { specifier: string; typeOnly: boolean }[] {
  const source = readFileSync(path.join(repoRoot, file), 'utf8');
  return [...source.matchAll(importPattern)].map(([, type, specifier, dynamic]) => ({
    specifier: (specifier ?? dynamic)!,
    typeOnly: type !== undefined,
  }));
}

function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

function dependencies(packageJson: string): string[] {
  return Object.keys(
    (JSON.parse(readFileSync(path.join(repoRoot, packageJson), 'utf8')) as { dependencies?: Record<string, string> }).dependencies ?? {},
  );
}

test('what core/, provisioning/, server/ and lab/ load at run time is in `dependencies`, not devDependencies', () => {
  const runtime = new Set(['package.json', 'server/package.json', 'provisioning/package.json'].flatMap(dependencies));
  const missing = runtimeFolders.flatMap(sourceFiles).flatMap((file) =>
    importsOf(file)
      .filter(
        ({ specifier, typeOnly }) =>
          !typeOnly && !specifier.startsWith('.') && !specifier.startsWith('node:') && !runtime.has(packageName(specifier)),
      )
      .map(({ specifier }) => `${file}: ${specifier}`),
  );

  expect(missing, "move these packages to package.json's dependencies, or the file to e2e/").toEqual([]);
});

/** Which top-level folders each folder may import from. */
const mayImport: Record<string, readonly string[]> = {
  core: ['core'],
  server: ['server'],
  provisioning: ['core', 'provisioning'],
  lab: ['core', 'provisioning', 'lab'],
  scripts: ['core', 'provisioning', 'lab', 'scripts'],
};

test('the layers point one way: core/ under provisioning/ under lab/, none of them (nor scripts/) on e2e/', () => {
  const upward = Object.keys(mayImport)
    .flatMap(sourceFiles)
    .flatMap((file) =>
      importsOf(file)
        .filter(({ specifier }) => specifier.startsWith('.'))
        .map(({ specifier }) => ({
          specifier,
          folder: path.relative(repoRoot, path.resolve(repoRoot, path.dirname(file), specifier)).split(path.sep)[0]!,
        }))
        .filter(({ folder }) => !mayImport[file.split(path.sep)[0]!]!.includes(folder))
        .map(({ specifier }) => `${file}: ${specifier}`),
    );

  expect(upward).toEqual([]);
});

test("the SDK's 2.x packages the 2026-07-28 server loads resolve to the versions package.json pins, not the Inspector's own copies", () => {
  const pinned = (JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { dependencies: Record<string, string> })
    .dependencies;
  const installed = (name: string) =>
    (JSON.parse(readFileSync(path.join(repoRoot, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
  for (const name of [
    '@modelcontextprotocol/server',
    '@modelcontextprotocol/node',
    '@modelcontextprotocol/express',
    '@modelcontextprotocol/client',
  ]) {
    expect(installed(name), name).toBe(pinned[name]);
  }
});
