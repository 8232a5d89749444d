/**
 * Makes in Logto, through its Management API, what the tutorial's Logto tab has the learner click
 * in the Console — the Single-page application with the Inspector's redirect URIs, and the test
 * user — and in spec mode what the MCP authorization spec needs on top: an API resource whose
 * indicator is the whoami server's URL, its permission (`mcp:whoami`), and a role carrying it
 * assigned to each user. It also makes the Console's administrator, so the learner signs in to
 * the Console instead of meeting its "create account" page, and has the sign-in experience speak
 * the lab's language (LAB_LOCALE) unless the browser asks for another Logto has. Anything that
 * drifted is put back; a second run reports "unchanged" throughout. Logto chooses the App ID, so
 * it is returned.
 */
import type { LabConfig } from '../core/config.ts';
import { LabError } from '../core/errors.ts';
import { t } from '../core/messages.ts';
import { driftedFields, type Change } from './change.ts';
import { connectLogtoManagement, type LogtoManagement } from './logto-management.ts';

/** An account to make in Logto (Logto chooses its `sub`). */
export interface LogtoUserSpec {
  username: string;
  password: string;
  email: string;
  firstName: string;
  lastName: string;
}

/** The role spec mode assigns to each user: it grants the whoami permission of the server's API resource. */
export const whoamiRoleName = 'whoami user';

interface LogtoApplication {
  id: string;
  name: string;
  type: string;
  createdAt?: number;
  oidcClientMetadata: { redirectUris: string[] } & Record<string, unknown>;
}
interface LogtoEntity {
  id: string;
  name: string;
}

export async function provisionLogto(
  config: LabConfig,
  {
    dbUrl,
    users = [config.user],
    redirectUris = config.client.redirectUris,
  }: { dbUrl: string; users?: readonly LogtoUserSpec[]; redirectUris?: readonly string[] },
): Promise<{ appId: string; changes: Change[] }> {
  try {
    const management = await connectLogtoManagement(config, { dbUrl });
    const [application, userResults, languageChange, adminChange] = await Promise.all([
      ensureSpaApplication(management, { name: config.logto.appName, appId: config.logto.appId, redirectUris: [...redirectUris] }),
      Promise.all(users.map((user) => ensureLogtoUser(management, user))),
      ensureSignInLanguage(management, logtoLanguageInfo(config)),
      ensureConsoleAdmin(config, dbUrl),
    ]);
    const changes = [application.change, ...userResults.map(({ change }) => change), languageChange];
    const { resourceUrl, whoamiScope } = config.server;
    if (config.server.mode === 'spec') {
      const userIds = userResults.map(({ id, username }) => ({ id, username }));
      changes.push(...(await ensureWhoamiPermission(management, { indicator: resourceUrl, scope: whoamiScope, users: userIds })));
    } else {
      const removed = await removeApiResource(management, resourceUrl);
      if (removed) changes.push(removed);
    }
    changes.push(adminChange);
    return { appId: application.id, changes };
  } catch (error) {
    if (error instanceof LabError) throw error;
    throw new LabError('ERR_PROVISIONING', t('provisioning.logto.failed', { reason: (error as Error).message }), { cause: error });
  }
}

/**
 * The Console's "Create application › Single Page App" with the redirect URIs. Found by the App ID
 * the lab knows (LOGTO_APP_ID, or the one it saved), else by name; redirect URIs that drifted are
 * put back. No CORS setting: Logto lets the origins of the redirect URIs call its token endpoint.
 */
