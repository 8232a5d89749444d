import { t } from '../../../core/messages.ts';
import type { LabConfig } from '../../../core/config.ts';
import { defineCheck, describeAnswer, fail, pass, quote, type Outcome } from '../check.ts';
import { providerName, tNamed } from '../diagnoses.ts';
import { httpGet, type Answer } from '../probes.ts';

export interface ProtectedResourceMetadata {
  resource?: string;
  authorization_servers?: string[];
  scopes_supported?: string[];
}

/** The integration step: the server's metadata leads a client to the tab's authorization server (the lab's realm, …). */
export const metadata = defineCheck({
  name: "the metadata names the lab's authorization server",
  line: 'metadata',
  checkpoints: [2],
  needs: ['withoutToken'],
  async run({ base, options: { config } }) {
    const authorizationServer = await httpGet(new URL('/.well-known/oauth-authorization-server', base));
    const protectedResource = await httpGet(new URL('/.well-known/oauth-protected-resource', base));
    const prm =
      !('error' in protectedResource) && protectedResource.status === 200
        ? (protectedResource.json as ProtectedResourceMetadata)
        : undefined;
    return judgeMetadata(base, config, authorizationServer, prm);
  },
});

/** The verdict on what the server publishes: its authorization server metadata, and its protected resource metadata when it has one. */
export function judgeMetadata(
  base: URL,
  config: LabConfig,
  authorizationServer: Answer,
  prm: ProtectedResourceMetadata | undefined,
): Outcome {
  const tab = config.provider;
  const issuer = tab.issuer;
  const finds = { metadataFindsAuthServer: true } as const;
  if (prm && (prm.resource?.replace(/\/$/, '') !== base.origin || !prm.authorization_servers?.includes(issuer))) {
    const servers = quote((prm.authorization_servers ?? []).join(', '), 120);
    return fail(
      () =>
        t('check.metadata.resource-wrong', {
          resource: quote(String(prm.resource), 120),
          servers: servers || t('check.none'),
          origin: base.origin,
          issuer,
        }),
      'resource-metadata-wrong',
    );
  }
  // A client asks for the scopes the metadata names (the MCP SDK, the Inspector): `openid` is the
  // end of the sign-in on the OAuth 2 tab.
  if (tab.kind === 'oauth' && Array.isArray(prm?.scopes_supported) && prm.scopes_supported.includes('openid')) {
    const scopes = quote(prm.scopes_supported.join(' '), 120);
    return fail(() => tNamed('check.metadata.oauth-openid', { scopes, name: providerName(tab), scope: tab.scope }), 'oauth-scope-openid');
  }
  if ('error' in authorizationServer || authorizationServer.status === 404) {
    return prm
      ? pass(() => t('check.metadata.prm-only', { issuer }), finds)
      : fail(() => t('check.metadata.as-answers', { answer: describeAnswer(authorizationServer) }), 'no-metadata-route');
  }
  if (authorizationServer.status === 401) return fail(() => t('check.metadata.as-answers', { answer: '401' }), 'no-metadata-route');
  const published = (authorizationServer.json as { issuer?: unknown } | undefined)?.issuer;
  if (authorizationServer.status !== 200 || typeof published !== 'string') {
    return fail(
      () => tNamed('check.metadata.as-not-metadata', { answer: describeAnswer(authorizationServer), name: providerName(tab) }),
      'no-metadata-route',
    );
  }
  if (published !== issuer) {
    // The server reached by a name only containers know (host.docker.internal, keycloak, …).
    const trapped =
      new URL(published).pathname === new URL(issuer).pathname &&
      !['localhost', '127.0.0.1', config.publicHost].includes(new URL(published).hostname);
    return fail(
      () =>
        tNamed('check.metadata.other-issuer', {
          published: quote(published, 120),
          keycloak: tab.kind === 'keycloak' ? 'yes' : 'no',
          name: providerName(tab),
          issuer,
        }),
      trapped ? 'docker-host-trap' : 'wrong-issuer',
    );
  }
  return pass(() => t('check.metadata.names-issuer', { issuer, prm: prm ? 'yes' : 'no' }), finds);
}
