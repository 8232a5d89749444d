/**
 * `lab init`: a new project with the packages the checker knows work (installed from the npm
 * registry and PyPI, hence the room tier), on a port of its own away from the lab's. A learner
 * follows the steps it prints, literally, with the lab's own whoami server up: the printed check
 * reaches the learner's server (its first line says so) and fails until that server is started
 * with the printed command; then checkpoint 1 passes.
 */
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { labPorts, repoRoot } from '../../core/config.ts';
import { isPortOpen } from '../../core/ports.ts';
import { startService, type StartedService } from '../../core/process.ts';
import { shellQuote } from '../../lab/learner-project.ts';
import { startWhoamiServer, type StartedWhoamiServer } from '../../lab/whoami-process.ts';
import { serverV1Files } from '../drift/tutorial-code.ts';
import { expect, test as base } from '../support/fixtures.ts';
import { checkServer as check, failedDiagnoses as failed } from '../support/lab-check-report.ts';
import { labOutputLines, runLab, runPrinted } from '../support/run-command.ts';
import { testLabConfig } from '../test-target.ts';

const lab = testLabConfig();

/**
 * `labServer`: the lab's own whoami server on its port (the test lab's WHOAMI_PORT), as in a
 * learner's running lab. It asks Keycloak for its metadata only when a request needs it, so it
 * starts (and answers /healthz) without one; what matters here is that it holds the lab's port, which
 * the learner's server must keep off and the learner's check must not reach.
 */
const test = base.extend<object, { labServer: StartedWhoamiServer }>({
  labServer: [
    async ({}, use, workerInfo) => {
      const server = await startWhoamiServer(lab, {
        logPath: path.join(workerInfo.project.outputDir, `lab-init-lab-whoami-${workerInfo.workerIndex}.log`),
      });
      await use(server);
      await server.stop();
    },
    { scope: 'worker' },
  ],
});

