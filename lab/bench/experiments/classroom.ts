import { discoverAuthorizationServerMetadata, discoverOAuthProtectedResourceMetadata } from '@modelcontextprotocol/sdk/client/auth.js';
import { connectToKeycloak } from '../../../provisioning/provision.ts';
import { provisionStudents } from '../../../provisioning/provision-students.ts';
import { numberedRoster } from '../../../provisioning/roster.ts';
import { formatSeconds } from '../../progress.ts';
import type { TimedLogin } from '../browser-logins.ts';
import { keycloakMetadata, type LoginRequest } from '../browser-logins.ts';
import { describeRatio, loadColumns, loadRow, type MeasuredTarget } from '../comparison.ts';
import type { BenchContext, BenchExperiment } from '../experiment.ts';
import { describeErrors, generateLoad, type LoadResult } from '../load-generator.ts';
import { residentMemoryMiB } from '../process-memory.ts';
import { whoamiAnswerFor, whoamiCall } from '../whoami-request.ts';

/** The whoami server's resident memory after the classroom's load, at most (the instructor's machine serves the room). */
const serverMemoryTargetMiB = 150;

/**
 * A classroom: every student logs in at once, then calls whoami K times (tutorial mode, on a
 * whoami server of its own, so that its memory is the classroom's alone). The logins are measured
 * twice, side by side: straight at Keycloak (its own login throughput, the floor) and the way a
 * student's MCP client logs in, finding Keycloak through the whoami server. The server is weighed
 * idle, after the load, and once more after `settleMs` of quiet.
 */
export const classroom: BenchExperiment = {
  name: 'classroom',
  measuring: 'a classroom: every student logs in at once, then calls whoami',
  async run(bench) {
    const { servers, options } = bench;
    const { keycloak, benchConfig } = await servers.keycloak();
    const server = await servers.whoamiServer('classroom');
    const browser = await servers.browser();
    const students = numberedRoster(options.students).map((student) => ({ ...student, username: `bench-${student.username}` }));
    await provisionStudents(await connectToKeycloak(benchConfig), students, benchConfig);
    const login = loginRequestFor(bench, benchConfig.realm.issuer);

    // A few logins first, unmeasured: Keycloak's login pages compiled before either side is timed.
    await browser.logInAtOnce(students.slice(0, 5), () => login(keycloakMetadata(benchConfig.realm.issuer)));
    const serverIdleMiB = residentMemoryMiB(server.pid);
    const keycloakAlone = await timeLogins(keycloak.getPid(), () =>
      browser.logInAtOnce(students, () => login(keycloakMetadata(benchConfig.realm.issuer))),
    );
    const throughTheLab = await timeLogins(keycloak.getPid(), () =>
      browser.logInAtOnce(students, () => login(discoverThroughServer(server.url))),
    );

    const tokens = throughTheLab.logins.map(({ accessToken }) => accessToken);
    const callsRssBeforeMiB = residentMemoryMiB(server.pid);
    const calls = await generateLoad({
      ...whoamiCall(server.url, undefined, ''),
      expect: undefined,
      connections: students.length,
      requestsPerConnection: options.callsPerStudent,
      maxRequests: students.length * options.callsPerStudent,
      durationMs: 120_000,
      // Each connection is one student, with their own token; each answer must hold their own claims.
      clients: students.flatMap(({ username }, index) =>
        tokens[index] ? [{ headers: { Authorization: `Bearer ${tokens[index]}` }, expect: whoamiAnswerFor(username) }] : [],
      ),
    });
    const serverAfterMiB = residentMemoryMiB(server.pid);
    await new Promise((resolve) => setTimeout(resolve, options.settleMs));
    const serverSettledMiB = residentMemoryMiB(server.pid);

    const measured: MeasuredTarget[] = [
      measuredLogins(
        `Keycloak's login form alone: ${students.length} students at once, metadata from Keycloak (the floor)`,
        'Keycloak alone',
        keycloakAlone,
      ),
      measuredLogins(
        `the classroom's logins: ${students.length} students at once, each MCP client finding Keycloak through the whoami server`,
        'classroom logins',
        throughTheLab,
      ),
      {
        label: `the classroom's whoami calls: ${students.length} students × ${options.callsPerStudent}, each answer checked for the student's own claims (whoami server's memory)`,
        name: 'whoami calls',
        pid: server.pid,
        load: async () => whoamiCall(server.url, undefined, ''),
        result: calls,
        rssBeforeMiB: callsRssBeforeMiB,
        rssAfterMiB: serverAfterMiB,
      },
    ];
    const loginErrors = keycloakAlone.result.errors + throughTheLab.result.errors;
    const memoryNote =
      `whoami server (tutorial mode) resident memory: ${serverIdleMiB.toFixed(0)} MiB idle, ${serverAfterMiB.toFixed(0)} MiB after the classroom's load ` +
      `(target ≤ ${serverMemoryTargetMiB} MiB${serverAfterMiB <= serverMemoryTargetMiB ? ', met' : ', **not met**'}), ` +
      `${serverSettledMiB.toFixed(0)} MiB ${formatSeconds(options.settleMs)} later.`;
    const ratio = describeRatio(measured, { subject: 'classroom logins', floor: 'Keycloak alone' });
    return {
      section: {
        heading: `Classroom (${students.length} students log in at once in Chromium, then call whoami ${options.callsPerStudent} times each; tutorial mode)`,
        columns: loadColumns.map((column) => (column === 'req/s' ? 'per second' : column)),
        rows: measured.map(loadRow),
        notes: [`${ratio} (logins per second). RSS of the logins is Keycloak's; of the calls, the whoami server's.`, memoryNote],
      },
      summary: [
        `classroom: Keycloak alone ${keycloakAlone.result.requestsPerSecond.toFixed(1)} logins/s, through the lab ${throughTheLab.result.requestsPerSecond.toFixed(1)} logins/s, ${loginErrors} login errors, ${calls.errors} whoami errors`,
        memoryNote.replaceAll('**', ''),
      ],
      failure:
        loginErrors + calls.errors > 0
          ? `The classroom had ${loginErrors} login errors and ${calls.errors} whoami errors${calls.errors ? ` (${describeErrors(calls)})` : ''} (must be 0)`
          : undefined,
    };
  },
};