export async function ensureSpaApplication(
  management: LogtoManagement,
  { name, appId, redirectUris }: { name: string; appId: string | undefined; redirectUris: string[] },
): Promise<{ id: string; change: Change }> {
  const item = `application ${name}`;
  const known = appId ? await management.request<LogtoApplication>('GET', `/applications/${encodeURIComponent(appId)}`) : undefined;
  const existing =
    known?.status === 200 && known.json.type === 'SPA'
      ? known.json
      : (await management.api<LogtoApplication[]>('GET', `/applications?search=${encodeURIComponent(name)}&types=SPA&page_size=100`))
          .filter((candidate) => candidate.name === name && candidate.type === 'SPA')
          .sort((a, b) => (a.createdAt ?? 0) - (b.createdAt ?? 0))[0];
  if (!existing) {
    const created = await management.api<LogtoApplication>('POST', '/applications', {
      name,
      type: 'SPA',
      description: 'The MCP Inspector, as the tutorial has it made (MCP Auth Lab)',
      oidcClientMetadata: { redirectUris, postLogoutRedirectUris: [] },
    });
    return { id: created.id, change: { item, action: 'created' } };
  }
  const fields = driftedFields({ redirectUris }, existing.oidcClientMetadata);
  if (fields.length === 0) return { id: existing.id, change: { item, action: 'unchanged' } };
  await management.api('PATCH', `/applications/${existing.id}`, { oidcClientMetadata: { ...existing.oidcClientMetadata, redirectUris } });
  return { id: existing.id, change: { item, action: 'updated', fields } };
}

/** A user who signs in with username and password, with the profile behind the `profile` and `email` claims. */
export async function ensureLogtoUser(
  management: LogtoManagement,
  user: LogtoUserSpec,
): Promise<{ id: string; username: string; change: Change }> {
  const item = `user ${user.username}`;
  const desired = {
    name: `${user.firstName} ${user.lastName}`,
    primaryEmail: user.email,
    profile: { givenName: user.firstName, familyName: user.lastName },
  };
  const existing = await findUser(management, user.username);
  if (!existing) {
    const created = await management.api<LogtoEntity>('POST', '/users', { username: user.username, password: user.password, ...desired });
    return { id: created.id, username: user.username, change: { item, action: 'created' } };
  }
  const fields = driftedFields(desired, existing);
  if (fields.length > 0) await management.api('PATCH', `/users/${existing.id}`, desired);
  if (await putBackPassword(management, existing.id, user.password)) fields.push('password');
  const change: Change = fields.length === 0 ? { item, action: 'unchanged' } : { item, action: 'updated', fields };
  return { id: existing.id, username: user.username, change };
}

async function findUser(management: LogtoManagement, username: string): Promise<(LogtoEntity & Record<string, unknown>) | undefined> {
  const found = await management.api<Array<LogtoEntity & Record<string, unknown> & { username: string }>>(
    'GET',
    `/users?search.username=${encodeURIComponent(username)}&mode.username=exact`,
  );
  return found.find((candidate) => candidate.username === username);
}

/** The API never returns a password; its check answers 204 when it matches, 422 when not. True when it was set again. */
async function putBackPassword(management: LogtoManagement, userId: string, password: string): Promise<boolean> {
  const verified = await management.request('POST', `/users/${userId}/password/verify`, { password });
  if (verified.status === 204) return false;
  await management.api('PATCH', `/users/${userId}/password`, { password });
  return true;
}

/** Logto's sign-in experience language (Console: Sign-in experience › Content › Languages: "Enable auto-detect", "Default language"). */
export interface LogtoLanguageInfo {
  autoDetect: boolean;
  fallbackLanguage: string;
}

/**
 * The sign-in experience's language for the lab's language (LAB_LOCALE), as the Keycloak tab's
 * realm gets it (ensure-realm.ts realmLanguage): the browser's language first (auto-detect, from
 * Accept-Language), the lab's when the browser asks for none Logto has. English is Logto's seeded
 * default, so an English lab changes nothing.
 */
export function logtoLanguageInfo(lab: LabConfig): LogtoLanguageInfo {
  return { autoDetect: true, fallbackLanguage: lab.locale.tag === 'zh-CN' ? 'zh-CN' : 'en' };
}

/** The default tenant's sign-in experience (what the learner signs in on) in the lab's language; seeded, never created. */
export async function ensureSignInLanguage(management: LogtoManagement, languageInfo: LogtoLanguageInfo): Promise<Change> {
  const item = 'sign-in experience';
  const existing = await management.api<{ languageInfo: LogtoLanguageInfo }>('GET', '/sign-in-exp');
  const fields = driftedFields({ languageInfo }, existing);
  if (fields.length === 0) return { item, action: 'unchanged' };
  await management.api('PATCH', '/sign-in-exp', { languageInfo });
  return { item, action: 'updated', fields };
}

