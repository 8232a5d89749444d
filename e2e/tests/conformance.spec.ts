/**
 * The official MCP conformance suite (@modelcontextprotocol/conformance, pinned) against the lab, on
 * the run's Keycloak, unattended (docs/conformance.md):
 *   - `npm run conformance` against a lab of its own on MCP 2026-07-28 (a realm of its own, the 2.x
 *     server in spec mode): the server scenarios meet their baseline through the token proxy, and
 *     the realm passes the authorization scenarios with Chromium signing in as testuser;
 *   - the tutorial's 1.x servers global setup started, in each mode, against the 2025-11-25
 *     scenarios, and the shared realm against the authorization scenarios at 2025-11-25;
 *   - a baseline that lists a check that passes, or leaves out one that fails, fails the run.
 * The counts are the ones docs/conformance.md gives: a change in them is a change to document.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { withSettings } from '../../core/config.ts';
import { ensureConformanceClient, conformanceClientId, removeConformanceClient } from '../../provisioning/ensure-conformance-client.ts';
import { baselineFile } from '../../lab/conformance/baseline.ts';
import { callbackUri, realmAuthorizationRun, whoamiServerRun } from '../../lab/conformance/lab-runs.ts';
import { conformanceResultsDir, runConformance, type ConformanceRun } from '../../lab/conformance/run.ts';
import { expect, test } from '../support/fixtures.ts';
import { lab } from '../support/lab.ts';
import { freshAdmin } from '../support/realm-lab.ts';
import { startStepUpLab, type StepUpLab } from '../support/step-up-lab.ts';
import { labOutputLines, runLab } from '../support/run-command.ts';
import { testPorts } from '../support/test-ports.ts';

/**
 * What the authorization run says of Keycloak: both scenarios pass; the metadata's
 * `client_id_metadata_document_supported` (a SHOULD since 2025-11-25) is there only with the
 * `cimd` feature (26.6+), a warning otherwise.
 */
function authorizationResult(): string {
  return lab.keycloakFeatures.includes('cimd')
    ? '3 passed, 0 failed'
    : '2 passed, 0 failed, 1 warning \\(authorization-server-metadata-cimd: [^)]*client_id_metadata_document_supported[^)]*\\)';
}

/** Runs `runs` into the test's own folder; returns each run's summary line. */
async function runInTestFolder(runs: ConformanceRun[]) {
  const lines: string[] = [];
  const outcome = await runConformance(runs, { resultsDir: test.info().outputPath('conformance'), print: (line) => lines.push(line) });
  return { ...outcome, lines };
}

test.describe('npm run conformance, against a lab on MCP 2026-07-28', () => {
  let revisionLab: StepUpLab;

  test.beforeAll(async () => {
    revisionLab = await startStepUpLab({ prefix: 'conformance', port: testPorts.conformanceWhoami });
  });

  test.afterAll(async () => {
    await revisionLab?.stop();
  });

  test('the server meets its baseline, the realm passes the authorization scenarios, and the test client is gone after', async ({
    admin,
  }) => {
    test.setTimeout(120_000);
    const realm = revisionLab.config.realm.name;

    const result = await runLab(['conformance'], revisionLab.env, 110_000);

    expect(result.stderr).toBe('');
    expect(labOutputLines(result.stdout)).toEqual([
      expect.stringMatching(
        new RegExp(
          `^MCP conformance suite 0\\.2\\.0-alpha\\.12: whoami at ${revisionLab.server.url} \\(MCP 2026-07-28, spec mode\\), Keycloak [\\d.]+ realm ${realm}$`,
        ),
      ),
      expect.stringMatching(
        /^conformance server 2026-07-28 \(whoami 2026, spec\): 94 passed, 39 expected failures, 0 unexpected \(\d+\.\d s\)$/,
      ),
      expect.stringMatching(
        new RegExp(
          `^conformance authorization 2026-07-28 \\(Keycloak ${lab.keycloakVersion.replaceAll('.', '\\.')}, realm ${realm}\\): ${authorizationResult()} \\(\\d+\\.\\d s\\)$`,
        ),
      ),
    ]);
    expect(result.exitCode).toBe(0);
    // It asked for a token bound to the server (RFC 8707), and Keycloak's redirect reached the callback.
    const log = readFileSync(path.join(conformanceResultsDir, 'authorization-2026-07-28', 'conformance.log'), 'utf8');
    expect(log).toContain(`&resource=${encodeURIComponent(revisionLab.server.url)}`);
    expect(log).toMatch(/Callback server started: http:\/\/127\.0\.0\.1:\d+/);
    expect(await admin.clients.find({ realm, clientId: conformanceClientId })).toEqual([]);
  });
});

