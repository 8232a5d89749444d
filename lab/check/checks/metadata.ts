import type { LabConfig } from '../../../core/config.ts';
import { defineCheck, describeAnswer, fail, pass, quote, type Outcome } from '../check.ts';
import { httpGet, type Answer } from '../probes.ts';

interface ProtectedResourceMetadata {
  resource?: string;
  authorization_servers?: string[];
}

/** The integration step: the server's metadata leads a client to the lab's realm. */
export const metadata = defineCheck({
  name: "the metadata names the lab's realm",
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

function judgeMetadata(base: URL, config: LabConfig, authorizationServer: Answer, prm: ProtectedResourceMetadata | undefined): Outcome {
  const issuer = config.realm.issuer;
  const finds = { metadataFindsKeycloak: true } as const;
  if (prm && (prm.resource?.replace(/\/$/, '') !== base.origin || !prm.authorization_servers?.includes(issuer))) {
    return fail(
      `the protected resource metadata names resource ${quote(String(prm.resource), 120)} and authorization servers ${quote((prm.authorization_servers ?? []).join(', '), 120) || 'none'}; expected ${base.origin} and ${issuer}`,
      'resource-metadata-wrong',
    );
  }
  if ('error' in authorizationServer || authorizationServer.status === 404) {
    return prm
      ? pass(`protected resource metadata names ${issuer} (no /.well-known/oauth-authorization-server)`, finds)
      : fail(`GET /.well-known/oauth-authorization-server answers ${describeAnswer(authorizationServer)}`, 'no-metadata-route');
  }
  if (authorizationServer.status === 401) return fail('GET /.well-known/oauth-authorization-server answers 401', 'no-metadata-route');
  const published = (authorizationServer.json as { issuer?: unknown } | undefined)?.issuer;
  if (authorizationServer.status !== 200 || typeof published !== 'string') {
    return fail(
      `GET /.well-known/oauth-authorization-server answers ${describeAnswer(authorizationServer)}, not Keycloak's metadata`,
      'no-metadata-route',
    );
  }
  if (published !== issuer) {
    // Keycloak reached by a name only containers know (host.docker.internal, keycloak, …).
    const trapped =
      new URL(published).pathname === new URL(issuer).pathname &&
      !['localhost', '127.0.0.1', config.publicHost].includes(new URL(published).hostname);
    return fail(
      `the metadata names issuer ${quote(published, 120)}; the lab's realm is ${issuer}`,
      trapped ? 'docker-host-trap' : 'wrong-issuer',
    );
  }
  return pass(`/.well-known/oauth-authorization-server names ${issuer}${prm ? '; protected resource metadata names it too' : ''}`, finds);
}
