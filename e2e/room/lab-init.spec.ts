/**
 * `lab init`: a new project with the packages the checker knows work (installed from the npm
 * registry and PyPI, hence the room tier), whose project plus the tutorial's checkpoint-1 code
 * passes `lab check --checkpoint 1`.
 */
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { isPortOpen } from '../../core/ports.ts';
import { startService } from '../../core/process.ts';
import { serverV1Files } from '../drift/tutorial-code.ts';
import { expect, test } from '../support/fixtures.ts';
import { checkServer as check, failedDiagnoses as failed } from '../support/lab-check-report.ts';
import { runLab } from '../support/run-command.ts';
import { testPorts } from '../support/test-ports.ts';

test.describe('lab init', () => {
  test("`lab init --sdk node` plus the tutorial's checkpoint-1 code passes `--checkpoint 1`, and fails checkpoint 2 for the missing bearer middleware", async ({}, testInfo) => {
    test.setTimeout(180_000);
    const dir = testInfo.outputPath('mcp-server');
    const init = await runLab(['init', dir, '--sdk', 'node'], {}, 150_000);
    expect(init.exitCode, init.stderr).toBe(0);
    const packageJson = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as {
      type: string;
      main: string;
      scripts: Record<string, string>;
      dependencies: Record<string, string>;
    };
    expect(packageJson).toMatchObject({ type: 'module', main: 'whoami.js', scripts: { start: 'node whoami.js' } });
    expect(Object.keys(packageJson.dependencies).sort()).toEqual(['@modelcontextprotocol/sdk', 'express', 'mcp-auth']);
    for (const version of Object.values(packageJson.dependencies)) expect(version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(existsSync(path.join(dir, 'node_modules', '@modelcontextprotocol', 'sdk'))).toBe(true);
    expect(readdirSync(dir).sort()).toEqual(['node_modules', 'package-lock.json', 'package.json']);

    // The learner types the tutorial's checkpoint-1 server into the new project.
    const port = testPorts.checkServers + 10;
    const tutorialCode = readFileSync(serverV1Files.node, 'utf8');
    expect(tutorialCode).toContain('const PORT = 3001;');
    writeFileSync(path.join(dir, 'whoami.js'), tutorialCode.replace('const PORT = 3001;', `const PORT = ${port};`));
    const server = await startService({
      description: "The tutorial's checkpoint-1 server",
      file: process.execPath,
      args: [path.join(dir, 'whoami.js')],
      cwd: dir,
      // The tutorial's server has no health route: ready once it listens.
      logPath: testInfo.outputPath('server.log'),
      ready: async () => ((await isPortOpen(port)) ? true : { pending: 'not listening' }),
      readyTimeoutMs: 30_000,
    });
    try {
      const first = await check(`http://localhost:${port}`, '--checkpoint', '1');
      expect(
        first.report.results.map(({ name, status }) => `${name}: ${status}`),
        first.stdout,
      ).toEqual(['reachable: pass', 'transport: pass', 'checkpoint 1: pass']);
      expect(first.exitCode).toBe(0);

      // Checked for checkpoint 2, the same server lacks what the tutorial adds next.
      const second = await check(`http://localhost:${port}`);
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

  test("`lab init --sdk python` gets the lab's pinned packages; with the tutorial's checkpoint-1 code it passes `--checkpoint 1`", async ({}, testInfo) => {
    test.setTimeout(240_000);
    const dir = testInfo.outputPath('mcp-server');
    const init = await runLab(['init', dir, '--sdk', 'python'], {}, 200_000);
    expect(init.exitCode, init.stderr).toBe(0);
    expect(init.stdout).toMatch(/installed on Python 3\.\d+\.\d+: mcp==1\.30\.0, mcpauth==0\.1\.1, starlette==[\d.]+, uvicorn==[\d.]+/);
    expect(readdirSync(dir)).toEqual(['.venv']);

    // The learner types the tutorial's checkpoint-1 server into whoami.py and runs it with uvicorn.
    const port = testPorts.checkServers + 11;
    writeFileSync(path.join(dir, 'whoami.py'), readFileSync(serverV1Files.python, 'utf8'));
    const server = await startService({
      description: "The tutorial's Python checkpoint-1 server",
      file: path.join(dir, '.venv', 'bin', 'uvicorn'),
      args: ['whoami:app', '--port', String(port)],
      cwd: dir,
      logPath: testInfo.outputPath('server.log'),
      ready: async () => ((await isPortOpen(port)) ? true : { pending: 'not listening' }),
      readyTimeoutMs: 30_000,
    });
    try {
      const first = await check(`http://localhost:${port}`, '--checkpoint', '1');

      expect(
        first.report.results.map(({ name, status }) => `${name}: ${status}`),
        first.stdout,
      ).toEqual(['reachable: pass', 'transport: pass', 'checkpoint 1: pass']);
      expect(first.report.sdk).toBe('python');
      expect(first.exitCode).toBe(0);
    } finally {
      await server.stop();
    }
  });
});