test.describe("the tutorial's servers (SDK 1.x) and the shared realm, at MCP 2025-11-25", () => {
  // One test client for these tests, made once: they take turns.
  test.describe.configure({ mode: 'default' });

  test.beforeAll(async () => {
    await ensureConformanceClient(await freshAdmin(), lab.realm.name, {
      callbackUri: callbackUri(testPorts.conformanceCallback),
      whoamiScope: lab.server.whoamiScope,
      resourceIndicators: lab.keycloakFeatures.includes('resource-indicators'),
    });
  });

  test.afterAll(async () => {
    await removeConformanceClient(await freshAdmin(), lab.realm.name);
  });

  for (const mode of ['tutorial', 'spec'] as const) {
    test(`the server in ${mode} mode meets the 2025-11-25 baseline`, async () => {
      const server = { url: lab.whoamiUrls[mode], revision: '2025-11-25', mode } as const;

      const { ok, lines } = await runInTestFolder([whoamiServerRun(lab, server)]);

      expect(lines).toEqual([
        expect.stringMatching(
          new RegExp(
            `^conformance server 2025-11-25 \\(whoami 1\\.x, ${mode}\\): 37 passed, 29 expected failures, 0 unexpected \\(\\d+\\.\\d s\\)$`,
          ),
        ),
      ]);
      expect(ok).toBe(true);
    });
  }

  test('the realm passes the authorization scenarios, Chromium signing in at the callback on its test port', async () => {
    const run = realmAuthorizationRun(lab, {
      callbackPort: testPorts.conformanceCallback,
      specVersion: '2025-11-25',
      resource: lab.whoamiUrls.spec,
      keycloakVersion: lab.keycloakVersion,
    });

    const { ok, lines, verdicts } = await runInTestFolder([run]);

    expect(lines).toEqual([
      expect.stringMatching(
        new RegExp(`^conformance authorization 2025-11-25 \\(Keycloak [\\d.]+, realm ${lab.realm.name}\\): ${authorizationResult()} \\(`),
      ),
    ]);
    expect(readFileSync(verdicts[0]!.logPath, 'utf8')).toContain(
      `redirect_uri=${encodeURIComponent(`http://127.0.0.1:${testPorts.conformanceCallback}/callback`)}`,
    );
    expect(ok).toBe(true);
  });

  test("a refused sign-in ends the run at once with Keycloak's message, not after the command's wait for its callback", async () => {
    const run = realmAuthorizationRun(withSettings(lab, { LAB_PASSWORD: 'not-the-password' }), {
      callbackPort: testPorts.conformanceCallback,
      specVersion: '2025-11-25',
      resource: undefined,
      keycloakVersion: lab.keycloakVersion,
    });

    const { ok, lines, verdicts } = await runInTestFolder([run]);

    expect(lines).toEqual([
      expect.stringMatching(
        /: the browser step failed: Keycloak refused the sign-in: Invalid username or password; the suite was stopped \(\d+\.\d s\) — the suite's output: \S+$/,
      ),
    ]);
    expect(ok).toBe(false);
    // The command waits 5 minutes for its callback; the driver stops it as soon as Keycloak says no.
    expect(verdicts[0]!.durationMs).toBeLessThan(20_000);
  });

  test('a baseline listing a check that passes fails the run as stale; one leaving out a check that fails, as unexpected', async () => {
    // tools-list passes; prompts-get-with-image fails (no prompts).
    const baseline = test.info().outputPath('altered-baseline.yml');
    const original = readFileSync(baselineFile('2025-11-25'), 'utf8');
    expect(original).toContain('  - prompts-get-with-image:prompts-get-with-image  #');
    writeFileSync(
      baseline,
      `${original.replace(/^ {2}- prompts-get-with-image:prompts-get-with-image .*\n/m, '')}  - tools-list:tools-list  # passes: listed to be stale\n`,
    );
    const server = { url: lab.whoamiUrls.tutorial, revision: '2025-11-25', mode: 'tutorial' } as const;

    const { ok, lines, verdicts } = await runInTestFolder([whoamiServerRun(lab, server, { baseline })]);

    expect(lines).toEqual([
      expect.stringMatching(
        /^conformance server 2025-11-25 \(whoami 1\.x, tutorial\): 37 passed, 28 expected failures, 1 unexpected \(prompts-get-with-image\), 1 stale: now passing, remove from the baseline \(tools-list:tools-list\) \(\d+\.\d s\) — the suite's output: \S+conformance\.log$/,
      ),
    ]);
    expect(ok).toBe(false);
    expect(readFileSync(verdicts[0]!.logPath, 'utf8')).toContain(
      'Baseline is stale: update your expected-failures file to remove passing entries.',
    );
  });
});
