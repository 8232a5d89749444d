/**
 * Checks that need no admin login: who listens on the lab's ports, whether Keycloak is ready, and
 * whether Keycloak's issuer is the one the whoami server expects.
 */
import type { LabConfig, WhoamiSdk } from '../../core/config.ts';
import { sdkNames } from '../summary.ts';
import { isPortOpen } from '../../core/ports.ts';
import { httpGet } from '../check/probes.ts';
import { ok, problem, skipped, type CheckResult } from './check.ts';

/** What the whoami server's /healthz says: its mode, the issuer it checks, which server it is. */
export interface WhoamiHealth {
  mode: string;
  issuer: string;
  sdk: string;
}

/** Keycloak's HTTP port: Keycloak, nothing, or something else. */
export async function checkKeycloakPort(lab: LabConfig): Promise<CheckResult> {
  const name = `Keycloak port ${lab.keycloak.port}`;
  const master = await httpGet(new URL(`${lab.keycloak.adminUrl}/realms/master/.well-known/openid-configuration`), { timeoutMs: 3_000 });
  if ('error' in master) {
    return (await isPortOpen(lab.keycloak.port))
      ? problem(
          name,
          `something listens but does not answer HTTP at ${lab.keycloak.adminUrl} (${master.error})`,
          `stop it (\`ss -ltnp 'sport = :${lab.keycloak.port}'\`) or set KEYCLOAK_PORT`,
        )
      : problem(name, `nothing answers at ${lab.keycloak.adminUrl} (${master.error})`, 'start the lab with `npm run lab -- up`');
  }
  const issuer = (master.json as { issuer?: unknown } | undefined)?.issuer;
  if (master.status === 200 && typeof issuer === 'string' && issuer.endsWith('/realms/master'))
    return ok(name, `Keycloak answers at ${lab.keycloak.adminUrl}`);
  if (master.status >= 500)
    return ok(name, `Keycloak (or something) answers HTTP ${master.status} at ${lab.keycloak.adminUrl}: see the readiness check`);
  return problem(
    name,
    `taken by something else: ${lab.keycloak.adminUrl} answers HTTP ${master.status}, not like Keycloak`,
    `stop it (\`ss -ltnp 'sport = :${lab.keycloak.port}'\`) or set KEYCLOAK_PORT`,
  );
}

/** Keycloak's own readiness (management port, KC_HEALTH_ENABLED). */
export async function checkKeycloakReady(lab: LabConfig): Promise<CheckResult> {
  const name = 'Keycloak ready';
  const url = `http://localhost:${lab.keycloak.managementPort}/health/ready`;
  const health = await httpGet(new URL(url), { timeoutMs: 3_000 });
  if ('error' in health)
    return problem(
      name,
      `no answer at ${url} (${health.error})`,
      'start the lab with `npm run lab -- up`; a Keycloak of your own needs KC_HEALTH_ENABLED=true and KEYCLOAK_MANAGEMENT_PORT',
    );
  if (health.status !== 200)
    return problem(
      name,
      `${url} answers HTTP ${health.status}: Keycloak is still starting or broken`,
      `wait a minute and run \`npm run lab -- doctor\` again; otherwise read the Keycloak log (.lab/keycloak.log)`,
    );
  return ok(name, url);
}

/** The whoami server's port: the whoami server, nothing, or something else. */
export async function checkWhoamiPort(lab: LabConfig): Promise<{ result: CheckResult; health?: WhoamiHealth }> {
  const name = `whoami port ${lab.server.port}`;
  const health = await httpGet(new URL(`${lab.server.url}/healthz`), { timeoutMs: 3_000 });
  if ('error' in health) {
    return (await isPortOpen(lab.server.port))
      ? {
          result: problem(
            name,
            `taken by something else that does not answer HTTP (${health.error})`,
            `stop it (\`ss -ltnp 'sport = :${lab.server.port}'\`) or set WHOAMI_PORT`,
          ),
        }
      : { result: problem(name, `no whoami server at ${lab.server.url}`, 'start the lab with `npm run lab -- up` (or `npm run server`)') };
  }
  const body = health.json as Partial<WhoamiHealth & { status: string }> | undefined;
  if (health.status !== 200 || body?.status !== 'ok' || typeof body.issuer !== 'string' || typeof body.mode !== 'string') {
    return {
      result: problem(
        name,
        `taken by something else: ${lab.server.url}/healthz answers HTTP ${health.status}, not like the whoami server`,
        `stop it (\`ss -ltnp 'sport = :${lab.server.port}'\`) or set WHOAMI_PORT`,
      ),
    };
  }
  const sdk = typeof body.sdk === 'string' ? body.sdk : 'unknown';
  const which = sdk in sdkNames ? `${sdkNames[sdk as WhoamiSdk]} server` : `server of an unknown SDK (${sdk})`;
  return {
    result: ok(name, `whoami ${which} in ${body.mode} mode at ${lab.server.url}`),
    health: { mode: body.mode, issuer: body.issuer, sdk },
  };
}

/**
 * The issuer in Keycloak's tokens against the issuer the whoami server checks. They differ when
 * the browser and the server reach Keycloak by different host names (the Docker trap:
 * localhost:8080 outside, keycloak:8080 inside) and Keycloak has no fixed public host name.
 */
export async function checkIssuer(lab: LabConfig, whoami: WhoamiHealth | undefined): Promise<CheckResult> {
  const name = 'issuer';
  const discoveryUrl = `${lab.keycloak.adminUrl}/realms/${lab.realm.name}/.well-known/openid-configuration`;
  const discovery = await httpGet(new URL(discoveryUrl), { timeoutMs: 3_000 });
  if ('error' in discovery) return skipped(name, 'Keycloak does not answer');
  if (discovery.status === 404) return problem(name, `realm ${lab.realm.name} does not exist`, 'create it with `npm run provision`');
  const keycloakIssuer = (discovery.json as { issuer?: unknown } | undefined)?.issuer;
  if (discovery.status !== 200 || typeof keycloakIssuer !== 'string') return skipped(name, `Keycloak answers HTTP ${discovery.status}`);
  const expected = whoami?.issuer ?? lab.realm.issuer;
  const who = whoami ? 'the whoami server expects' : 'the lab config expects';
  if (keycloakIssuer !== expected) {
    return problem(
      name,
      `Keycloak issues tokens as ${keycloakIssuer} but ${who} ${expected}, so every token is refused`,
      'give Keycloak one public URL (KC_HOSTNAME=<the URL browsers use>, KC_HOSTNAME_BACKCHANNEL_DYNAMIC=true) and start the server with KEYCLOAK_URL set to that same URL (KEYCLOAK_INTERNAL_URL for where it reaches Keycloak)',
    );
  }
  return ok(name, `${keycloakIssuer} (Keycloak and ${who.replace(' expects', '')} agree)`);
}
