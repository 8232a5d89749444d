import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot, withSettings, type AuthMode, type LabConfig } from '../../core/config.ts';
import { LabError } from '../../core/errors.ts';
import { runCommand, startService } from '../../core/process.ts';
import { NativeKeycloak } from '../keycloak/native-keycloak.ts';
import { pickJavaRuntime } from '../keycloak/java-runtime.ts';
import { formatSeconds } from '../progress.ts';
import { startWhoamiServer, type StartedWhoamiServer } from '../whoami-process.ts';
import { describeMachine } from '../bench/machine-description.ts';
import { loginThroughForm } from '../bench/form-login.ts';
import { percentiles, runLoad, type LoadResult } from '../bench/load.ts';
import { residentMemoryMiB } from '../bench/process-memory.ts';
import { timeBareKeycloakStartMs, timeLabUpMs, type BenchPorts } from '../bench/startup-timing.ts';
import { callWhoamiOverHttp } from '../bench/whoami-request.ts';
import { connectAndProvision, connectToKeycloak } from '../../provisioning/provision.ts';
import { provisionStudents } from '../../provisioning/provision-students.ts';
import { numberedRoster } from '../../provisioning/roster.ts';

export interface BenchOptions {
  runs: number;
  students: number;
  callsPerStudent: number;
  concurrency: number;
  loadDurationMs: number;
  skipTests: boolean;
}

const benchmarksPath = path.join(repoRoot, 'BENCHMARKS.md');

/**
 * `lab bench`: measures the lab on this machine and writes BENCHMARKS.md. Every loop is bounded in
 * count and time, and all traffic stays on localhost.
 */
