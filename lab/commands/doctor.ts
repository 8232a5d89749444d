import type { LabConfig } from '../../core/config.ts';
import { LabError } from '../../core/errors.ts';
import { t } from '../../core/messages.ts';
import { connectAdminClient } from '../../provisioning/admin-client.ts';
import { formatResult, problem, skipped, type CheckResult } from '../doctor/check.ts';
import { readKeycloakServer } from '../../provisioning/keycloak-server.ts';
import { checkProviderPort, providerAbsentReason, providerChecks, providerIssuerVerdict } from '../doctor/provider-checks.ts';
import { checkLogtoDatabase, checkLogtoPort, logtoConsoleCheckNames, logtoConsoleChecks } from '../doctor/logto-checks.ts';
import { checkAudience, checkClient, checkRealmLanguage, checkStepUp, checkUser, stepUpCheckNames } from '../doctor/realm-checks.ts';
import { registrationCheckNames, registrationChecks } from '../doctor/registration-checks.ts';
import { checkIssuer, checkKeycloakPort, checkKeycloakReady, checkWhoamiPort } from '../doctor/service-checks.ts';

type Report = (result: CheckResult) => void;

/**
 * `lab doctor`: checks a running lab for the classic mistakes, one line each — ok, or the problem
 * and its fix — and exits 1 when anything is wrong. The Keycloak tab's lab is a realm in Keycloak;
 * the OIDC and OAuth 2 tabs' is the lab's own authorization server (docs/doctor.md).
 */
export async function doctor(config: LabConfig): Promise<number> {
  const results: CheckResult[] = [];
  const report: Report = (result) => {
    results.push(result);
    console.log(formatResult(result));
  };

  if (config.provider.kind === 'keycloak') await keycloakLabChecks(config, report);
  else if (config.provider.kind === 'logto') await logtoLabChecks(config, report);
  else await providerLabChecks(config, report);

  const problems = results.filter(({ status }) => status === 'problem').length;
  console.log(problems === 0 ? t('doctor.summary.none') : t('doctor.summary.problems', { count: problems }));
  return problems === 0 ? 0 : 1;
}

/**
 * The OIDC and OAuth 2 tabs: the authorization server's port, then what the tab's code and the
 * Inspector ask of it (skipped when it is not there), then the whoami server and its issuer.
 */
async function providerLabChecks(config: LabConfig, report: Report): Promise<void> {
  const providerPort = await checkProviderPort(config);
  report(providerPort);
  for (const check of providerChecks(config)) {
    report(providerPort.status === 'ok' ? await check.run(config) : skipped(check.name, providerAbsentReason(config)));
  }
  const whoami = await checkWhoamiPort(config);
  report(whoami.result);
  report(providerIssuerVerdict(config, whoami.health));
}

/** The Logto tab: Logto and its database, what the Console holds (when Logto answers), the whoami server and its issuer. */
async function logtoLabChecks(config: LabConfig, report: Report): Promise<void> {
  const logtoPort = await checkLogtoPort(config);
  report(logtoPort);
  report(await checkLogtoDatabase(config));
  if (logtoPort.status === 'ok') for (const result of await logtoConsoleChecks(config)) report(result);
  else for (const name of logtoConsoleCheckNames(config)) report(skipped(name, t('doctor.skipped.logto-silent')));
  const whoami = await checkWhoamiPort(config);
  report(whoami.result);
  report(providerIssuerVerdict(config, whoami.health));
}

/**
 * The Keycloak tab: Keycloak's ports, the whoami server, the issuer, then the realm through the
 * admin API (its language first: Keycloak's login pages are the realm's).
 */
async function keycloakLabChecks(config: LabConfig, report: Report): Promise<void> {
  const keycloakPort = await checkKeycloakPort(config);
  report(keycloakPort);
  const ready = await checkKeycloakReady(config);
  report(ready);
  const whoami = await checkWhoamiPort(config);
  report(whoami.result);
  report(await checkIssuer(config, whoami.health));

  const realmChecks = [
    t('doctor.name.realm-language'),
    t('doctor.name.redirect-uri'),
    t('doctor.name.web-origin'),
    t('doctor.name.audience'),
    t('doctor.name.user', { username: config.user.username }),
    ...stepUpCheckNames(config),
    ...registrationCheckNames(config),
  ];
  if (keycloakPort.status !== 'ok' || ready.status !== 'ok') {
    for (const name of realmChecks) report(skipped(name, t('doctor.skipped.keycloak-not-ready')));
  } else {
    let admin: Awaited<ReturnType<typeof connectAdminClient>> | undefined;
    try {
      admin = await connectAdminClient({
        baseUrl: config.keycloak.adminUrl,
        username: config.keycloak.adminUsername,
        password: config.keycloak.adminPassword,
      });
    } catch (error) {
      report(problem(t('doctor.name.admin-login'), error instanceof LabError ? error.message : String(error), t('doctor.admin-login.fix')));
    }
    if (admin) {
      const realmExists = await admin.realms.findOne({ realm: config.realm.name });
      if (!realmExists) {
        for (const name of realmChecks) report(skipped(name, t('doctor.realm.missing', { realm: config.realm.name })));
      } else {
        const server = await readKeycloakServer(admin);
        report(await checkRealmLanguage(admin, config));
        for (const result of await checkClient(admin, config)) report(result);
        report(await checkAudience(admin, config, server));
        report(await checkUser(admin, config));
        for (const result of await checkStepUp(admin, config)) report(result);
        for (const result of await registrationChecks(admin, config, server)) report(result);
      }
    }
  }
}
