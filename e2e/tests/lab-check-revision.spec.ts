/**
 * `lab check --revision 2026-07-28` as a learner runs it, against servers of realms of this spec's
 * own on the run's Keycloak, signing in with real Chromium: the lab's 2026-07-28 server passes
 * every check; the tutorial-era server (SDK 1.x, spec mode) and copies of the 2026-07-28 server
 * with one mistake each fail with their diagnoses. The servers under test take turns on one port,
 * for one realm provisioned for it (the realm binds its tokens to that URL); so the tests run in order.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { repoRoot, withSettings, type LabConfig } from '../../core/config.ts';
import type { StartedService } from '../../core/process.ts';
import { revision2026LineOrder } from '../../lab/check/check.ts';
import { provisionLab } from '../../provisioning/provision.ts';
import { brokenRevision2026Copy, brokenRevision2026Servers, startServerFor } from '../support/broken-servers.ts';
import { expect, test } from '../support/fixtures.ts';
import { lab } from '../support/lab.ts';
import { failedDiagnoses, type JsonReport } from '../support/lab-check-report.ts';
import { freshAdmin } from '../support/realm-lab.ts';
import { startStepUpLab, type StepUpLab } from '../support/step-up-lab.ts';
import { labOutputLines, runLab } from '../support/run-command.ts';
import { testPorts } from '../support/test-ports.ts';

test.describe.configure({ mode: 'default' });

const revision = '2026-07-28';
/** The lab's own 2026-07-28 server, with its realm. */
const labPort = testPorts.revisionCheckServers;
/** The servers under test take turns here; their realm is provisioned for this URL. */
const underTestPort = testPorts.revisionCheckServers + 1;
/** A server at another URL than the one its realm binds tokens to. */
const elsewherePort = testPorts.revisionCheckServers + 2;
const script2026 = path.join(repoRoot, 'server', 'revision-2026', 'whoami.ts');

/** A realm provisioned for the 2026-07-28 server at `port` (its audience, its step-up role, scope and adminuser), with no server. */
interface LearnerRealm {
  config: LabConfig;
  env: Record<string, string>;
  remove(): Promise<void>;
}

let labRealm: StepUpLab;
let learnerRealm: LearnerRealm;

test.beforeAll(async () => {
  [labRealm, learnerRealm] = await Promise.all([
    startStepUpLab({ prefix: 'check-2026', port: labPort }),
    provisionLearnerRealm('check-2026-learner', underTestPort),
  ]);
});

test.afterAll(async () => {
  await Promise.all([labRealm?.stop(), learnerRealm?.remove()]);
});

async function provisionLearnerRealm(prefix: string, port: number): Promise<LearnerRealm> {
  const env = {
    KEYCLOAK_REALM: `${prefix}-${randomBytes(4).toString('hex')}`,
    LAB_CLIENT_REGISTRATION: 'manual',
    AUTH_MODE: 'spec',
    WHOAMI_PORT: String(port),
    WHOAMI_URL: '',
    MCP_REVISION: revision,
  };
  const config = withSettings(lab, env);
  await provisionLab(await freshAdmin(config), config);
  return {
    config,
    env,
    remove: async () => {
      const admin = await freshAdmin(config);
      if (await admin.realms.findOne({ realm: config.realm.name })) await admin.realms.del({ realm: config.realm.name });
    },
  };
}

/** `lab check URL --revision 2026-07-28 --json` with a realm's settings; its report parsed. */
async function checkRevision(url: string, env: Record<string, string>) {
  const result = await runLab(['check', url, '--revision', revision, '--json'], env, 120_000);
  let report: JsonReport & { revision?: string };
  try {
    report = JSON.parse(result.stdout) as JsonReport & { revision?: string };
  } catch {
    throw new Error(`lab check printed no JSON (exit ${result.exitCode}):\n${result.stdout}\n${result.stderr}`);
  }
  return { exitCode: result.exitCode, report, lines: report.results.map(({ name, status }) => `${name}: ${status}`) };
}

/** Runs `work` with the server at `script` started for `config` (and `env` on top), stopped after. */
async function withServer<T>(
  script: string,
  config: LabConfig,
  logPath: string,
  work: () => Promise<T>,
  env: Record<string, string> = {},
): Promise<T> {
  const server: StartedService = await startServerFor(script, config, logPath, env);
  try {
    return await work();
  } finally {
    await server.stop();
  }
}

