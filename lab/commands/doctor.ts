import type { LabConfig } from '../../core/config.ts';
import { LabError } from '../../core/errors.ts';
import { connectAdminClient } from '../../provisioning/admin-client.ts';
import { formatResult, problem, skipped, type CheckResult } from '../doctor/check.ts';
import { readKeycloakServer } from '../../provisioning/keycloak-server.ts';
import { checkAudience, checkClient, checkUser } from '../doctor/realm-checks.ts';
import { registrationCheckNames, registrationChecks } from '../doctor/registration-checks.ts';
import { checkIssuer, checkKeycloakPort, checkKeycloakReady, checkWhoamiPort } from '../doctor/service-checks.ts';

/**
 * `lab doctor`: checks a running lab for the classic mistakes, one line each — ok, or the problem
 * and its fix — and exits 1 when anything is wrong.
 */
export async function doctor(config: LabConfig): Promise<number> {
  const results: CheckResult[] = [];
  const report = (result: CheckResult) => {
    results.push(result);
    console.log(formatResult(result));
  };

  const keycloakPort = await checkKeycloakPort(config);
  report(keycloakPort);
  const ready = await checkKeycloakReady(config);
  report(ready);
  const whoami = await checkWhoamiPort(config);
  report(whoami.result);
  report(await checkIssuer(config, whoami.health));

  const realmChecks = ['redirect URI', 'web origin', 'audience', `user ${config.user.username}`, ...registrationCheckNames(config)];
  if (keycloakPort.status !== 'ok' || ready.status !== 'ok') {
    for (const name of realmChecks) report(skipped(name, 'Keycloak not ready'));
  } else {
    let admin: Awaited<ReturnType<typeof connectAdminClient>> | undefined;
    try {
      admin = await connectAdminClient({
        baseUrl: config.keycloak.adminUrl,
        username: config.keycloak.adminUsername,
        password: config.keycloak.adminPassword,
      });
    } catch (error) {
      report(
        problem(
          'admin login',
          error instanceof LabError ? error.message : String(error),
          'set KEYCLOAK_ADMIN_USERNAME / KEYCLOAK_ADMIN_PASSWORD to an admin of this Keycloak',
        ),
      );
    }
    if (admin) {
      const realmExists = await admin.realms.findOne({ realm: config.realm.name });
      if (!realmExists) {
        for (const name of realmChecks) report(skipped(name, `realm ${config.realm.name} does not exist`));
      } else {
        const server = await readKeycloakServer(admin);
        for (const result of await checkClient(admin, config)) report(result);
        report(await checkAudience(admin, config, server));
        report(await checkUser(admin, config));
        for (const result of await registrationChecks(admin, config, server)) report(result);
      }
    }
  }

  const problems = results.filter(({ status }) => status === 'problem').length;
  console.log(
    problems === 0
      ? 'No problems found.'
      : `${problems} problem${problems === 1 ? '' : 's'} found; fix them and run \`npm run lab -- doctor\` again.`,
  );
  return problems === 0 ? 0 : 1;
}
