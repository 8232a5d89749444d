/**
 * A small client of Logto's Management API, as the lab's provisioning, doctor and tests use it.
 * Logto's seed makes a machine-to-machine application per tenant with the Management API's `all`
 * scope (`m-default` for the tenant the tab's issuer belongs to, `m-admin` for the admin tenant
 * behind the Console); its secret sits in the `applications` table, read here with psql. A
 * client_credentials grant at the admin endpoint's token endpoint then gives a Bearer token (1 h).
 */
import type { LabConfig } from '../core/config.ts';
import { LabError } from '../core/errors.ts';
import { t } from '../core/messages.ts';
import { runCommand } from '../core/process.ts';
import { logtoDbUrl, postgresBinDir, psqlPath } from './logto-database.ts';

/** `default`: the tenant of the issuer, the apps and users; `admin`: the Console's own accounts. */
export type LogtoTenant = 'default' | 'admin';

const tenants = {
  default: { clientId: 'm-default', resource: 'https://default.logto.app/api' },
  admin: { clientId: 'm-admin', resource: 'https://admin.logto.app/api' },
} as const satisfies Record<LogtoTenant, { clientId: string; resource: string }>;

const requestTimeoutMs = 15_000;

export interface LogtoManagement {
  /** The answer's parsed body when it is 2xx; anything else is a one-line LabError naming the call. */
  api<T = unknown>(method: string, apiPath: string, body?: unknown): Promise<T>;
  /** The status and parsed body whatever the status (a password check answers 422 for "does not match"). */
  request<T = unknown>(method: string, apiPath: string, body?: unknown): Promise<{ status: number; json: T }>;
}

/**
 * Signs in to the tenant's Management API as its seeded machine-to-machine application. `dbUrl`
 * defaults to the database of LOGTO_DB_DIR and LOGTO_DB_PORT (a running lab's).
 */
export async function connectLogtoManagement(
  config: LabConfig,
  { dbUrl = logtoDbUrl(config), tenant = 'default' }: { dbUrl?: string; tenant?: LogtoTenant } = {},
): Promise<LogtoManagement> {
  const { clientId, resource } = tenants[tenant];
  const secret = await readApplicationSecret(config, dbUrl, clientId);
  const accessToken = await clientCredentialsToken(config.logto.adminUrl, { clientId, secret, resource });
  const apiBase = `${tenant === 'default' ? config.logto.url : config.logto.adminUrl}/api`;
  const request = async <T>(method: string, apiPath: string, body?: unknown) => {
    const response = await fetchOrExplain(`${apiBase}${apiPath}`, {
      method,
      headers: { authorization: `Bearer ${accessToken}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, json: parseJson(text) as T };
  };
  return {
    request,
    api: async <T>(method: string, apiPath: string, body?: unknown) => {
      const answer = await request<T>(method, apiPath, body);
      if (answer.status >= 200 && answer.status < 300) return answer.json;
      throw new LabError(
        'ERR_PROVISIONING',
        t('provisioning.logto.api-failed', { method, path: apiPath, status: String(answer.status), error: describeError(answer.json) }),
      );
    },
  };
}

/** The secret Logto's seed gave a machine-to-machine application of the admin tenant (m-default, m-admin). */
async function readApplicationSecret(
  config: LabConfig,
  dbUrl: string,
  applicationId: (typeof tenants)[LogtoTenant]['clientId'],
): Promise<string> {
  const database = new URL(dbUrl);
  const psql = await runCommand(
    psqlPath(postgresBinDir(config)),
    [
      ...['-h', database.hostname, '-p', database.port, '-U', decodeURIComponent(database.username)],
      ...['-d', database.pathname.slice(1), '-At'],
      // applicationId is one of `tenants`' constants, never input.
      ...['-c', `select secret from applications where tenant_id = 'admin' and id = '${applicationId}'`],
    ],
    { env: { PGPASSWORD: decodeURIComponent(database.password), PGCONNECT_TIMEOUT: '5' }, timeoutMs: 15_000 },
  );
  const where = { host: database.hostname, port: database.port, application: applicationId };
  if (psql.exitCode !== 0) {
    throw new LabError('ERR_PROVISIONING', t('provisioning.logto.secret-unreadable', { ...where, error: lastLine(psql.stderr) }));
  }
  const secret = psql.stdout.trim();
  if (!secret) throw new LabError('ERR_PROVISIONING', t('provisioning.logto.no-application', where));
  return secret;
}

/** A Management API token for a machine-to-machine application (RFC 6749 §4.4, with an RFC 8707 resource). */
async function clientCredentialsToken(
  adminUrl: string,
  { clientId, secret, resource }: { clientId: string; secret: string; resource: string },
): Promise<string> {
  const response = await fetchOrExplain(`${adminUrl}/oidc/token`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}` },
    body: new URLSearchParams({ grant_type: 'client_credentials', resource, scope: 'all' }),
  });
  const body = parseJson(await response.text()) as { access_token?: unknown };
  if (!response.ok || typeof body?.access_token !== 'string') {
    throw new LabError(
      'ERR_PROVISIONING',
      t('provisioning.logto.token-refused', { client: clientId, status: String(response.status), error: describeError(body) }),
    );
  }
  return body.access_token;
}

/** fetch, with "nothing answers" as one line naming the URL's origin. */
async function fetchOrExplain(url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(url, { ...init, signal: AbortSignal.timeout(requestTimeoutMs) });
  } catch (error) {
    throw new LabError(
      'ERR_PROVISIONING',
      t('provisioning.logto.not-answering', { origin: new URL(url).origin, method: String(init.method), path: new URL(url).pathname }),
      { hint: t('provisioning.logto.not-answering.hint'), cause: error },
    );
  }
}

function parseJson(text: string): unknown {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return text;
  }
}

/** Logto's errors are `{ code, message }`; the token endpoint's `{ error, error_description }`. */
function describeError(body: unknown): string {
  if (typeof body === 'object' && body !== null) {
    const { message, code, error, error_description } = body as Record<string, unknown>;
    const text = [code ?? error, message ?? error_description].filter((part) => typeof part === 'string').join(' ');
    if (text) return text;
  }
  return String(body ?? t('provisioning.logto.no-body')).slice(0, 200);
}

function lastLine(text: string): string {
  return text.trim().split('\n').at(-1) ?? t('provisioning.logto.no-output');
}