test.describe('lab check --revision 2026-07-28', () => {
  test("the lab's 2026-07-28 server passes every check: stateless, challenge, audience, step-up through the browser, Host and Origin", async () => {
    const { exitCode, report, lines } = await checkRevision(labRealm.server.url, labRealm.env);

    expect(lines, JSON.stringify(report, null, 2)).toEqual(revision2026LineOrder.map((line) => `${line}: pass`));
    expect(report.revision).toBe(revision);
    const detail = (line: string) => report.results.find(({ name }) => name === line)!.detail;
    expect(detail('challenge')).toContain('scope="mcp:whoami"');
    expect(detail('challenge')).toContain(`resource_metadata="${labRealm.server.url}/.well-known/oauth-protected-resource"`);
    expect(detail('stateless')).toContain('server/discover offers 2026-07-28');
    expect(detail('whoami')).toMatch(
      /^testuser signed in at Keycloak through the SDK 2\.x client; whoami returned their claims \(sub [0-9a-f-]{36}\)/,
    );
    expect(detail('audience')).toContain('is refused: 401 invalid_token');
    // testuser is refused with the one scope; adminuser asks Keycloak again for the union, and gets it.
    expect(detail('step-up')).toMatch(
      /^testuser: 403 insufficient_scope naming whoami:admin alone; adminuser stepped up \(asked Keycloak again for [^)]*\bmcp:whoami\b[^)]*\bwhoami:admin\b[^)]*\) and whoami-admin answered$/,
    );
    expect(exitCode).toBe(0);
  });

  test('the tutorial-era server (SDK 1.x, spec mode) speaks 2025-11-25 only: one line says so, with the fix, and the 2026 checks that need the revision are skipped', async ({}, testInfo) => {
    const result = await withServer(
      path.join(repoRoot, 'server', 'whoami.ts'),
      learnerRealm.config,
      testInfo.outputPath('server.log'),
      () => runLab(['check', `http://localhost:${underTestPort}`, '--revision', revision], learnerRealm.env, 120_000),
      // The tutorial's server serves the tutorial's revision only.
      { MCP_REVISION: '2025-11-25' },
    );
    const lines = labOutputLines(result.stdout);

    expect(lines[0]).toBe(`Checking the server at http://localhost:${underTestPort}, against MCP ${revision}`);
    expect(lines.filter((line) => line.startsWith('✗ '))).toEqual([
      expect.stringMatching(
        /^✗ stateless: with testuser's token, server\/discover answers HTTP 400: "Bad Request: Unsupported protocol version: 2026-07-28 \(supported versions: 2025-11-25, .*" — the server speaks 2025-11-25 only \(the MCP SDK 1\.x, as in the tutorial\).*Serve it with createMcpHandler of @modelcontextprotocol\/server 2\.x; see: docs\/revision-2026\.md#stateless \("Stateless"\); code: .*createMcpHandler/,
      ),
    ]);
    // The rest of what it does is already today's: its challenge, metadata, audience, Host and Origin.
    for (const line of ['reachable', 'challenge', 'metadata', 'audience', 'host and origin', 'forged token'])
      expect(lines, line).toContainEqual(expect.stringMatching(new RegExp(`^✓ ${line}: `)));
    for (const line of ['whoami', 'step-up'])
      expect(lines).toContain(`- ${line}: skipped (the server does not speak 2026-07-28 (see stateless))`);
    expect(lines.at(-1)).toBe(
      `1 check failed; fix it and run \`npm run lab -- check http://localhost:${underTestPort} --revision ${revision}\` again.`,
    );
    expect(result.exitCode).toBe(1);
  });

  for (const broken of brokenRevision2026Servers) {
    test(`a 2026-07-28 server with ${broken.name}: ${broken.diagnosis}`, async ({}, testInfo) => {
      const { exitCode, report } = await withServer(
        brokenRevision2026Copy(testInfo.outputPath(), broken.edits),
        learnerRealm.config,
        testInfo.outputPath('server.log'),
        () => checkRevision(`http://localhost:${underTestPort}`, learnerRealm.env),
      );

      expect(failedDiagnoses(report), JSON.stringify(report, null, 2)).toEqual([broken.diagnosis, ...(broken.alsoFails ?? [])]);
      expect(exitCode).toBe(1);
    });
  }

  test('a server at another URL than the one the realm binds tokens to: realm-audience-elsewhere, with the command that binds it', async ({}, testInfo) => {
    const elsewhere = withSettings(learnerRealm.config, { WHOAMI_PORT: String(elsewherePort), WHOAMI_URL: '' });
    const { exitCode, report } = await withServer(script2026, elsewhere, testInfo.outputPath('server.log'), () =>
      checkRevision(`http://localhost:${elsewherePort}`, learnerRealm.env),
    );

    expect(failedDiagnoses(report), JSON.stringify(report, null, 2)).toEqual(['realm-audience-elsewhere']);
    expect(report.results.find(({ name }) => name === 'whoami')!.detail).toContain(`http://localhost:${elsewherePort}`);
    expect(exitCode).toBe(1);
  });
});
