/**
 * Checks through the admin API: the Inspector's redirect URI and web origin on the client, the
 * audience spec mode needs, a user who can log in without a required action, and with
 * MCP_REVISION=2026-07-28 the step-up's role, scope and second user.
 */
import type KeycloakAdminClient from '@keycloak/keycloak-admin-client';
import type { LabConfig } from '../../core/config.ts';
import type { KeycloakServer } from '../../provisioning/keycloak-server.ts';
import { ok, problem, type CheckResult } from './check.ts';

const provisionFix = 'run `npm run provision`, which puts it back';

export async function checkClient(admin: KeycloakAdminClient, lab: LabConfig): Promise<CheckResult[]> {
  const realm = lab.realm.name;
  const [client] = await admin.clients.find({ realm, clientId: lab.client.id });
  if (!client) return [problem(`client ${lab.client.id}`, `does not exist in realm ${realm}`, provisionFix)];
  const redirectUri = lab.client.inspectorRedirectUri;
  const origin = lab.client.inspectorWebOrigin;
  const redirectOk = (client.redirectUris ?? []).some(
    (allowed) => allowed === redirectUri || (allowed.endsWith('*') && redirectUri.startsWith(allowed.slice(0, -1))),
  );
  // `+` allows the origins of the redirect URIs; `*` allows any.
  const originOk = (client.webOrigins ?? []).some((allowed) => allowed === origin || allowed === '*' || (allowed === '+' && redirectOk));
  return [
    redirectOk
      ? ok('redirect URI', `${lab.client.id} accepts ${redirectUri}`)
      : problem(
          'redirect URI',
          `${lab.client.id} does not accept the Inspector's ${redirectUri} (allowed: ${(client.redirectUris ?? []).join(', ') || 'none'}); Keycloak answers "Invalid parameter: redirect_uri"`,
          `${provisionFix}, or add it under Clients → ${lab.client.id} → Valid redirect URIs`,
        ),
    originOk
      ? ok('web origin', `${lab.client.id} allows ${origin}`)
      : problem(
          'web origin',
          `${lab.client.id} does not allow ${origin} (allowed: ${(client.webOrigins ?? []).join(', ') || 'none'}); the Inspector's token request fails CORS`,
          `${provisionFix}, or add it under Clients → ${lab.client.id} → Web origins`,
        ),
  ];
}

/**
 * Tokens asked for with the whoami scope must carry the server's resource URL in `aud`. Without
 * resource indicators the scope's audience mapper puts it there; with them (Keycloak 26.6+, the
 * feature on) the mapper names a client whose `resource_url` is the server's URL, and Keycloak
 * narrows `aud` to the `resource` the client sends — or refuses it with `invalid_target`.
 */
export async function checkAudience(admin: KeycloakAdminClient, lab: LabConfig, server: KeycloakServer): Promise<CheckResult> {
  const name = 'audience';
  const realm = lab.realm.name;
  const scopeName = lab.server.whoamiScope;
  const url = lab.server.resourceUrl;
  const resourceIndicators = server.feature('resource-indicators') === 'enabled';
  const missing = (what: string, consequence = 'spec mode refuses them (401 invalid_token)') =>
    problem(name, `${what}: tokens for ${url} carry no matching aud, and ${consequence}`, provisionFix);
  const scope = await admin.clientScopes.findOneByName({ realm, name: scopeName });
  if (!scope?.id) return missing(`client scope ${scopeName} does not exist`);
  const mappers = (await admin.clientScopes.listProtocolMappers({ realm, id: scope.id })).filter(
    ({ protocolMapper }) => protocolMapper === 'oidc-audience-mapper',
  );
  const customAudiences = mappers.map(({ config }) => config?.['included.custom.audience']).filter(Boolean);
  const clientAudiences = mappers.map(({ config }) => config?.['included.client.audience']).filter(Boolean) as string[];

  let detail: string;
  if (resourceIndicators) {
    const invalidTarget = `Keycloak refuses resource=${url} ("invalid_target")`;
    if (clientAudiences.length === 0)
      return missing(
        `Keycloak ${server.version} has resource-indicators, but client scope ${scopeName} names no client (${customAudiences.length ? `only the URL ${customAudiences.join(', ')}` : 'no audience'})`,
        invalidTarget,
      );
    const servers = await Promise.all(clientAudiences.map(async (clientId) => (await admin.clients.find({ realm, clientId }))[0]));
    if (!servers.some((client) => client?.attributes?.resource_url === url)) {
      const found = servers.map((client, index) =>
        client ? `${client.clientId} (resource_url ${client.attributes?.resource_url ?? 'none'})` : `${clientAudiences[index]} (missing)`,
      );
      return missing(`client scope ${scopeName} names ${found.join(', ')}, none with resource_url ${url}`, invalidTarget);
    }
    detail = `Keycloak narrows aud to resource ${url} (resource-indicators; scope ${scopeName} names ${clientAudiences.join(', ')})`;
  } else {
    if (!customAudiences.includes(url)) {
      const named =
        clientAudiences.length > 0
          ? `client ${clientAudiences.join(', ')} (resource indicators, which Keycloak ${server.version} runs without)`
          : customAudiences.join(', ') || 'no audience';
      return missing(`client scope ${scopeName} adds ${named}`);
    }
    detail = `scope ${scopeName} puts ${url} into aud`;
  }
  const [client] = await admin.clients.find({ realm, clientId: lab.client.id });
  if (!client?.id) return missing(`client ${lab.client.id} does not exist`);
  const assigned = [
    ...(await admin.clients.listOptionalClientScopes({ realm, id: client.id })),
    ...(await admin.clients.listDefaultClientScopes({ realm, id: client.id })),
  ].some(({ id }) => id === scope.id);
  if (!assigned) return missing(`${lab.client.id} cannot ask for ${scopeName}`);
  return ok(name, detail);
}

