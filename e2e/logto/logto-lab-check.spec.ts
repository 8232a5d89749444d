/**
 * `lab check` on the tutorial's Logto tab (LAB_PROVIDER=logto) against a real Logto: the tier's
 * Node.js and Python servers pass every checkpoint (signing in as the tutorial's Inspector did:
 * without `resource`), and a broken learner server is named by its diagnosis.
 */
import { mkdirSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { brokenCopy, brokenServers, startServer } from '../support/broken-servers.ts';
import { failedDiagnoses as failed, type JsonReport } from '../support/lab-check-report.ts';
import { logtoLab, logtoServerUrl } from '../support/logto-lab.ts';
import { labOutputLines, runLab } from '../support/run-command.ts';
import { runTabProject, startTabProject, tutorialServer, writeTabProject } from '../support/tab-projects.ts';
import { testPorts } from '../support/test-ports.ts';

const env = logtoLab().settings as Record<string, string>;

async function checkOnLogto(target: string, settings: Record<string, string> = env) {
  const result = await runLab(['check', target, '--json'], settings, 55_000);
  try {
    return { exitCode: result.exitCode, report: JSON.parse(result.stdout) as JsonReport, stdout: result.stdout };
  } catch {
    throw new Error(`lab check printed no JSON (exit ${result.exitCode}):\n${result.stdout}\n${result.stderr}`);
  }
}

const allPass = ['reachable: pass', 'transport: pass', 'checkpoint 1: pass', 'metadata: pass', 'checkpoint 2: pass', 'forged token: pass'];

for (const name of ['node', 'python'] as const) {
  test(`the Logto tab's ${name === 'node' ? 'Node.js' : 'Python'} server passes every checkpoint, the claims from Logto's userinfo`, async () => {
    const { exitCode, report, stdout } = await checkOnLogto(logtoServerUrl(name));

    expect(
      report.results.map(({ name: line, status }) => `${line}: ${status}`),
      stdout,
    ).toEqual(allPass);
    expect(report.results.find(({ name: line }) => line === 'checkpoint 2')?.detail).toMatch(
      /^testuser signed in at Logto; whoami returned their claims \(sub \w+\) over SSE and Streamable HTTP$/,
    );
    expect(exitCode).toBe(0);
  });
}

test('the lines a learner reads name Logto and its issuer', async () => {
  const url = logtoServerUrl('node');
  const result = await runLab(['check', url], env, 55_000);
  const lines = labOutputLines(result.stdout);

  expect(lines[0], result.stdout + result.stderr).toBe(
    `Checking the server at ${url}, signing in at Logto at ${logtoLab().provider.issuer} (LAB_PROVIDER=logto)`,
  );
  expect(lines.at(-1)).toBe('All checks up to checkpoint 2 passed.');
  expect(result.exitCode).toBe(0);
});

test("a learner's server without the bearer middleware: no-bearer-middleware", async ({}, testInfo) => {
  const broken = brokenServers.find(({ diagnosis }) => diagnosis === 'no-bearer-middleware')!;
  const script = brokenCopy(testInfo.outputPath(), broken.edits);
  const port = testPorts.logtoCheckServers + 2;
  const server = await startServer(script, port, testInfo.outputPath('server.log'), { lab: logtoLab() });
  try {
    const { exitCode, report, stdout } = await checkOnLogto(`http://localhost:${port}`);

    expect(failed(report), stdout).toEqual(['no-bearer-middleware']);
    expect(exitCode).toBe(1);
  } finally {
    await server.stop();
  }
});

test.describe("the tutorial's own code, in a project `lab init --provider logto` made", () => {
  const { issuer } = logtoLab().provider;
  /** `lab check DIR` takes LAB_PROVIDER from the project's .env, as a learner runs it. */
  const { LAB_PROVIDER: _, ...withoutProvider } = env;

  function project(dir: string, port: number, authIssuer: string): string {
    mkdirSync(dir, { recursive: true });
    return writeTabProject(dir, { port, provider: 'logto', code: tutorialServer(authIssuer) });
  }

  test("with Logto's issuer and nothing else changed, it passes every checkpoint", async ({}, testInfo) => {
    const port = testPorts.logtoCheckServers + 1;
    const dir = project(testInfo.outputPath('mcp-server'), port, issuer);
    const server = await startTabProject(dir, port, testInfo.outputPath('server.log'));
    try {
      const { exitCode, report, stdout } = await checkOnLogto(dir, withoutProvider);

      expect(
        report.results.filter(({ status }) => status !== 'pass'),
        stdout,
      ).toEqual([]);
      expect(report.results.find(({ name }) => name === 'checkpoint 2')?.detail).toMatch(
        /^testuser signed in at Logto; whoami returned their claims/,
      );
      expect(exitCode).toBe(0);
    } finally {
      await server.stop();
    }
  });

  test('with the issuer written without /oidc, the server stops at start, and `lab check DIR` says why: logto-issuer-without-oidc', async ({}, testInfo) => {
    const port = testPorts.logtoCheckServers;
    const origin = new URL(issuer).origin;
    const dir = project(testInfo.outputPath('mcp-server'), port, origin);
    const started = await runTabProject(dir);
    expect(started.exitCode, started.stdout).not.toBe(0);
    expect(started.stderr).toContain(`Failed to fetch server config from ${origin}/.well-known/openid-configuration`);

    const { exitCode, report, stdout } = await checkOnLogto(dir, withoutProvider);

    expect(failed(report), stdout).toEqual(['logto-issuer-without-oidc']);
    expect(report.results.find(({ name }) => name === 'reachable')?.detail).toContain(
      `GET ${origin}/.well-known/openid-configuration answers 404`,
    );
    expect(exitCode).toBe(1);
  });
});
