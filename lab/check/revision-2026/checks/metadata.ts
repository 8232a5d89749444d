import { t } from '../../../../core/messages.ts';
import { defineCheck, fail, pass, quote } from '../../check.ts';
import { judgeMetadata, type ProtectedResourceMetadata } from '../../checks/metadata.ts';
import { httpGet } from '../../probes.ts';

/**
 * The protected resource metadata (RFC 9728, a MUST in 2026-07-28): where the 401 points, else at
 * its well-known path. It names this server and the lab's realm (the tutorial's check, reused),
 * and the scopes of the server's tools — without offline_access, which is Keycloak's business.
 */
export const metadata = defineCheck({
  name: "the protected resource metadata leads to the lab's realm",
  line: 'metadata',
  checkpoints: [2],
  needs: ['challenge'],
  provides: { facts: ['metadataFindsAuthServer'], otherwise: () => t('check.metadata.not-leading-to-realm') },
  async run({ base, facts: { challenge }, options: { config } }) {
    const wellKnown = new URL('/.well-known/oauth-protected-resource', base);
    const candidates = [...new Set([challenge.resourceMetadataUrl, wellKnown.href].filter((url) => url && URL.canParse(url)))];
    let prm: ProtectedResourceMetadata | undefined;
    let where = '';
    for (const url of candidates as string[]) {
      const answer = await httpGet(new URL(url));
      if (!('error' in answer) && answer.status === 200 && typeof answer.json === 'object' && answer.json !== null) {
        prm = answer.json as ProtectedResourceMetadata;
        where = url;
        break;
      }
    }
    if (!prm)
      return fail(
        () =>
          candidates.length === 2
            ? t('check.metadata.no-prm-at-either', { first: candidates[0]!, second: candidates[1]! })
            : t('check.metadata.no-prm-at', { url: candidates[0] ?? '' }),
        'no-protected-resource-metadata',
      );
    // The tutorial's verdict on the protected resource metadata. Not on the server's own
    // /.well-known/oauth-authorization-server: a 2026-07-28 client asks the realm for that.
    const verdict = judgeMetadata(base, config, { error: 'not asked' }, prm);
    if (verdict.result?.status !== 'pass') return verdict;
    const scopes = Array.isArray(prm.scopes_supported) ? prm.scopes_supported : [];
    const scopeList = quote(scopes.join(' '), 120);
    const resource = String(prm.resource);
    const named = () => t('check.metadata.prm-names', { where, resource, issuer: config.provider.issuer, scopes: scopeList || 'none' });
    if (scopes.includes('offline_access')) return fail(named, 'metadata-offers-offline-access', verdict.found);
    return pass(named, verdict.found);
  },
});