/** The project and the next steps `lab init` printed: each step's command is the last `…` on its line. */
function parseInit(stdout: string) {
  const step = (number: number) => {
    const line = stdout.split('\n').find((candidate) => candidate.startsWith(`  ${number}. `));
    expect(line, `step ${number} in:\n${stdout}`).toBeDefined();
    return line!;
  };
  const command = (number: number) => /`([^`]+)`$/.exec(step(number))?.[1] ?? '';
  const port = Number(/Your server's port: (\d+) /.exec(stdout)?.[1]);
  return { writeStep: step(1), start: command(2), checkpoint1: command(3), port };
}

/** The learner's server, started with the printed command; ready once it listens (the tutorial's has no health route). */
function startPrinted(commandLine: string, port: number, logPath: string): Promise<StartedService> {
  return startService({
    description: "The learner's server, started as `lab init` printed",
    file: 'sh',
    args: ['-c', commandLine],
    logPath,
    ready: async () => ((await isPortOpen(port)) ? true : { pending: 'not listening' }),
    readyTimeoutMs: 30_000,
  });
}

test.describe('lab init', () => {
  // One after the other: each init picks the first free port, which stays free until its server starts.
  test.describe.configure({ mode: 'default' });

  test("`lab init --sdk node`, its printed steps followed with the lab's server up: checkpoint 1 fails until the learner's server starts, then passes", async ({
    labServer,
  }, testInfo) => {
    test.setTimeout(240_000);
    const dir = testInfo.outputPath('mcp-server');
    const init = await runLab(['init', dir, '--sdk', 'node'], {}, 150_000);
    expect(init.exitCode, init.stderr).toBe(0);
    const packageJson = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as {
      type: string;
      main: string;
      scripts: Record<string, string>;
      dependencies: Record<string, string>;
    };
    expect(packageJson).toMatchObject({ type: 'module', main: 'whoami.js', scripts: { start: 'node --env-file=.env whoami.js' } });
    expect(Object.keys(packageJson.dependencies).sort()).toEqual(['@modelcontextprotocol/sdk', 'express', 'mcp-auth']);
    for (const version of Object.values(packageJson.dependencies)) expect(version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(readdirSync(dir).sort()).toEqual(['.env', 'node_modules', 'package-lock.json', 'package.json']);

    // The port: written once, printed, and none of the lab's.
    const steps = parseInit(init.stdout);
    expect(readFileSync(path.join(dir, '.env'), 'utf8')).toMatch(new RegExp(`^PORT=${steps.port}$`, 'm'));
    expect(labPorts(lab)).not.toContain(steps.port);
    expect(steps.port).not.toBe(Number(new URL(labServer.url).port));
    expect(steps.start).toBe(`cd ${shellQuote(dir)} && npm start`);
    expect(steps.checkpoint1).toBe(`cd ${shellQuote(repoRoot)} && npm run lab -- check ${shellQuote(dir)} --checkpoint 1`);
    const learnerUrl = `http://localhost:${steps.port}`;

    // Before the learner's server runs, the printed check looks for it, not for the lab's.
    const before = await runPrinted(steps.checkpoint1);
    const beforeLines = labOutputLines(before.stdout);
    expect(beforeLines[0], before.stdout + before.stderr).toBe(`Checking your server at ${learnerUrl} (PORT in ${dir}/.env)`);
    expect(beforeLines[1]).toMatch(new RegExp(`^✗ reachable: nothing answers at ${learnerUrl} \\(ECONNREFUSED\\)`));
    expect(beforeLines.at(-1)).toBe(`1 check failed; fix it and run \`npm run lab -- check ${shellQuote(dir)} --checkpoint 1\` again.`);
    expect(before.exitCode).toBe(1);

    // The tutorial's checkpoint-1 server, with the one line the printed step changes.
    const [, ours = '', tutorials = ''] = /`(const PORT = [^`]+)` in place of `(const PORT = 3001;)`/.exec(steps.writeStep) ?? [];
    expect(ours, steps.writeStep).toBe('const PORT = process.env.PORT;');
    const tutorialCode = readFileSync(serverV1Files.node, 'utf8');
    expect(tutorialCode).toContain(tutorials);
    writeFileSync(path.join(dir, 'whoami.js'), tutorialCode.replace(tutorials, ours));

    const server = await startPrinted(steps.start, steps.port, testInfo.outputPath('server.log'));
    try {
      await expectCheckpoint1Passes(steps.checkpoint1, { learnerUrl, dir, server: 'Node.js, Express' });

      // Checked for checkpoint 2, the same server lacks what the tutorial adds next.
      const second = await check(learnerUrl);
      expect(failed(second.report), second.stdout).toEqual(['no-bearer-middleware', 'no-metadata-route']);
      expect(second.report.results.find(({ name }) => name === 'checkpoint 2')!.status).toBe('skip');
      expect(second.exitCode).toBe(1);

      // The tutorial's server has one McpServer for every SSE session; the check waits for each
      // session to end before it opens the next, so the learner's terminal shows no errors of ours.
      expect(readFileSync(testInfo.outputPath('server.log'), 'utf8')).not.toContain('Already connected to a transport');
    } finally {
      await server.stop();
    }
  });

  test("`lab init --sdk python` gets the lab's pinned packages; its printed steps followed with the lab's server up: checkpoint 1 fails, then passes once start.sh runs", async ({
    labServer,
  }, testInfo) => {
    test.setTimeout(300_000);
    const dir = testInfo.outputPath('mcp-server');
    const init = await runLab(['init', dir, '--sdk', 'python'], {}, 200_000);
    expect(init.exitCode, init.stderr).toBe(0);
    expect(init.stdout).toMatch(/installed on Python 3\.\d+\.\d+: mcp==1\.30\.0, mcpauth==0\.1\.1, starlette==[\d.]+, uvicorn==[\d.]+/);
    expect(readdirSync(dir).sort()).toEqual(['.env', '.venv', 'start.sh']);

    const steps = parseInit(init.stdout);
    expect(readFileSync(path.join(dir, '.env'), 'utf8')).toMatch(new RegExp(`^PORT=${steps.port}$`, 'm'));
    expect(labPorts(lab)).not.toContain(steps.port);
    expect(steps.port).not.toBe(Number(new URL(labServer.url).port));
    expect(steps.start).toBe(shellQuote(path.join(dir, 'start.sh')));
    const learnerUrl = `http://localhost:${steps.port}`;

    const before = await runPrinted(steps.checkpoint1);
    expect(labOutputLines(before.stdout)[0], before.stdout + before.stderr).toBe(
      `Checking your server at ${learnerUrl} (PORT in ${dir}/.env)`,
    );
    expect(before.exitCode).toBe(1);

    // The tutorial's checkpoint-1 server, unchanged, in whoami.py.
    expect(steps.writeStep).toContain('unchanged');
    writeFileSync(path.join(dir, 'whoami.py'), readFileSync(serverV1Files.python, 'utf8'));
    const server = await startPrinted(steps.start, steps.port, testInfo.outputPath('server.log'));
    try {
      await expectCheckpoint1Passes(steps.checkpoint1, { learnerUrl, dir, server: 'Python, uvicorn' });
    } finally {
      await server.stop();
    }
  });
});

/** The printed checkpoint-1 command, run as printed once the learner's server is up: it reaches that server and passes. */
async function expectCheckpoint1Passes(
  command: string,
  { learnerUrl, dir, server }: { learnerUrl: string; dir: string; server: string },
): Promise<void> {
  const after = await runPrinted(command);
  const lines = labOutputLines(after.stdout);
  expect(lines[0], after.stdout + after.stderr).toBe(`Checking your server at ${learnerUrl} (PORT in ${dir}/.env)`);
  expect(lines.slice(1).map((line) => line.split(':')[0])).toEqual([
    '✓ reachable',
    '✓ transport',
    '✓ checkpoint 1',
    'All checks up to checkpoint 1 passed.',
  ]);
  expect(lines[1]).toBe(`✓ reachable: ${learnerUrl} answers (${server})`);
  expect(after.exitCode).toBe(0);
}