/**
 * Spec mode: API resources › the server's URL as its identifier (Logto refuses an unknown
 * `resource` with invalid_target), its permission, and a role with it for each user (without
 * one, Logto answers access_denied after the sign-in).
 */
async function ensureWhoamiPermission(
  management: LogtoManagement,
  { indicator, scope, users }: { indicator: string; scope: string; users: Array<{ id: string; username: string }> },
): Promise<Change[]> {
  const { scopeId, change: resourceChange } = await ensureApiResource(management, indicator, scope);
  const { roleId, change: roleChange } = await ensureRole(management, whoamiRoleName, scopeId, scope);
  const assignments = await Promise.all(
    users.map(async ({ id, username }): Promise<Change> => {
      const item = `role ${whoamiRoleName} of ${username}`;
      const roles = await management.api<LogtoEntity[]>('GET', `/users/${id}/roles`);
      if (roles.some((role) => role.id === roleId)) return { item, action: 'unchanged' };
      await management.api('POST', `/users/${id}/roles`, { roleIds: [roleId] });
      return { item, action: 'created' };
    }),
  );
  return [resourceChange, roleChange, ...assignments];
}

async function ensureApiResource(
  management: LogtoManagement,
  indicator: string,
  scope: string,
): Promise<{ scopeId: string; change: Change }> {
  const item = `API resource ${indicator}`;
  let resource = await findApiResource(management, indicator);
  const created = !resource;
  resource ??= await management.api<LogtoEntity>('POST', '/resources', { name: 'The whoami MCP server', indicator });
  const scopes = created ? [] : await management.api<LogtoEntity[]>('GET', `/resources/${resource.id}/scopes`);
  let permission = scopes.find((candidate) => candidate.name === scope);
  const fields = permission ? [] : [`permission ${scope}`];
  permission ??= await management.api<LogtoEntity>('POST', `/resources/${resource.id}/scopes`, {
    name: scope,
    description: 'Call the whoami tool',
  });
  const change: Change = created
    ? { item, action: 'created' }
    : fields.length
      ? { item, action: 'updated', fields }
      : { item, action: 'unchanged' };
  return { scopeId: permission.id, change };
}

async function ensureRole(
  management: LogtoManagement,
  name: string,
  scopeId: string,
  scope: string,
): Promise<{ roleId: string; change: Change }> {
  const item = `role ${name}`;
  const found = await management.api<Array<LogtoEntity & { type: string }>>('GET', `/roles?search=${encodeURIComponent(name)}&type=User`);
  const role = found.find((candidate) => candidate.name === name && candidate.type === 'User');
  if (!role) {
    const created = await management.api<LogtoEntity>('POST', '/roles', {
      name,
      description: `Grants ${scope}: may call the whoami tool (MCP Auth Lab)`,
      type: 'User',
      scopeIds: [scopeId],
    });
    return { roleId: created.id, change: { item, action: 'created' } };
  }
  const scopes = await management.api<LogtoEntity[]>('GET', `/roles/${role.id}/scopes`);
  if (scopes.some((candidate) => candidate.id === scopeId)) return { roleId: role.id, change: { item, action: 'unchanged' } };
  await management.api('POST', `/roles/${role.id}/scopes`, { scopeIds: [scopeId] });
  return { roleId: role.id, change: { item, action: 'updated', fields: [`permission ${scope}`] } };
}

async function findApiResource(management: LogtoManagement, indicator: string): Promise<LogtoEntity | undefined> {
  const resources = await management.api<Array<LogtoEntity & { indicator: string }>>('GET', '/resources');
  return resources.find((resource) => resource.indicator === indicator);
}

/**
 * Tutorial mode: no API resource for the server. A spec-mode run may have left one, and with it
 * the Inspector (which sends `resource`) would get a JWT that userinfo refuses (401 after the
 * sign-in) instead of the invalid_target the tab documents — as Keycloak's provisioning removes
 * its resource server where it does not belong.
 */
