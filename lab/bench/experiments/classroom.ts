import { connectToKeycloak } from '../../../provisioning/provision.ts';
import { provisionStudents } from '../../../provisioning/provision-students.ts';
import { numberedRoster } from '../../../provisioning/roster.ts';
import { formatSeconds } from '../../progress.ts';
import type { BenchServers } from '../bench-servers.ts';
import type { BenchExperiment } from '../experiment.ts';
import { percentiles } from '../load.ts';
import { residentMemoryMiB } from '../process-memory.ts';
import { callWhoamiOverHttp } from '../whoami-request.ts';

interface Student {
  username: string;
  password: string;
}
interface Login {
  student: Student;
  token: string | undefined;
  ms: number;
}

/** A classroom: every student logs in at once, then calls whoami K times (tutorial mode). */
export const classroom: BenchExperiment = {
  name: 'classroom',
  measuring: 'a classroom: every student logs in at once, then calls whoami',
  async run({ servers, options }) {
    const { keycloak, benchConfig } = await servers.keycloak();
    const tutorialServer = (await servers.whoamiServers()).get('tutorial')!;
    const students = numberedRoster(options.students).map((student) => ({ ...student, username: `bench-${student.username}` }));
    await provisionStudents(await connectToKeycloak(benchConfig), students, benchConfig);

    const loginsStartedAt = performance.now();
    const logins = await Promise.all(students.map((student) => logIn(servers, student)));
    const loginWallMs = performance.now() - loginsStartedAt;
    const loginErrors = logins.filter(({ token }) => !token).length;
    const calls = await callWhoamiAsEachStudent(tutorialServer.url, logins, options.callsPerStudent);
    const keycloakRss = residentMemoryMiB(keycloak.getPid()!);
    const serverRss = residentMemoryMiB(tutorialServer.pid);
    const loginP95 = percentiles(logins.map(({ ms }) => ms)).p95Ms;
    const callP95 = percentiles(calls.latenciesMs).p95Ms;
    return {
      section: {
        heading: `Classroom load (${students.length} students log in at once through the login form, then call whoami ${options.callsPerStudent} times each; tutorial mode)`,
        columns: [
          'logins/s',
          'login errors',
          'login p95',
          'whoami calls',
          'whoami errors',
          'whoami p95',
          'Keycloak RSS',
          'whoami server RSS',
        ],
        rows: [
          [
            ((students.length / loginWallMs) * 1000).toFixed(1),
            String(loginErrors),
            `${loginP95.toFixed(0)} ms`,
            String(calls.latenciesMs.length),
            String(calls.errors),
            `${callP95.toFixed(0)} ms`,
            `${keycloakRss.toFixed(0)} MiB`,
            `${serverRss.toFixed(0)} MiB`,
          ],
        ],
      },
      summary: [
        `classroom: ${students.length} logins in ${formatSeconds(loginWallMs)}, ${loginErrors} login errors, ${calls.errors} whoami errors`,
      ],
      failure:
        loginErrors + calls.errors > 0
          ? `The classroom load had ${loginErrors} login and ${calls.errors} whoami errors (must be 0)`
          : undefined,
    };
  },
};

/** A failed login is counted, not thrown: the others go on. */
async function logIn(servers: BenchServers, student: Student): Promise<Login> {
  const startedAt = performance.now();
  try {
    return { student, token: await servers.accessToken('tutorial', student.username, student.password), ms: performance.now() - startedAt };
  } catch {
    return { student, token: undefined, ms: performance.now() - startedAt };
  }
}

/** Every student who got a token, at once, `callsPerStudent` calls each, one after the other. */
async function callWhoamiAsEachStudent(
  serverUrl: string,
  logins: Login[],
  callsPerStudent: number,
): Promise<{ latenciesMs: number[]; errors: number }> {
  const latenciesMs: number[] = [];
  let errors = 0;
  await Promise.all(
    logins.map(async ({ student, token }) => {
      for (let call = 0; call < callsPerStudent && token; call++) {
        const startedAt = performance.now();
        const { ok, text } = await callWhoamiOverHttp(serverUrl, token).catch(() => ({ ok: false, text: '' }));
        latenciesMs.push(performance.now() - startedAt);
        // Each student must see their own claims and nobody else's.
        if (!ok || !text.includes(`\\"preferred_username\\":\\"${student.username}\\"`)) errors++;
      }
    }),
  );
  return { latenciesMs, errors };
}