/** Since Keycloak 24 a user without email, first or last name is stopped at "Update account information". */
export async function checkUser(admin: KeycloakAdminClient, lab: LabConfig): Promise<CheckResult> {
  const name = `user ${lab.user.username}`;
  const [user] = await admin.users.find({ realm: lab.realm.name, username: lab.user.username, exact: true });
  if (!user) return problem(name, `does not exist in realm ${lab.realm.name}`, provisionFix);
  if (!user.enabled) return problem(name, 'is disabled: the login answers "Account is disabled"', provisionFix);
  const actions = user.requiredActions ?? [];
  if (actions.length > 0)
    return problem(
      name,
      `is stopped at login by required action ${actions.join(', ')}`,
      `${provisionFix} (it clears required actions), or log in once and complete it`,
    );
  const incomplete = (['email', 'firstName', 'lastName'] as const).filter((field) => !user[field]);
  if (incomplete.length > 0)
    return problem(name, `lacks ${incomplete.join(', ')}: the login stops at "Update account information"`, provisionFix);
  return ok(name, 'can log in without a required action');
}

/** The name of the step-up line: its checks run only with MCP_REVISION=2026-07-28. */
export function stepUpCheckNames(lab: LabConfig): string[] {
  return lab.server.revision === '2026-07-28' ? ['step-up'] : [];
}

/**
 * Step-up (provisioning/ensure-step-up.ts): Keycloak gives the admin scope only to holders of the
 * role, silently. Each way it can be wrong shows up as an unexplained 403 in the Inspector; this
 * line names which.
 */
export async function checkStepUp(admin: KeycloakAdminClient, lab: LabConfig): Promise<CheckResult[]> {
  if (lab.server.revision !== '2026-07-28') return [];
  const name = 'step-up';
  const realm = lab.realm.name;
  const { role, username } = lab.adminUser;
  const scopeName = lab.server.adminScope;
  const refusedToAll = `whoami-admin answers 403 insufficient_scope to every user`;
  const roleFound = await admin.roles.findOneByName({ realm, name: role });
  if (!roleFound) return [problem(name, `realm role ${role} does not exist: ${refusedToAll}`, provisionFix)];
  const scope = await admin.clientScopes.findOneByName({ realm, name: scopeName });
  if (!scope?.id) return [problem(name, `client scope ${scopeName} does not exist: step-up asks for it and ${refusedToAll}`, provisionFix)];
  const limitedTo = (await admin.clientScopes.listRealmScopeMappings({ realm, id: scope.id })).map((mapped) => mapped.name);
  if (!limitedTo.includes(role)) {
    return [
      problem(
        name,
        `client scope ${scopeName} is not limited to role ${role}${limitedTo.length ? ` (only ${limitedTo.join(', ')})` : ''}: ${limitedTo.length ? 'holders of the role do not get it' : `every user gets it, ${lab.user.username} too`}`,
        `${provisionFix}, or add ${role} under Client scopes → ${scopeName} → Scope`,
      ),
    ];
  }
  const [client] = await admin.clients.find({ realm, clientId: lab.client.id });
  const offered = client?.id
    ? [
        ...(await admin.clients.listOptionalClientScopes({ realm, id: client.id })),
        ...(await admin.clients.listDefaultClientScopes({ realm, id: client.id })),
      ].some(({ id }) => id === scope.id)
    : false;
  if (!offered) return [problem(name, `${lab.client.id} cannot ask for ${scopeName}: step-up ends in invalid_scope`, provisionFix)];
  const [user] = await admin.users.find({ realm, username, exact: true });
  if (!user?.id) return [problem(name, `user ${username} does not exist: nobody can step up`, provisionFix)];
  const held = (await admin.users.listCompositeRealmRoleMappings({ realm, id: user.id })).map((mapped) => mapped.name);
  if (!held.includes(role)) {
    return [
      problem(
        name,
        `${username} does not hold role ${role}: Keycloak leaves ${scopeName} out of its tokens, and ${refusedToAll}`,
        `${provisionFix}, or assign the role under Users → ${username} → Role mapping`,
      ),
    ];
  }
  return [ok(name, `${scopeName} is given to holders of role ${role} (${username}); ${lab.client.id} may ask for it`)];
}