export async function bench(config: LabConfig, options: BenchOptions): Promise<number> {
  // Ports of their own, so nothing else of the lab's is disturbed.
  const ports: BenchPorts = { keycloak: config.keycloak.port + 900, management: config.keycloak.managementPort + 900, whoami: config.server.port + 900 };
  const specPort = ports.whoami + 1;
  const floorPort = ports.whoami + 2;
  const version = config.keycloak.version;
  const java = pickJavaRuntime(version);
  const report: string[] = [];
  const log = (line: string) => console.log(line);

  // 1. Start-up: bare Keycloak against the whole lab, alternating, each from a fresh database.
  const bareMs: number[] = [];
  const labMs: number[] = [];
  for (let run = 1; run <= options.runs; run++) {
    bareMs.push(await timeBareKeycloakStartMs(config, ports));
    log(`start-up run ${run}: bare kc.sh start-dev ${formatSeconds(bareMs.at(-1)!)}`);
    labMs.push(await timeLabUpMs(config, ports, mkdtempSync(path.join(os.tmpdir(), 'lab-bench-'))));
    log(`start-up run ${run}: lab up ${formatSeconds(labMs.at(-1)!)}`);
  }
  const ratio = median(labMs) / median(bareMs);
  report.push(
    '## Start-up (cold: a fresh database each time)',
    '',
    `| what | ${bareMs.map((_, index) => `run ${index + 1}`).join(' | ')} | median |`,
    `| --- | ${bareMs.map(() => '---').join(' | ')} | --- |`,
    `| bare \`kc.sh start-dev\` until /health/ready | ${bareMs.map(formatSeconds).join(' | ')} | ${formatSeconds(median(bareMs))} |`,
    `| \`lab up\` until ready (Keycloak, provisioning, whoami server, Inspector) | ${labMs.map(formatSeconds).join(' | ')} | ${formatSeconds(median(labMs))} |`,
    '',
    `Ratio lab / bare: **${ratio.toFixed(2)}×** (target ≤ 1.15×).`,
    '',
  );

  // 2. The README's test command, once, from start to end.
  if (!options.skipTests) {
    const testMs = await timeCommandMs('npm', ['test'], path.join(os.tmpdir(), 'lab-bench-npm-test.log'));
    log(`npm test: ${formatSeconds(testMs)}`);
    report.push('## The test command', '', '| command | wall time | target |', '| --- | --- | --- |', `| \`npm test\` (Keycloak ${version}, distribution already downloaded) | ${formatSeconds(testMs)} | ≤ 180 s |`, '');
  }

  // 3 and 4 share one Keycloak and the servers.
  const keycloak = await new NativeKeycloak(version, config.cacheDir)
    .withInstanceName('bench')
    .withPorts(ports.keycloak, ports.management)
    .withHostnameUrl(`http://localhost:${ports.keycloak}`)
    .withDatabase('dev-mem')
    .start();
  // Provisioned for the spec-mode server's URL: its audience mapper puts that resource into `aud`.
  const specUrl = `http://localhost:${specPort}`;
  const benchConfig = withSettings(config, {
    KEYCLOAK_PORT: String(ports.keycloak), KEYCLOAK_URL: keycloak.getUrl(), KEYCLOAK_INTERNAL_URL: '',
    WHOAMI_PORT: String(specPort), WHOAMI_URL: '', AUTH_MODE: 'spec',
  });
  const stops: Array<() => Promise<void>> = [() => keycloak.stop()];
  try {
    await connectAndProvision(benchConfig);
    const servers = new Map<AuthMode, StartedWhoamiServer>();
    for (const [mode, port] of [['tutorial', ports.whoami], ['spec', specPort]] as const) {
      const server = await startWhoamiServer(withSettings(benchConfig, { WHOAMI_PORT: String(port), AUTH_MODE: mode, WHOAMI_SDK: 'node' }), { logPath: path.join(os.tmpdir(), `lab-bench-whoami-${mode}.log`) });
      servers.set(mode, server);
      stops.push(() => server.stop());
    }
    const floor = await startService({
      description: 'The bare express server',
      file: process.execPath,
      args: [path.join(repoRoot, 'lab', 'bench', 'bare-express-server.ts'), String(floorPort)],
      logPath: path.join(os.tmpdir(), 'lab-bench-floor.log'),
      ready: `http://localhost:${floorPort}/healthz`,
      readyTimeoutMs: 10_000,
    });
    stops.push(() => floor.stop());

    // 3. whoami latency at `concurrency` clients, next to a bare express endpoint.
    // Spec mode asks for its scope and names the server as the resource (RFC 8707), as an MCP client does.
    const tokenFor = async (mode: AuthMode, username: string, password: string) => (await loginThroughForm({
      issuer: benchConfig.realm.issuer,
      clientId: config.client.id,
      redirectUri: config.client.testRedirectUri,
      scope: mode === 'spec' ? `${config.client.scope} ${config.server.whoamiScope}` : config.client.scope,
      resource: mode === 'spec' ? specUrl : undefined,
      username,
      password,
    })).access_token;
    const load = (serverUrl: string, token: string | undefined) => runLoad({
      concurrency: options.concurrency,
      durationMs: options.loadDurationMs,
      maxRequests: 50_000,
      request: async () => (await callWhoamiOverHttp(serverUrl, token)).ok,
    });
    const latencyRows: Array<[string, LoadResult]> = [];
    latencyRows.push(['bare express, no MCP, no auth (the floor)', await load(`http://localhost:${floorPort}`, undefined)]);
    for (const [mode, server] of servers) {
      const token = await tokenFor(mode, config.user.username, config.user.password);
      latencyRows.push([mode === 'tutorial' ? 'tutorial mode (userinfo call per request)' : 'spec mode (JWT checked locally)', await load(server.url, token)]);
    }
    for (const [label, result] of latencyRows) log(`latency ${label}: p95 ${result.p95Ms.toFixed(1)} ms, ${result.requestsPerSecond.toFixed(0)} req/s, ${result.errors} errors`);
    report.push(
      `## whoami latency (${options.concurrency} concurrent clients, ${options.loadDurationMs / 1000} s each, Streamable HTTP)`,
      '',
      '| target | requests | errors | req/s | p50 | p95 | p99 |',
      '| --- | --- | --- | --- | --- | --- | --- |',
      ...latencyRows.map(([label, r]) => `| ${label} | ${r.requests} | ${r.errors} | ${r.requestsPerSecond.toFixed(0)} | ${r.p50Ms.toFixed(1)} ms | ${r.p95Ms.toFixed(1)} ms | ${r.p99Ms.toFixed(1)} ms |`),
      '',
      'Target: spec mode p95 < 20 ms at 100 concurrent clients.',
      '',
    );

    // 4. A classroom: every student logs in at once, then calls whoami K times.
    const students = numberedRoster(options.students).map((student) => ({ ...student, username: `bench-${student.username}` }));
    await provisionStudents(await connectToKeycloak(benchConfig), students, benchConfig);
    const tutorialServer = servers.get('tutorial')!;
    const loginsStartedAt = performance.now();
    const logins = await Promise.all(students.map(async (student) => {
      const startedAt = performance.now();
      try {
        return { student, token: await tokenFor('tutorial', student.username, student.password), ms: performance.now() - startedAt };
      } catch {
        return { student, token: undefined, ms: performance.now() - startedAt };
      }
    }));
    const loginWallMs = performance.now() - loginsStartedAt;
    const loginErrors = logins.filter(({ token }) => !token).length;
    const callLatenciesMs: number[] = [];
    let callErrors = 0;
    await Promise.all(logins.map(async ({ student, token }) => {
      for (let call = 0; call < options.callsPerStudent && token; call++) {
        const startedAt = performance.now();
        const { ok, text } = await callWhoamiOverHttp(tutorialServer.url, token).catch(() => ({ ok: false, text: '' }));
        callLatenciesMs.push(performance.now() - startedAt);
        // Each student must see their own claims and nobody else's.
        if (!ok || !text.includes(`\\"preferred_username\\":\\"${student.username}\\"`)) callErrors++;
      }
    }));
    const keycloakRss = residentMemoryMiB(keycloak.getPid()!);
    const serverRss = residentMemoryMiB(tutorialServer.pid);
    const loginP95 = percentiles(logins.map(({ ms }) => ms)).p95Ms;
    const callP95 = percentiles(callLatenciesMs).p95Ms;
    log(`classroom: ${students.length} logins in ${formatSeconds(loginWallMs)}, ${loginErrors} login errors, ${callErrors} whoami errors`);
    report.push(
      `## Classroom load (${students.length} students log in at once through the login form, then call whoami ${options.callsPerStudent} times each; tutorial mode)`,
      '',
      '| logins/s | login errors | login p95 | whoami calls | whoami errors | whoami p95 | Keycloak RSS | whoami server RSS |',
      '| --- | --- | --- | --- | --- | --- | --- | --- |',
      `| ${((students.length / loginWallMs) * 1000).toFixed(1)} | ${loginErrors} | ${loginP95.toFixed(0)} ms | ${callLatenciesMs.length} | ${callErrors} | ${callP95.toFixed(0)} ms | ${keycloakRss.toFixed(0)} MiB | ${serverRss.toFixed(0)} MiB |`,
      '',
    );
    if (loginErrors + callErrors > 0) {
      writeReport(config, report, options, java.majorVersion);
      throw new LabError('ERR_BENCH', `The classroom load had ${loginErrors} login and ${callErrors} whoami errors (must be 0)`, { hint: `see ${benchmarksPath}` });
    }
  } finally {
    for (const stop of stops.reverse()) await stop();
  }
  writeReport(config, report, options, java.majorVersion);
  log(`Wrote ${benchmarksPath}.`);
  return 0;
}

