import { expect, test } from '@playwright/test';
import { loadConfig } from '../../core/config.ts';
import { checkServer } from '../../lab/check/check-server.ts';
import { defineCheck, fail, found, pass, type CheckOptions } from '../../lab/check/check.ts';

// The runner with checks of its own: what it does with needs, skips and lines, without a server.
const options = (checkpoint: 1 | 2): CheckOptions => ({
  url: 'http://localhost:9/anything',
  checkpoint,
  config: loadConfig({}),
  credentials: { username: 'alice', password: 'x' },
});
const findsServer = defineCheck({
  name: 'finds the server',
  line: 'reachable',
  checkpoints: [1, 2],
  needs: [],
  provides: { facts: ['server'], otherwise: 'the server is not reachable' },
  run: async () => pass('it answers', { server: { sdk: 'node' } }),
});
const missesServer = defineCheck({ ...findsServer, run: async () => fail('nothing answers', 'not-listening') });
const usesServer = defineCheck({
  name: 'uses the server',
  line: 'transport',
  checkpoints: [1, 2],
  needs: ['server'],
  provides: { facts: ['transports'], otherwise: 'no working MCP transport' },
  run: async ({ facts }) => pass(`the ${facts.server.sdk} server`, { transports: ['sse'] }),
});
const usesTransports = defineCheck({
  name: 'uses the transports',
  line: 'checkpoint 1',
  checkpoints: [1],
  needs: ['transports'],
  run: async ({ facts }) => pass(`over ${facts.transports.join()}`),
});
const onlyFinds = defineCheck({
  name: 'only finds',
  line: 'checkpoint 2',
  checkpoints: [2],
  needs: [],
  run: async () => found({ tokenRequired: true }),
});

test('checks run in order, each with the facts the ones before it found', async () => {
  const report = await checkServer(options(1), [findsServer, usesServer, usesTransports]);

  expect(report.results.map(({ name, status, detail }) => `${name} ${status} ${detail}`)).toEqual([
    'reachable pass it answers',
    'transport pass the node server',
    'checkpoint 1 pass over sse',
  ]);
  expect(report).toMatchObject({ url: 'http://localhost:9', checkpoint: 1, sdk: 'node', passed: true });
});

test('a check whose need was not found is skipped with the reason its finder gives, and so are the ones after it', async () => {
  const report = await checkServer(options(1), [missesServer, usesServer, usesTransports]);

  expect(report.results.map(({ name, status, detail }) => `${name} ${status} ${detail}`)).toEqual([
    'reachable fail nothing answers',
    'transport skip the server is not reachable',
    'checkpoint 1 skip the server is not reachable',
  ]);
  expect(report.results[0]!.diagnosis?.id).toBe('not-listening');
  expect(report.passed).toBe(false);
});

test("a run holds only its checkpoint's checks; a check that only finds facts prints no line", async () => {
  const report = await checkServer(options(2), [findsServer, usesServer, usesTransports, onlyFinds]);

  expect(report.results.map(({ name }) => name)).toEqual(['reachable', 'transport']);
});