async function removeApiResource(management: LogtoManagement, indicator: string): Promise<Change | undefined> {
  const resource = await findApiResource(management, indicator);
  if (!resource) return undefined;
  await management.api('DELETE', `/resources/${resource.id}`);
  return { item: `API resource ${indicator}`, action: 'deleted' };
}

/** The roles Logto OSS gives the first administrator the Console's welcome page makes (provisionForFirstAdminUser). */
const consoleAdminRoles = ['user', 'default:admin'];
/** The admin tenant's organization of the `default` tenant, and its administrator role. */
const defaultTenantOrganization = 't-default';
const tenantAdminRole = 'admin';

/**
 * The Console's administrator, in the admin tenant (m-admin's Management API on the admin
 * endpoint), made as Logto's own first-admin sign-up makes it: the user, its roles, its membership
 * of the default tenant as admin, and the admin tenant's sign-in mode closed to sign-ups.
 */
async function ensureConsoleAdmin(config: LabConfig, dbUrl: string): Promise<Change> {
  const { adminUsername: username, adminPassword: password } = config.logto;
  const item = `Console admin ${username}`;
  const admin = await connectLogtoManagement(config, { dbUrl, tenant: 'admin' });
  const existing = await findUser(admin, username);
  const userId = existing?.id ?? (await admin.api<LogtoEntity>('POST', '/users', { username, password })).id;
  const fields = [
    ...(existing && (await putBackPassword(admin, userId, password)) ? ['password'] : []),
    ...((await ensureConsoleAdminRoles(admin, userId)) ? ['roles'] : []),
    ...((await ensureTenantAdmin(admin, userId)) ? ['tenant admin'] : []),
    ...((await ensureSignInOnly(admin)) ? ['sign-in mode'] : []),
  ];
  if (!existing) return { item, action: 'created' };
  return fields.length === 0 ? { item, action: 'unchanged' } : { item, action: 'updated', fields };
}

/** True when a role had to be added. */
async function ensureConsoleAdminRoles(admin: LogtoManagement, userId: string): Promise<boolean> {
  const has = new Set((await admin.api<LogtoEntity[]>('GET', `/users/${userId}/roles`)).map(({ name }) => name));
  const missing = consoleAdminRoles.filter((name) => !has.has(name));
  if (missing.length === 0) return false;
  const roles = await admin.api<LogtoEntity[]>('GET', '/roles?page_size=100');
  const roleIds = roles.filter(({ name }) => missing.includes(name)).map(({ id }) => id);
  if (roleIds.length !== missing.length) {
    throw new LabError('ERR_PROVISIONING', t('provisioning.logto.admin-roles-missing', { roles: missing.join(t('config.list.or')) }));
  }
  await admin.api('POST', `/users/${userId}/roles`, { roleIds });
  return true;
}

/** True when the membership or its admin role had to be added (the roles answer 422 for a non-member). */
async function ensureTenantAdmin(admin: LogtoManagement, userId: string): Promise<boolean> {
  const rolesPath = `/organizations/${defaultTenantOrganization}/users/${userId}/roles`;
  const roles = await admin.request<LogtoEntity[]>('GET', rolesPath);
  if (roles.status === 200 && roles.json.some(({ id }) => id === tenantAdminRole)) return false;
  if (roles.status !== 200) await admin.api('POST', `/organizations/${defaultTenantOrganization}/users`, { userIds: [userId] });
  await admin.api('POST', rolesPath, { organizationRoleIds: [tenantAdminRole] });
  return true;
}

/** Logto OSS closes the Console to sign-ups once its first administrator exists. True when it was open. */
async function ensureSignInOnly(admin: LogtoManagement): Promise<boolean> {
  const { signInMode } = await admin.api<{ signInMode: string }>('GET', '/sign-in-exp');
  if (signInMode === 'SignIn') return false;
  await admin.api('PATCH', '/sign-in-exp', { signInMode: 'SignIn' });
  return true;
}