/** What every student's client asks Keycloak for, given where it found Keycloak's metadata. */
function loginRequestFor({ config }: BenchContext, issuer: string) {
  return async (metadata: Promise<LoginRequest['metadata']>): Promise<LoginRequest> => ({
    metadata: await metadata,
    issuer,
    clientId: config.client.id,
    redirectUri: config.client.testRedirectUri,
    scope: config.client.scope,
  });
}

/** What an MCP client does on the server's 401: its protected resource metadata (RFC 9728) names Keycloak. */
async function discoverThroughServer(serverUrl: string): Promise<LoginRequest['metadata']> {
  const { url, headers, body } = whoamiCall(serverUrl, undefined, '');
  const challenged = await fetch(url, { method: 'POST', headers, body });
  if (challenged.status !== 401) throw new Error(`${serverUrl} answered ${challenged.status} without a token, not 401`);
  const resourceMetadata = await discoverOAuthProtectedResourceMetadata(serverUrl);
  const issuer = resourceMetadata.authorization_servers?.[0];
  if (!issuer) throw new Error(`${serverUrl} names no authorization server`);
  const metadata = await discoverAuthorizationServerMetadata(issuer);
  if (!metadata) throw new Error(`No authorization server metadata at ${issuer}`);
  return metadata;
}

interface TimedLogins {
  logins: TimedLogin[];
  result: LoadResult;
  keycloakBeforeMiB: number;
  keycloakAfterMiB: number;
  pid: number;
}

async function timeLogins(keycloakPid: number, logIn: () => Promise<{ logins: TimedLogin[]; wallMs: number }>): Promise<TimedLogins> {
  const keycloakBeforeMiB = residentMemoryMiB(keycloakPid);
  const { logins, wallMs } = await logIn();
  const failed = logins.filter(({ accessToken }) => !accessToken).length;
  const sorted = logins.map(({ ms }) => ms).sort((a, b) => a - b);
  const at = (fraction: number) => sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)] ?? Number.NaN;
  return {
    logins,
    result: {
      requests: logins.length,
      errors: failed,
      errorKinds: { connection: 0, timeout: 0, non2xx: 0, wrongAnswer: failed },
      durationMs: wallMs,
      requestsPerSecond: (logins.length / wallMs) * 1000,
      p50Ms: at(0.5),
      p99Ms: at(0.99),
    },
    keycloakBeforeMiB,
    keycloakAfterMiB: residentMemoryMiB(keycloakPid),
    pid: keycloakPid,
  };
}

function measuredLogins(label: string, name: string, logins: TimedLogins): MeasuredTarget {
  return {
    label,
    name,
    pid: logins.pid,
    load: () => Promise.reject(new TypeError('measured already')),
    result: logins.result,
    rssBeforeMiB: logins.keycloakBeforeMiB,
    rssAfterMiB: logins.keycloakAfterMiB,
  };
}
