/**
 * Checks of the tutorial's Logto tab (LAB_PROVIDER=logto): Logto and its database answer, and what
 * the tab has the learner click in Logto's Console is there and right — read through Logto's
 * Management API. Each turning of an answer into a line is a pure `…Verdict` function, so the unit
 * tier holds every wording without a Logto.
 *
 *   Logto port            /api/status answers, discovery names the configured issuer
 *   Logto database        its PostgreSQL answers on LOGTO_DB_PORT
 *   application           "MCP Inspector" exists, as a Single-page application
 *   redirect URI          it has the Inspector's callback (Logto's CORS follows the redirect URIs)
 *   user testuser         exists, and its password is the lab's
 *   API resource          spec mode: the server's URL, with the mcp:whoami permission, granted to testuser by a role
 */
import type { LabConfig } from '../../core/config.ts';
import { isPortOpen } from '../../core/ports.ts';
import { connectLogtoManagement, type LogtoManagement } from '../../provisioning/logto-management.ts';
import { type Answer, httpGet } from '../check/probes.ts';
import { t } from '../../core/messages.ts';
import { ok, problem, skipped, type CheckResult } from './check.ts';

const startCommand = '`LAB_PROVIDER=logto npm run lab`';
const provisionAgain = () => t('doctor.logto.provision-again', { command: startCommand });

/** What the doctor needs of a Logto application, as its Management API answers. */
export interface LogtoApplication {
  id: string;
  name: string;
  type: string;
  oidcClientMetadata?: { redirectUris?: string[] };
}

export async function checkLogtoPort(lab: LabConfig): Promise<CheckResult> {
  const status = await httpGet(new URL(`${lab.logto.url}/api/status`), { timeoutMs: 3_000 });
  const discovery =
    'error' in status ? status : await httpGet(new URL(`${lab.provider.issuer}/.well-known/openid-configuration`), { timeoutMs: 5_000 });
  return logtoPortVerdict(lab, status, discovery);
}

export function logtoPortVerdict(lab: LabConfig, status: Answer, discovery: Answer): CheckResult {
  const name = t('doctor.name.logto-port', { port: lab.logto.port });
  const elsewhere = t('doctor.fix.port-taken', { port: lab.logto.port, setting: 'LOGTO_PORT' });
  if ('error' in status)
    return problem(
      name,
      t('doctor.port.nothing', { url: lab.logto.url, error: status.error }),
      t('doctor.fix.start-lab', { command: startCommand }),
    );
  if (status.status !== 204)
    return problem(name, t('doctor.logto-port.stranger', { url: lab.logto.url, status: status.status }), elsewhere);
  const issuer = 'error' in discovery ? undefined : (discovery.json as { issuer?: unknown } | undefined)?.issuer;
  if (issuer !== lab.provider.issuer) {
    return problem(
      name,
      t('doctor.logto-port.other-issuer', {
        hasIssuer: typeof issuer === 'string' ? 'yes' : 'no',
        actual: typeof issuer === 'string' ? issuer : '',
        issuer: lab.provider.issuer,
      }),
      t('doctor.fix.same-settings', { settings: 'LAB_PUBLIC_HOST, LOGTO_PORT' }),
    );
  }
  return ok(name, t('doctor.logto-port.ok', { url: lab.logto.url, issuer: lab.provider.issuer }));
}

export async function checkLogtoDatabase(lab: LabConfig): Promise<CheckResult> {
  const name = t('doctor.name.logto-database-port', { port: lab.logto.dbPort });
  return (await isPortOpen(lab.logto.dbPort))
    ? ok(name, t('doctor.logto-database.ok', { port: lab.logto.dbPort }))
    : problem(name, t('doctor.logto-database.nothing'), t('doctor.fix.start-lab', { command: startCommand }));
}

export function applicationVerdict(lab: LabConfig, application: LogtoApplication | undefined): CheckResult {
  const name = t('doctor.name.application');
  const { appName } = lab.logto;
  if (!application) {
    return problem(
      name,
      t('doctor.application.missing', { appName, hasAppId: lab.provider.clientId ? 'yes' : 'no', appId: lab.provider.clientId }),
      provisionAgain(),
    );
  }
  if (application.type === 'SPA') return ok(name, t('doctor.application.ok', { appName: application.name, appId: application.id }));
  if (application.type === 'Native') return ok(name, t('doctor.application.native', { appName: application.name }));
  // Where Logto's Console would show each application type's mistake, in the learner's terms.
  return problem(
    name,
    t('doctor.application.wrong-type', { appName: application.name, type: application.type }),
    t('doctor.application.wrong-type-fix', { command: startCommand }),
  );
}

export function redirectUriVerdict(lab: LabConfig, application: LogtoApplication): CheckResult {
  const name = t('doctor.name.redirect-uri');
  const wanted = lab.client.inspectorRedirectUri;
  const uris = application.oidcClientMetadata?.redirectUris ?? [];
  if (uris.includes(wanted)) return ok(name, t('doctor.logto-redirect-uri.ok', { redirectUri: wanted }));
  return problem(
    name,
    t('doctor.logto-redirect-uri.missing', {
      appName: application.name,
      hasUris: uris.length ? 'yes' : 'no',
      uris: uris.join(', '),
      redirectUri: wanted,
    }),
    t('doctor.logto-redirect-uri.fix', { redirectUri: wanted, command: startCommand }),
  );
}

