/**
 * Checks through the admin API: the realm's language, the Inspector's redirect URI and web origin
 * on the client, the audience spec mode needs, a user who can log in without a required action,
 * and with MCP_REVISION=2026-07-28 the step-up's role, scope and second user.
 */
import type KeycloakAdminClient from '@keycloak/keycloak-admin-client';
import type RealmRepresentation from '@keycloak/keycloak-admin-client/lib/defs/realmRepresentation.js';
import type { LabConfig } from '../../core/config.ts';
import { t } from '../../core/messages.ts';
import { driftedFields } from '../../provisioning/change.ts';
import { realmLanguage } from '../../provisioning/ensure-realm.ts';
import type { KeycloakServer } from '../../provisioning/keycloak-server.ts';
import { noneWord, ok, problem, provisionFix, type CheckResult } from './check.ts';

/**
 * The realm's language settings the lab provisions (provisioning/ensure-realm.ts): with
 * LAB_LOCALE=zh-CN internationalization on, zh-CN its default and English offered; otherwise off.
 */
export async function checkRealmLanguage(admin: KeycloakAdminClient, lab: LabConfig): Promise<CheckResult> {
  return realmLanguageVerdict(lab, await admin.realms.findOne({ realm: lab.realm.name }));
}

/**
 * Whether the realm speaks the lab's language: Keycloak's login pages are the realm's, so a realm
 * made in English shows English pages to a learner whose lab speaks Chinese (and the other way).
 * Compared as provisioning compares it, so `provision` mends exactly what this line names.
 */
export function realmLanguageVerdict(lab: LabConfig, realm: RealmRepresentation | undefined): CheckResult {
  const name = t('doctor.name.realm-language');
  const language = lab.locale.tag === 'zh-CN' ? 'zh' : 'en';
  if (driftedFields(realmLanguage(lab), realm ?? {}).length === 0)
    return ok(name, t('doctor.realm-language.ok', { realm: lab.realm.name, language }));
  const supported = realm?.supportedLocales ?? [];
  return problem(
    name,
    t('doctor.realm-language.differs', {
      realm: lab.realm.name,
      internationalization: realm?.internationalizationEnabled ? 'on' : 'off',
      defaultLocale: realm?.defaultLocale || noneWord(),
      supportedLocales: supported.length ? supported.join(', ') : noneWord(),
      language,
      source: lab.locale.source === 'LAB_LOCALE' ? `LAB_LOCALE=${lab.locale.tag}` : lab.locale.source,
    }),
    t('doctor.realm-language.fix'),
  );
}

