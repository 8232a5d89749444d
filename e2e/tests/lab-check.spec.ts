/**
 * `lab check` against the lab's reference servers (every check passes) and against deliberately
 * broken copies of them, each of which must be named by its own diagnosis and exit non-zero.
 * `lab init`, which installs packages from the registries, is the room tier's (room/lab-init.spec.ts).
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../../core/config.ts';
import { brokenCopy, brokenServers, startServer } from '../support/broken-servers.ts';
import { expect, test } from '../support/fixtures.ts';
import { lab, servers } from '../support/lab.ts';
import { checkServer as check, failedDiagnoses as failed } from '../support/lab-check-report.ts';
import { isOneLineError, labOutputLines, runLab } from '../support/run-command.ts';
import { testPorts } from '../support/test-ports.ts';

test.describe('lab check', () => {
  for (const { name, url, sdk } of servers.filter(({ mode }) => mode === 'tutorial')) {
    test(`the lab's server (${name}) passes every checkpoint`, async () => {
      const { exitCode, report, stdout } = await check(url);

      expect(
        report.results.map(({ name: check, status }) => `${check}: ${status}`),
        stdout,
      ).toEqual(['reachable: pass', 'transport: pass', 'checkpoint 1: pass', 'metadata: pass', 'checkpoint 2: pass', 'forged token: pass']);
      expect(report.sdk).toBe(sdk);
      expect(report.results.find(({ name: check }) => check === 'transport')!.detail).toContain('SSE at /sse, Streamable HTTP at /mcp');
      // mcpauth 0.1.1 sends no challenge; the check passes checkpoint 1 on the 401 alone.
      expect(report.results.find(({ name: check }) => check === 'checkpoint 1')!.detail).toContain(
        sdk === 'python' ? 'with no WWW-Authenticate header' : 'WWW-Authenticate: Bearer',
      );
      expect(exitCode).toBe(0);
    });
  }

  test("the lines a learner reads: first which server (here the lab's own), ✓ per checkpoint, the user's sub, exit 0", async () => {
    // No URL: the lab's own server, which passes; its first line says so, lest a learner take it for theirs.
    const result = await runLab(['check'], {}, 120_000);

    expect(labOutputLines(result.stdout)[0]).toBe(
      `Checking the lab's own whoami server at ${lab.server.url} (yours: \`npm run lab -- check DIR\` with the folder \`lab init\` made, or \`npm run lab -- check URL\`)`,
    );
    expect(result.exitCode, result.stdout + result.stderr).toBe(0);
    // The challenge quoted whole: the scheme, then each parameter up to its closing quote (the
    // Python tab's mcpauth 0.1.1 sends none).
    expect(result.stdout).toMatch(
      /^✓ checkpoint 1: without a token the server answers 401 \((WWW-Authenticate: Bearer( \w+="[^"]*"(, \w+="[^"]*")*)?|with no WWW-Authenticate header)\)$/m,
    );
    expect(result.stdout).toMatch(
      /^✓ checkpoint 2: testuser signed in at Keycloak; whoami returned their claims \(sub [0-9a-f-]{36}\) over SSE and Streamable HTTP$/m,
    );
    expect(result.stdout.trim().split('\n').at(-1)).toBe('All checks up to checkpoint 2 passed.');
  });

  test("a wrong password is Keycloak's refusal, not the server's fault", async () => {
    const { exitCode, report } = await check(lab.whoamiUrl, '--user', lab.user.username, '--password', 'not-the-password');

    expect(exitCode).toBe(1);
    expect(failed(report)).toEqual(['login-refused']);
    expect(report.results.find(({ name }) => name === 'checkpoint 2')!.detail).toContain('Invalid username or password.');
  });

  for (const [index, broken] of brokenServers.entries()) {
    test(`a server with ${broken.name}: ${broken.diagnosis}`, async ({}, testInfo) => {
      const port = testPorts.checkServers + index;
      const server = await startServer(brokenCopy(testInfo.outputPath(), broken.edits), port, testInfo.outputPath('server.log'));
      try {
        const { exitCode, report, stdout } = await check(`http://localhost:${port}`);

        expect(failed(report), stdout).toContain(broken.diagnosis);
        expect(exitCode).toBe(1);
      } finally {
        await server.stop();
      }
    });
  }

  test('a server on the wrong port: not-listening, and the check says where one answers', async ({}, testInfo) => {
    // Away from the other servers under test: the check looks at the ports next to the one it is given.
    const port = testPorts.checkServers + 20;
    // The learner's server is on the next port up; the check looks where it was told.
    const server = await startServer(path.join(repoRoot, 'server', 'whoami.ts'), port + 1, testInfo.outputPath('server.log'));
    try {
      const { exitCode, report } = await check(`http://localhost:${port}`);

      expect(failed(report)).toEqual(['not-listening']);
      expect(report.results[0]!.detail).toContain(`an MCP server answers at http://localhost:${port + 1}`);
      expect(report.results.slice(1).every(({ status }) => status === 'skip')).toBe(true);
      expect(exitCode).toBe(1);
    } finally {
      await server.stop();
    }
  });

  test('bad input: one line and a non-zero exit', async ({}, testInfo) => {
    const notProject = testInfo.outputPath('not-a-project');
    mkdirSync(notProject, { recursive: true });
    const notUrl = await runLab(['check', 'localhost:3001']);
    const noEnv = await runLab(['check', notProject]);
    const noPassword = await runLab(['check', lab.whoamiUrl, '--user', 'someone']);
    const badCheckpoint = await runLab(['check', '--checkpoint', '3']);

    expect(notUrl.exitCode).toBe(1);
    expect(notUrl.stderr).toMatch(
      /^error: "localhost:3001" is neither a URL \(e\.g\. http:\/\/localhost:3002\) nor a folder `lab init` made$/m,
    );
    expect(isOneLineError(notUrl.stderr), notUrl.stderr).toBe(true);
    expect(noEnv.exitCode).toBe(1);
    expect(noEnv.stderr).toContain(`error: ${notProject} has no .env with the PORT of your server: is it a folder \`lab init\` made?`);
    expect(isOneLineError(noEnv.stderr), noEnv.stderr).toBe(true);
    expect(noEnv.stdout).toBe('');
    expect(noPassword.exitCode).toBe(1);
    expect(noPassword.stderr).toContain('--user someone needs --password too');
    expect(badCheckpoint.stderr).toContain('--checkpoint takes a whole number from 1 to 2');
  });
});
