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
import { ok, problem, skipped, type CheckResult } from './check.ts';

const startCommand = '`LAB_PROVIDER=logto npm run lab`';
const provisionAgain = `start the lab again with ${startCommand} (it puts back what provisioning made)`;

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
  const name = `Logto port ${lab.logto.port}`;
  const elsewhere = `stop it (\`ss -ltnp 'sport = :${lab.logto.port}'\`) or set LOGTO_PORT`;
  if ('error' in status)
    return problem(name, `nothing answers at ${lab.logto.url} (${status.error})`, `start the lab with ${startCommand}`);
  if (status.status !== 204)
    return problem(name, `taken by something else: ${lab.logto.url}/api/status answers HTTP ${status.status}, not like Logto`, elsewhere);
  const issuer = 'error' in discovery ? undefined : (discovery.json as { issuer?: unknown } | undefined)?.issuer;
  if (issuer !== lab.provider.issuer) {
    return problem(
      name,
      `Logto there issues tokens as ${typeof issuer === 'string' ? issuer : 'nothing (no discovery)'}, but this lab's settings say ${lab.provider.issuer}`,
      'run doctor with the settings the lab was started with (LAB_PUBLIC_HOST, LOGTO_PORT), or start the lab again with these',
    );
  }
  return ok(name, `Logto answers at ${lab.logto.url}, issuer ${lab.provider.issuer}`);
}

export async function checkLogtoDatabase(lab: LabConfig): Promise<CheckResult> {
  const name = `Logto database port ${lab.logto.dbPort}`;
  return (await isPortOpen(lab.logto.dbPort))
    ? ok(name, `its PostgreSQL answers on 127.0.0.1:${lab.logto.dbPort}`)
    : problem(name, 'nothing answers: Logto cannot work without it', `start the lab with ${startCommand}`);
}

/** Where Logto's Console would show each application type's mistake, in the learner's terms. */
const typeConsequences: Readonly<Record<string, string>> = {
  Traditional: 'a "Traditional web" application wants a client secret: the Inspector\'s token request fails with invalid_client',
  MachineToMachine: 'a "Machine-to-machine" application has no sign-in: the authorization request fails with invalid_request',
  Protected: 'a "Protected" application is not an OAuth client for the Inspector',
};

export function applicationVerdict(lab: LabConfig, application: LogtoApplication | undefined): CheckResult {
  const name = 'application';
  const { appName } = lab.logto;
  if (!application) {
    return problem(
      name,
      `no application "${appName}"${lab.provider.clientId ? ` and none with the App ID ${lab.provider.clientId}` : ''}`,
      provisionAgain,
    );
  }
  if (application.type === 'SPA') return ok(name, `"${application.name}", a Single-page application, App ID ${application.id}`);
  if (application.type === 'Native')
    return ok(name, `"${application.name}" is a Native application: it works, but the tutorial's is a Single-page application`);
  return problem(
    name,
    `"${application.name}" is of type ${application.type}: ${typeConsequences[application.type] ?? 'not one the Inspector can sign in with'}`,
    `make a Single-page application in the Console (Applications › Create application › Single page app), or ${provisionAgain}`,
  );
}

export function redirectUriVerdict(lab: LabConfig, application: LogtoApplication): CheckResult {
  const name = 'redirect URI';
  const wanted = lab.client.inspectorRedirectUri;
  const uris = application.oidcClientMetadata?.redirectUris ?? [];
  if (uris.includes(wanted)) return ok(name, `${wanted} (the Inspector's callback; Logto's CORS lets its origin in for it)`);
  return problem(
    name,
    `"${application.name}" has ${uris.length ? uris.join(', ') : 'no redirect URIs'}, not the Inspector's ${wanted}: Logto shows "redirect_uri did not match" instead of its sign-in page`,
    `add ${wanted} in the Console (the application's Settings › Redirect URIs › Save), or ${provisionAgain}`,
  );
}

export function userVerdict(lab: LabConfig, found: boolean, passwordStatus: number | undefined): CheckResult {
  const name = `user ${lab.user.username}`;
  if (!found) return problem(name, 'does not exist in Logto', provisionAgain);
  if (passwordStatus !== 204) return problem(name, `exists, but its password is not ${lab.user.password}`, provisionAgain);
  return ok(name, `exists; the password ${lab.user.password} signs in`);
}

export function apiResourceVerdict(
  lab: LabConfig,
  resource: { id: string; scopes: string[] } | undefined,
  userScopes: string[],
): CheckResult {
  const name = 'API resource';
  const { resourceUrl, whoamiScope } = lab.server;
  if (!resource)
    return problem(
      name,
      `no API resource with the identifier ${resourceUrl}: Logto refuses the Inspector's resource (invalid_target)`,
      provisionAgain,
    );
  if (!resource.scopes.includes(whoamiScope))
    return problem(
      name,
      `${resourceUrl} has no permission ${whoamiScope}: the token never carries it, the server answers 403`,
      provisionAgain,
    );
  if (!userScopes.includes(whoamiScope))
    return problem(
      name,
      `${lab.user.username} has no role granting ${whoamiScope}: Logto answers access_denied after the sign-in`,
      provisionAgain,
    );
  return ok(name, `${resourceUrl} with ${whoamiScope}, granted to ${lab.user.username} by a role`);
}

/** The checks that ask Logto's Management API; skipped together when Logto is not there. */
export async function logtoConsoleChecks(lab: LabConfig): Promise<CheckResult[]> {
  const names = ['application', 'redirect URI', `user ${lab.user.username}`, ...(lab.server.mode === 'spec' ? ['API resource'] : [])];
  let management: LogtoManagement;
  try {
    management = await connectLogtoManagement(lab);
  } catch (error) {
    return [
      problem('Management API', (error as Error).message, provisionAgain),
      ...names.map((name) => skipped(name, 'no Management API token')),
    ];
  }
  const application = await findApplication(lab, management);
  const results = [applicationVerdict(lab, application)];
  results.push(application ? redirectUriVerdict(lab, application) : skipped('redirect URI', 'no application'));
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