function writeReport(config: LabConfig, sections: string[], options: BenchOptions, javaMajorVersion: number): void {
  const flags = `--runs ${options.runs} --students ${options.students} --calls ${options.callsPerStudent} --concurrency ${options.concurrency}${options.skipTests ? ' --skip-tests' : ''}`;
  writeFileSync(benchmarksPath, [
    '# Benchmarks',
    '',
    `Written by \`npm run bench -- ${flags}\` on ${new Date().toISOString().slice(0, 10)}.`,
    `Machine: ${describeMachine(javaMajorVersion)}. Keycloak ${config.keycloak.version} from its distribution.`,
    'The load generator runs on the same machine as Keycloak and the servers, so it takes its share of the cores.',
    '',
    ...sections,
  ].join('\n'));
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Runs a command to its end (output to a log) and returns its wall time; a failure is an error. */
async function timeCommandMs(command: string, args: string[], logPath: string): Promise<number> {
  const startedAt = performance.now();
  const { exitCode, stdout, stderr } = await runCommand(command, args, { cwd: repoRoot });
  writeFileSync(logPath, stdout + stderr);
  if (exitCode !== 0) throw new LabError('ERR_BENCH', `\`${command} ${args.join(' ')}\` failed with exit code ${exitCode}`, { hint: `see ${logPath}` });
  return performance.now() - startedAt;
}
