/**
 * Checks that need no admin login: who listens on the lab's ports, whether Keycloak is ready, and
 * whether Keycloak's issuer is the one the whoami server expects.
 */
import type { LabConfig, WhoamiSdk } from '../../core/config.ts';
import { sdkNames } from '../summary.ts';
import { isPortOpen } from '../../core/ports.ts';
import { httpGet } from '../check/probes.ts';
import { t } from '../../core/messages.ts';
import { ok, problem, skipped, type CheckResult } from './check.ts';

/** What the whoami server's /healthz says: its mode, the issuer it checks, which server it is. */
export interface WhoamiHealth {
  mode: string;
  issuer: string;
  sdk: string;
}

/** Keycloak's HTTP port: Keycloak, nothing, or something else. */
export async function checkKeycloakPort(lab: LabConfig): Promise<CheckResult> {
  const name = t('doctor.name.keycloak-port', { port: lab.keycloak.port });
  const master = await httpGet(new URL(`${lab.keycloak.adminUrl}/realms/master/.well-known/openid-configuration`), { timeoutMs: 3_000 });
  if ('error' in master) {
    return (await isPortOpen(lab.keycloak.port))
      ? problem(
          name,
          t('doctor.port.silent', { url: lab.keycloak.adminUrl, error: master.error }),
          t('doctor.fix.port-taken', { port: lab.keycloak.port, setting: 'KEYCLOAK_PORT' }),
        )
      : problem(name, t('doctor.port.nothing', { url: lab.keycloak.adminUrl, error: master.error }), t('doctor.fix.lab-up'));
  }
  const issuer = (master.json as { issuer?: unknown } | undefined)?.issuer;
  if (master.status === 200 && typeof issuer === 'string' && issuer.endsWith('/realms/master'))
    return ok(name, t('doctor.keycloak-port.ok', { url: lab.keycloak.adminUrl }));
  if (master.status >= 500) return ok(name, t('doctor.keycloak-port.error-status', { status: master.status, url: lab.keycloak.adminUrl }));
  return problem(
    name,
    t('doctor.keycloak-port.stranger', { url: lab.keycloak.adminUrl, status: master.status }),
    t('doctor.fix.port-taken', { port: lab.keycloak.port, setting: 'KEYCLOAK_PORT' }),
  );
}

/** Keycloak's own readiness (management port, KC_HEALTH_ENABLED). */
export async function checkKeycloakReady(lab: LabConfig): Promise<CheckResult> {
  const name = t('doctor.name.keycloak-ready');
  const url = `http://localhost:${lab.keycloak.managementPort}/health/ready`;
  const health = await httpGet(new URL(url), { timeoutMs: 3_000 });
  if ('error' in health)
    return problem(name, t('doctor.no-answer-at', { url, error: health.error }), t('doctor.keycloak-ready.no-answer-fix'));
  if (health.status !== 200)
    return problem(name, t('doctor.keycloak-ready.status', { url, status: health.status }), t('doctor.keycloak-ready.status-fix'));
  return ok(name, url);
}

/** The whoami server's port: the whoami server, nothing, or something else. */
export async function checkWhoamiPort(lab: LabConfig): Promise<{ result: CheckResult; health?: WhoamiHealth }> {
  const name = t('doctor.name.whoami-port', { port: lab.server.port });
  const health = await httpGet(new URL(`${lab.server.url}/healthz`), { timeoutMs: 3_000 });
  if ('error' in health) {
    return (await isPortOpen(lab.server.port))
      ? {
          result: problem(
            name,
            t('doctor.whoami-port.silent', { error: health.error }),
            t('doctor.fix.port-taken', { port: lab.server.port, setting: 'WHOAMI_PORT' }),
          ),
        }
      : { result: problem(name, t('doctor.whoami-port.nothing', { url: lab.server.url }), t('doctor.whoami-port.nothing-fix')) };
  }
  const body = health.json as Partial<WhoamiHealth & { status: string }> | undefined;
  if (health.status !== 200 || body?.status !== 'ok' || typeof body.issuer !== 'string' || typeof body.mode !== 'string') {
    return {
      result: problem(
        name,
        t('doctor.whoami-port.stranger', { url: lab.server.url, status: health.status }),
        t('doctor.fix.port-taken', { port: lab.server.port, setting: 'WHOAMI_PORT' }),
      ),
    };
  }
  const sdk = typeof body.sdk === 'string' ? body.sdk : 'unknown';
  const known = sdk in sdkNames;
  return {
    result: ok(
      name,
      t('doctor.whoami-port.ok', {
        known: known ? 'yes' : 'no',
        sdkName: known ? sdkNames[sdk as WhoamiSdk] : sdk,
        sdk,
        mode: body.mode,
        url: lab.server.url,
      }),
    ),
    health: { mode: body.mode, issuer: body.issuer, sdk },
  };
}

/**
 * The issuer in Keycloak's tokens against the issuer the whoami server checks. They differ when
 * the browser and the server reach Keycloak by different host names (the Docker trap:
 * localhost:8080 outside, keycloak:8080 inside) and Keycloak has no fixed public host name.
 */
export async function checkIssuer(lab: LabConfig, whoami: WhoamiHealth | undefined): Promise<CheckResult> {
  const name = t('doctor.name.issuer');
  const discoveryUrl = `${lab.keycloak.adminUrl}/realms/${lab.realm.name}/.well-known/openid-configuration`;
  const discovery = await httpGet(new URL(discoveryUrl), { timeoutMs: 3_000 });
  if ('error' in discovery) return skipped(name, t('doctor.issuer.keycloak-silent'));
  if (discovery.status === 404) return problem(name, t('doctor.realm.missing', { realm: lab.realm.name }), t('doctor.issuer.no-realm-fix'));
  const keycloakIssuer = (discovery.json as { issuer?: unknown } | undefined)?.issuer;
  if (discovery.status !== 200 || typeof keycloakIssuer !== 'string')
    return skipped(name, t('doctor.issuer.keycloak-status', { status: discovery.status }));
  const expected = whoami?.issuer ?? lab.realm.issuer;
  const who = whoami ? 'whoami' : 'config';
  if (keycloakIssuer !== expected) {
    return problem(name, t('doctor.issuer.differs', { keycloakIssuer, who, expected }), t('doctor.issuer.differs-fix'));
  }
  return ok(name, t('doctor.issuer.ok', { issuer: keycloakIssuer, who }));
}