export function userVerdict(lab: LabConfig, found: boolean, passwordStatus: number | undefined): CheckResult {
  const name = t('doctor.name.user', { username: lab.user.username });
  if (!found) return problem(name, t('doctor.logto-user.missing'), provisionAgain());
  if (passwordStatus !== 204) return problem(name, t('doctor.logto-user.password', { password: lab.user.password }), provisionAgain());
  return ok(name, t('doctor.logto-user.ok', { password: lab.user.password }));
}

export function apiResourceVerdict(
  lab: LabConfig,
  resource: { id: string; scopes: string[] } | undefined,
  userScopes: string[],
): CheckResult {
  const name = t('doctor.name.api-resource');
  const { resourceUrl, whoamiScope } = lab.server;
  const username = lab.user.username;
  if (!resource) return problem(name, t('doctor.api-resource.missing', { resourceUrl }), provisionAgain());
  if (!resource.scopes.includes(whoamiScope))
    return problem(name, t('doctor.api-resource.no-permission', { resourceUrl, scope: whoamiScope }), provisionAgain());
  if (!userScopes.includes(whoamiScope))
    return problem(name, t('doctor.api-resource.no-role', { username, scope: whoamiScope }), provisionAgain());
  return ok(name, t('doctor.api-resource.ok', { resourceUrl, scope: whoamiScope, username }));
}

/** The names of the checks that ask Logto's Management API, in order. */
export function logtoConsoleCheckNames(lab: LabConfig): string[] {
  return [
    t('doctor.name.application'),
    t('doctor.name.redirect-uri'),
    t('doctor.name.user', { username: lab.user.username }),
    ...(lab.server.mode === 'spec' ? [t('doctor.name.api-resource')] : []),
  ];
}

/** The checks that ask Logto's Management API; skipped together when Logto is not there. */
export async function logtoConsoleChecks(lab: LabConfig): Promise<CheckResult[]> {
  const names = logtoConsoleCheckNames(lab);
  let management: LogtoManagement;
  try {
    management = await connectLogtoManagement(lab);
  } catch (error) {
    return [
      problem(t('doctor.name.management-api'), (error as Error).message, provisionAgain()),
      ...names.map((name) => skipped(name, t('doctor.skipped.no-management-token'))),
    ];
  }
  const application = await findApplication(lab, management);
  const results = [applicationVerdict(lab, application)];
  results.push(
    application ? redirectUriVerdict(lab, application) : skipped(t('doctor.name.redirect-uri'), t('doctor.skipped.no-application')),
  );
  const [user] = await management.api<Array<{ id: string }>>(
    'GET',
    `/users?search.username=${encodeURIComponent(lab.user.username)}&mode.username=exact`,
  );
  const verify = user ? await management.request('POST', `/users/${user.id}/password/verify`, { password: lab.user.password }) : undefined;
  results.push(userVerdict(lab, user !== undefined, verify?.status));
  if (lab.server.mode === 'spec') results.push(await checkApiResource(lab, management, user?.id));
  return results;
}

async function findApplication(lab: LabConfig, management: LogtoManagement): Promise<LogtoApplication | undefined> {
  const { clientId } = lab.provider;
  if (clientId) {
    const byId = await management.request('GET', `/applications/${encodeURIComponent(clientId)}`);
    if (byId.status === 200) return byId.json as LogtoApplication;
  }
  const all = await management.api<LogtoApplication[]>(
    'GET',
    `/applications?page_size=100&search=${encodeURIComponent(lab.logto.appName)}`,
  );
  return all.find(({ name }) => name === lab.logto.appName);
}

async function checkApiResource(lab: LabConfig, management: LogtoManagement, userId: string | undefined): Promise<CheckResult> {
  const resources = await management.api<Array<{ id: string; indicator: string }>>('GET', '/resources?page_size=100');
  const resource = resources.find(({ indicator }) => indicator === lab.server.resourceUrl);
  const scopes = resource ? await management.api<Array<{ name: string }>>('GET', `/resources/${resource.id}/scopes`) : [];
  const userScopes = userId && resource ? await grantedScopes(management, userId, resource.id) : [];
  return apiResourceVerdict(lab, resource && { id: resource.id, scopes: scopes.map(({ name }) => name) }, userScopes);
}

/**
 * The permissions of the API resource `resourceId` the user's roles grant. Logto's Management API
 * has no list of a user's permissions: its roles, then each role's permissions (with their resource).
 */
async function grantedScopes(management: LogtoManagement, userId: string, resourceId: string): Promise<string[]> {
  const roles = await management.api<Array<{ id: string }>>('GET', `/users/${userId}/roles?page_size=100`);
  const scopes = await Promise.all(
    roles.map(({ id }) => management.api<Array<{ name: string; resourceId: string }>>('GET', `/roles/${id}/scopes?page_size=100`)),
  );
  return scopes.flat().flatMap((scope) => (scope.resourceId === resourceId ? [scope.name] : []));
}