export async function checkClient(admin: KeycloakAdminClient, lab: LabConfig): Promise<CheckResult[]> {
  const realm = lab.realm.name;
  const [client] = await admin.clients.find({ realm, clientId: lab.client.id });
  if (!client)
    return [problem(t('doctor.name.client', { clientId: lab.client.id }), t('doctor.realm.not-in-realm', { realm }), provisionFix())];
  const redirectUri = lab.client.inspectorRedirectUri;
  const origin = lab.client.inspectorWebOrigin;
  const redirectOk = (client.redirectUris ?? []).some(
    (allowed) => allowed === redirectUri || (allowed.endsWith('*') && redirectUri.startsWith(allowed.slice(0, -1))),
  );
  // `+` allows the origins of the redirect URIs; `*` allows any.
  const originOk = (client.webOrigins ?? []).some((allowed) => allowed === origin || allowed === '*' || (allowed === '+' && redirectOk));
  const clientId = lab.client.id;
  return [
    redirectOk
      ? ok(t('doctor.name.redirect-uri'), t('doctor.redirect-uri.ok', { clientId, redirectUri }))
      : problem(
          t('doctor.name.redirect-uri'),
          t('doctor.redirect-uri.refused', { clientId, redirectUri, allowed: (client.redirectUris ?? []).join(', ') || noneWord() }),
          t('doctor.redirect-uri.fix', { clientId }),
        ),
    originOk
      ? ok(t('doctor.name.web-origin'), t('doctor.web-origin.ok', { clientId, origin }))
      : problem(
          t('doctor.name.web-origin'),
          t('doctor.web-origin.refused', { clientId, origin, allowed: (client.webOrigins ?? []).join(', ') || noneWord() }),
          t('doctor.web-origin.fix', { clientId }),
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
  const name = t('doctor.name.audience');
  const realm = lab.realm.name;
  const scopeName = lab.server.whoamiScope;
  const url = lab.server.resourceUrl;
  const resourceIndicators = server.feature('resource-indicators') === 'enabled';
  /** `what` is wrong, one clause; `target`: Keycloak refuses the resource (invalid_target). */
  const missing = (what: string, target = false) =>
    problem(name, t('doctor.audience.missing', { what, url, target: target ? 'yes' : 'no' }), provisionFix());
  const scope = await admin.clientScopes.findOneByName({ realm, name: scopeName });
  if (!scope?.id) return missing(t('doctor.audience.no-scope', { scope: scopeName }));
  const mappers = (await admin.clientScopes.listProtocolMappers({ realm, id: scope.id })).filter(
    ({ protocolMapper }) => protocolMapper === 'oidc-audience-mapper',
  );
  const customAudiences = mappers.map(({ config }) => config?.['included.custom.audience']).filter(Boolean);
  const clientAudiences = mappers.map(({ config }) => config?.['included.client.audience']).filter(Boolean) as string[];

  let detail: string;
  if (resourceIndicators) {
    if (clientAudiences.length === 0)
      return missing(
        t('doctor.audience.names-no-client', {
          version: server.version,
          scope: scopeName,
          urls: customAudiences.length ? customAudiences.join(', ') : '',
          hasUrls: customAudiences.length ? 'yes' : 'no',
        }),
        true,
      );
    const servers = await Promise.all(clientAudiences.map(async (clientId) => (await admin.clients.find({ realm, clientId }))[0]));
    if (!servers.some((client) => client?.attributes?.resource_url === url)) {
      const found = servers.map((client, index) =>
        client
          ? t('doctor.audience.named-client', {
              clientId: client.clientId ?? '',
              resourceUrl: client.attributes?.resource_url ?? noneWord(),
            })
          : t('doctor.audience.named-client-missing', { clientId: clientAudiences[index]! }),
      );
      return missing(t('doctor.audience.no-resource-url', { scope: scopeName, found: found.join(', '), url }), true);
    }
    detail = t('doctor.audience.ok-narrowed', { url, scope: scopeName, clients: clientAudiences.join(', ') });
  } else {
    if (!customAudiences.includes(url)) {
      const adds = clientAudiences.length > 0 ? 'client' : customAudiences.length > 0 ? 'url' : 'none';
      const audiences = (adds === 'client' ? clientAudiences : customAudiences).join(', ');
      return missing(t('doctor.audience.adds', { scope: scopeName, adds, audiences, version: server.version }));
    }
    detail = t('doctor.audience.ok', { scope: scopeName, url });
  }
  const [client] = await admin.clients.find({ realm, clientId: lab.client.id });
  if (!client?.id) return missing(t('doctor.audience.no-client', { clientId: lab.client.id }));
  const assigned = [
    ...(await admin.clients.listOptionalClientScopes({ realm, id: client.id })),
    ...(await admin.clients.listDefaultClientScopes({ realm, id: client.id })),
  ].some(({ id }) => id === scope.id);
  if (!assigned) return missing(t('doctor.audience.not-assigned', { clientId: lab.client.id, scope: scopeName }));
  return ok(name, detail);
}

/** Since Keycloak 24 a user without email, first or last name is stopped at "Update account information". */
export async function checkUser(admin: KeycloakAdminClient, lab: LabConfig): Promise<CheckResult> {
  const name = t('doctor.name.user', { username: lab.user.username });
  const [user] = await admin.users.find({ realm: lab.realm.name, username: lab.user.username, exact: true });
  if (!user) return problem(name, t('doctor.realm.not-in-realm', { realm: lab.realm.name }), provisionFix());
  if (!user.enabled) return problem(name, t('doctor.user.disabled'), provisionFix());
  const actions = user.requiredActions ?? [];
  if (actions.length > 0)
    return problem(name, t('doctor.user.required-action', { actions: actions.join(', ') }), t('doctor.user.required-action-fix'));
  const incomplete = (['email', 'firstName', 'lastName'] as const).filter((field) => !user[field]);
  if (incomplete.length > 0) return problem(name, t('doctor.user.incomplete', { fields: incomplete.join(', ') }), provisionFix());
  return ok(name, t('doctor.user.ok'));
}

/** The name of the step-up line: its checks run only with MCP_REVISION=2026-07-28. */
export function stepUpCheckNames(lab: LabConfig): string[] {
  return lab.server.revision === '2026-07-28' ? [t('doctor.name.step-up')] : [];
}

/**
 * Step-up (provisioning/ensure-step-up.ts): Keycloak gives the admin scope only to holders of the
 * role, silently. Each way it can be wrong shows up as an unexplained 403 in the Inspector; this
 * line names which.
 */
export async function checkStepUp(admin: KeycloakAdminClient, lab: LabConfig): Promise<CheckResult[]> {
  if (lab.server.revision !== '2026-07-28') return [];
  const name = t('doctor.name.step-up');
  const realm = lab.realm.name;
  const { role, username } = lab.adminUser;
  const scopeName = lab.server.adminScope;
  const roleFound = await admin.roles.findOneByName({ realm, name: role });
  if (!roleFound) return [problem(name, t('doctor.step-up.no-role', { role }), provisionFix())];
  const scope = await admin.clientScopes.findOneByName({ realm, name: scopeName });
  if (!scope?.id) return [problem(name, t('doctor.step-up.no-scope', { scope: scopeName }), provisionFix())];
  const limitedTo = (await admin.clientScopes.listRealmScopeMappings({ realm, id: scope.id })).map((mapped) => mapped.name);
  if (!limitedTo.includes(role)) {
    return [
      problem(
        name,
        limitedTo.length
          ? t('doctor.step-up.limited-to-others', { scope: scopeName, role, others: limitedTo.join(', ') })
          : t('doctor.step-up.unlimited', { scope: scopeName, role, username: lab.user.username }),
        t('doctor.step-up.unlimited-fix', { role, scope: scopeName }),
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
  if (!offered) return [problem(name, t('doctor.step-up.not-offered', { clientId: lab.client.id, scope: scopeName }), provisionFix())];
  const [user] = await admin.users.find({ realm, username, exact: true });
  if (!user?.id) return [problem(name, t('doctor.step-up.no-user', { username }), provisionFix())];
  const held = (await admin.users.listCompositeRealmRoleMappings({ realm, id: user.id })).map((mapped) => mapped.name);
  if (!held.includes(role)) {
    return [
      problem(
        name,
        t('doctor.step-up.role-not-held', { username, role, scope: scopeName }),
        t('doctor.step-up.role-not-held-fix', { username }),
      ),
    ];
  }
  return [ok(name, t('doctor.step-up.ok', { scope: scopeName, role, username, clientId: lab.client.id }))];
}
