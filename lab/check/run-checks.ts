/**
 * `lab check`: the tutorial's checkpoints, run against whatever server listens at a URL — the
 * lab's or the learner's, Node.js or Python — with the lab's Keycloak. One result per checkpoint,
 * and for each failure the diagnosis (diagnoses.ts).
 *
 *   reachable       something answers at the URL
 *   transport       SSE at /sse (and the messages route it announces), Streamable HTTP at /mcp
 *   checkpoint 1    whoami is listed; before auth: it answers {"error": "Not authenticated"};
 *                   after auth (checkpoint 2 expected): a request without a token is refused
 *   metadata        the authorization server metadata names the realm's issuer (protected
 *                   resource metadata too, if the server has it)
 *   checkpoint 2    a real login at Keycloak, then whoami returns that user's claims
 *   forged token    a token Keycloak never issued is refused
 */
import type { Browser } from 'playwright';
import type { LabConfig } from '../../core/config.ts';
import { diagnosis, type Diagnosis, type DiagnosisId, type Sdk } from './diagnoses.ts';
import { forgedCopy, launchChromium, loginForAccessToken, tokenClaims } from './browser-login.ts';
import { LoginRefusedError, type Credentials } from './keycloak-login.ts';
import { callWhoami, SessionError, type Transport, type WhoamiCall } from './mcp-session.ts';
import { httpGet, openSse, postInitialize, sdkOf, sseAnswer, type Answer, type SseOpening } from './probes.ts';

export type Status = 'pass' | 'fail' | 'skip';

export interface CheckResult {
  name: CheckName;
  status: Status;
  detail: string;
  diagnosis?: Diagnosis;
}

export type CheckName = 'reachable' | 'transport' | 'checkpoint 1' | 'metadata' | 'checkpoint 2' | 'forged token';

export interface CheckReport {
  url: string;
  checkpoint: 1 | 2;
  sdk: Sdk | undefined;
  results: CheckResult[];
  passed: boolean;
  /** Who signed in (checkpoint 2), and their token — for reporting to the room's lab, never printed. */
  login?: { username: string; accessToken: string };
}

export interface CheckOptions {
  url: string;
  checkpoint: 1 | 2;
  credentials: Credentials;
  config: LabConfig;
  /** A browser to sign in with; one is launched (and closed) when omitted. */
  browser?: Browser;
}

const order: CheckName[] = ['reachable', 'transport', 'checkpoint 1', 'metadata', 'checkpoint 2', 'forged token'];
const notAuthenticated = JSON.stringify({ error: 'Not authenticated' });

export async function runChecks(options: CheckOptions): Promise<CheckReport> {
  const base = new URL(new URL(options.url).origin);
  const endpoints = { sse: new URL('/sse', base), 'streamable-http': new URL('/mcp', base) } satisfies Record<Transport, URL>;
  const results = new Map<CheckName, CheckResult>();
  const pass = (name: CheckName, detail: string) => results.set(name, { name, status: 'pass', detail });
  const fail = (name: CheckName, detail: string, id: DiagnosisId) => results.set(name, { name, status: 'fail', detail, diagnosis: diagnosis(id) });
  const skipRest = (reason: string) => {
    for (const name of order) if (!results.has(name) && (options.checkpoint === 2 || ['reachable', 'transport', 'checkpoint 1'].includes(name))) results.set(name, { name, status: 'skip', detail: reason });
  };
  const report = (sdk: Sdk | undefined, login?: CheckReport['login']): CheckReport => {
    const ordered = order.flatMap((name) => results.get(name) ?? []);
    return { url: base.href.replace(/\/$/, ''), checkpoint: options.checkpoint, sdk, results: ordered, passed: ordered.every(({ status }) => status !== 'fail'), login };
  };

  // Reachable: any HTTP answer at all.
  const root = await httpGet(base);
  if ('error' in root) {
    const elsewhere = await findMcpServerNearby(base, options.config);
    fail('reachable', `nothing answers at ${base.origin} (${root.error})${elsewhere ? `; an MCP server answers at ${elsewhere} — is that yours?` : ''}`, 'not-listening');
    skipRest('the server is not reachable');
    return report(undefined);
  }
  let sdk = sdkOf(root.headers);
  pass('reachable', `${base.origin} answers${sdk ? ` (${sdk === 'node' ? 'Node.js, Express' : 'Python, uvicorn'})` : ''}`);

  // Without a token: what answers where.
  const sse = await openSse(endpoints.sse);
  if (!('error' in sse)) await sse.close();
  const mcp = await postInitialize(endpoints['streamable-http']);
  sdk ??= sdkOf('headers' in sse ? sse.headers : undefined) ?? sdkOf('headers' in mcp ? mcp.headers : undefined);
  const sseStatus = 'error' in sse ? 0 : sse.status;
  const mcpStatus = 'error' in mcp ? 0 : mcp.status;
  const open = { sse: sseStatus === 200, 'streamable-http': mcpStatus === 200 };
  const asksForToken = sseStatus === 401 || mcpStatus === 401;
  if (!open.sse && !open['streamable-http'] && !asksForToken) {
    fail('transport', `no MCP endpoint: GET /sse answers ${describe(sse)}, POST /mcp answers ${describe(mcp)}`, 'no-mcp-endpoint');
    skipRest('no MCP endpoint');
    return report(sdk);
  }

  if (options.checkpoint === 1) {
    if (asksForToken && !open.sse && !open['streamable-http']) {
      pass('transport', 'the MCP endpoints ask for a token, so they cannot be told apart without one');
      pass('checkpoint 1', 'the server already asks for a token: it is past checkpoint 1 (check it without --checkpoint 1)');
      return report(sdk);
    }
    const [transport] = await checkTransport(open, endpoints.sse, undefined, pass, fail);
    if (!transport) { skipRest('no working MCP transport'); return report(sdk); }
    const call = await callWhoami(endpoints[transport], transport).catch((error: unknown) => error as SessionError);
    if (call instanceof Error) fail('checkpoint 1', `the MCP session over ${transport} failed at "${call.step}": ${call.message}`, 'no-mcp-endpoint');
    else if (!call.tools.includes('whoami')) fail('checkpoint 1', `tools/list lists ${call.tools.length ? call.tools.join(', ') : 'no tools'}`, 'whoami-missing');
    else if (JSON.stringify(call.result) !== notAuthenticated) fail('checkpoint 1', `whoami answered ${call.text.slice(0, 200)}`, 'whoami-not-unauthenticated');
    else pass('checkpoint 1', `tools/list lists whoami; whoami answers ${notAuthenticated} over ${label(transport)}`);
    return report(sdk);
  }

  // Checkpoint 2 expected. First: no token, no answer.
  if (open.sse || open['streamable-http']) {
    const unknownPath = await httpGet(new URL('/lab-check-no-such-route', base));
    const bearerSomewhere = !('error' in unknownPath) && unknownPath.status === 401;
    const where = [open.sse && 'GET /sse', open['streamable-http'] && 'POST /mcp'].filter(Boolean).join(' and ');
    fail('checkpoint 1', `${where} answered 200 without a token`, bearerSomewhere ? 'bearer-after-routes' : 'no-bearer-middleware');
  } else {
    const challenge = ('headers' in sse && sse.headers.get('www-authenticate')) || ('headers' in mcp && mcp.headers.get('www-authenticate'));
    pass('checkpoint 1', `without a token the server answers 401${challenge ? ` (WWW-Authenticate: ${challenge.slice(0, 80)})` : ' (with no WWW-Authenticate header)'}`);
  }

  // The integration step: metadata naming the lab's realm.
  const metadataOk = await checkMetadata(base, options.config, pass, fail);
  if (results.get('checkpoint 1')?.status === 'fail') {
    // Without a bearer middleware in front of the routes no request carries its token as far as
    // whoami: what the token checks would find is that one mistake again.
    skipRest('the routes are not behind the bearer middleware (see checkpoint 1)');
    return report(sdk);
  }

  // Checkpoint 2: a real login, then whoami with the token.
  const browser = options.browser ?? await launchChromium();
  let accessToken: string;
  try {
    // Through the server's metadata when it is right (as a client finds Keycloak); else at the realm directly.
    const serverEndpoint = metadataOk ? (sseStatus === 401 ? endpoints.sse : endpoints['streamable-http']) : undefined;
    accessToken = await loginForAccessToken(browser, {
      serverEndpoint, issuer: options.config.realm.issuer, clientId: options.config.client.id, scope: options.config.client.scope,
      redirectUri: options.config.client.testRedirectUri, credentials: options.credentials,
    });
  } catch (error) {
    if (error instanceof LoginRefusedError) fail('checkpoint 2', `Keycloak refused ${options.credentials.username}'s sign-in: "${error.message}"`, 'login-refused');
    else fail('checkpoint 2', `the sign-in as ${options.credentials.username} did not complete: ${(error as Error).message.split('\n')[0]}`, 'login-failed');
    skipRest('no token');
    return report(sdk);
  } finally {
    if (!options.browser) await browser.close();
  }
  const signedIn = tokenClaims(accessToken);
  const login = { username: options.credentials.username, accessToken };

  // With the token: which transports work.
  const sseWithToken = await sseAnswer(endpoints.sse, { token: accessToken });
  const mcpWithToken = await postInitialize(endpoints['streamable-http'], { token: accessToken });
  const openWithToken = { sse: !('error' in sseWithToken) && sseWithToken.status === 200, 'streamable-http': !('error' in mcpWithToken) && mcpWithToken.status === 200 };
  if (!openWithToken.sse && !openWithToken['streamable-http']) {
    const refused = [sseWithToken, mcpWithToken].some((answer) => !('error' in answer) && answer.status === 401);
    if (refused) {
      pass('transport', 'the MCP endpoints ask for a token');
      fail('checkpoint 2', `${options.credentials.username} signed in, but the server refused the token Keycloak issued (401)`, 'valid-token-refused');
    } else {
      fail('transport', `with a token, GET /sse answers ${describe(sseWithToken)} and POST /mcp answers ${describe(mcpWithToken)}`, 'no-mcp-endpoint');
      results.set('checkpoint 2', { name: 'checkpoint 2', status: 'skip', detail: 'no MCP endpoint' });
    }
    results.set('forged token', { name: 'forged token', status: 'skip', detail: 'no endpoint accepts even a valid token' });
    return report(sdk, login);
  }
  const working = await checkTransport(openWithToken, endpoints.sse, accessToken, pass, fail, true);

  const calls: Array<[Transport, WhoamiCall | SessionError]> = [];
  for (const transport of working) calls.push([transport, await callWhoami(endpoints[transport], transport, { token: accessToken }).catch((error: unknown) => error as SessionError)]);
  const problem = calls.find(([, call]) => call instanceof Error || !call.tools.includes('whoami') || JSON.stringify(call.result) === notAuthenticated || call.result?.sub !== signedIn.sub);
  if (calls.length === 0) {
    results.set('checkpoint 2', { name: 'checkpoint 2', status: 'skip', detail: 'no working transport' });
  } else if (!problem) {
    pass('checkpoint 2', `${options.credentials.username} signed in at Keycloak; whoami returned their claims (sub ${String(signedIn.sub)}) over ${calls.map(([transport]) => label(transport)).join(' and ')}`);
  } else {
    const [transport, call] = problem;
    if (call instanceof Error) fail('checkpoint 2', `over ${label(transport)} the session failed at "${call.step}": ${call.message.split('\n')[0]}`, call.status === 401 ? 'valid-token-refused' : 'no-mcp-endpoint');
    else if (!call.tools.includes('whoami')) fail('checkpoint 2', `tools/list lists ${call.tools.join(', ') || 'no tools'}`, 'whoami-missing');
    else if (JSON.stringify(call.result) === notAuthenticated) fail('checkpoint 2', `with ${options.credentials.username}'s valid token, whoami answered ${notAuthenticated} over ${label(transport)}`, 'tool-ignores-auth-info');
    else fail('checkpoint 2', `${options.credentials.username} signed in (sub ${String(signedIn.sub)}), but whoami returned sub ${String(call.result?.sub)} (${String(call.result?.preferred_username ?? 'no preferred_username')}) over ${label(transport)}`, 'fixed-user-claims');
  }

  // A token Keycloak never issued must be refused, garbage or a forged signature alike.
  const forgedAccepted: string[] = [];
  for (const [what, token] of [['a garbage token', 'not-a-token-keycloak-issued'], ['a forged JWT (bad signature)', forgedCopy(accessToken)]] as const) {
    const answer = working[0] === 'sse' ? await sseAnswer(endpoints.sse, { token }) : await postInitialize(endpoints['streamable-http'], { token });
    if (!('error' in answer) && answer.status < 400) forgedAccepted.push(what);
  }
  if (forgedAccepted.length > 0) fail('forged token', `${forgedAccepted.join(' and ')} got ${working[0] === 'sse' ? 'an SSE stream' : 'an MCP session'}`, 'verify-accepts-any-token');
  else pass('forged token', 'a garbage token and a forged JWT are refused');
  return report(sdk, login);
}

/**
 * The transport line: which endpoints work, and for SSE whether the messages route it announces
 * takes a message (the tutorial's `app.post('/messages', …)`). Returns the transports that work.
 */
async function checkTransport(
  open: Record<Transport, boolean>, sseUrl: URL, token: string | undefined,
  pass: (name: CheckName, detail: string) => void, fail: (name: CheckName, detail: string, id: DiagnosisId) => void, withToken = false,
): Promise<Transport[]> {
  const streamable: Transport[] = open['streamable-http'] ? ['streamable-http'] : [];
  if (open.sse) {
    // The session lives as long as its stream: post while it is open.
    const stream = await openSse(sseUrl, { token });
    const endpoint = 'error' in stream ? undefined : stream.endpoint;
    const posted = endpoint ? await postInitialize(endpoint, { token }) : undefined;
    if (!('error' in stream)) await stream.close();
    if (!endpoint) {
      fail('transport', 'GET /sse opens a stream but announces no endpoint for messages', 'sse-no-messages-route');
      return streamable;
    }
    if (posted && !('error' in posted) && posted.status === 404) {
      fail('transport', `GET /sse opens a stream that announces ${endpoint.pathname}, but POST ${endpoint.pathname} answers 404`, 'sse-no-messages-route');
      return streamable;
    }
  }
  const found = [open.sse && 'SSE at /sse', open['streamable-http'] && 'Streamable HTTP at /mcp'].filter(Boolean).join(', ');
  pass('transport', `${found}${withToken ? ' (with a token)' : ''}`);
  return [...(open.sse ? ['sse' as const] : []), ...streamable];
}

/** True when a client can find the lab's Keycloak through the server's metadata. */
async function checkMetadata(base: URL, config: LabConfig, pass: (name: CheckName, detail: string) => void, fail: (name: CheckName, detail: string, id: DiagnosisId) => void): Promise<boolean> {
  const issuer = config.realm.issuer;
  const authorizationServer = await httpGet(new URL('/.well-known/oauth-authorization-server', base));
  const protectedResource = await httpGet(new URL('/.well-known/oauth-protected-resource', base));
  const prm = !('error' in protectedResource) && protectedResource.status === 200 ? protectedResource.json as { resource?: string; authorization_servers?: string[] } : undefined;
  if (prm && (prm.resource?.replace(/\/$/, '') !== base.origin || !prm.authorization_servers?.includes(issuer))) {
    fail('metadata', `the protected resource metadata names resource ${prm.resource} and authorization servers ${(prm.authorization_servers ?? []).join(', ') || 'none'}; expected ${base.origin} and ${issuer}`, 'resource-metadata-wrong');
    return false;
  }
  if ('error' in authorizationServer || authorizationServer.status === 404) {
    if (prm) { pass('metadata', `protected resource metadata names ${issuer} (no /.well-known/oauth-authorization-server)`); return true; }
    fail('metadata', `GET /.well-known/oauth-authorization-server answers ${describe(authorizationServer)}`, 'no-metadata-route');
    return false;
  }
  if (authorizationServer.status === 401) {
    fail('metadata', 'GET /.well-known/oauth-authorization-server answers 401', 'no-metadata-route');
    return false;
  }
  const published = (authorizationServer.json as { issuer?: unknown } | undefined)?.issuer;
  if (authorizationServer.status !== 200 || typeof published !== 'string') {
    fail('metadata', `GET /.well-known/oauth-authorization-server answers ${describe(authorizationServer)}, not Keycloak's metadata`, 'no-metadata-route');
    return false;
  }
  if (published !== issuer) {
    const trapped = new URL(published).pathname === new URL(issuer).pathname && !['localhost', '127.0.0.1', config.publicHost].includes(new URL(published).hostname);
    fail('metadata', `the metadata names issuer ${published}; the lab's realm is ${issuer}`, trapped ? 'docker-host-trap' : 'wrong-issuer');
    return false;
  }
  pass('metadata', `/.well-known/oauth-authorization-server names ${issuer}${prm ? '; protected resource metadata names it too' : ''}`);
  return true;
}

/**
 * When nothing answers at the URL: an MCP server on a port next to it, or the ones tutorials use
 * (3000, 8000), is likely the learner's, started on another port.
 */
async function findMcpServerNearby(base: URL, config: LabConfig): Promise<string | undefined> {
  const port = Number(base.port || 80);
  const candidates = [...new Set([port - 1, port + 1, 3000, 3001, 3002, 8000])].filter((candidate) => candidate !== port && candidate !== config.keycloak.port && candidate > 0);
  for (const candidate of candidates) {
    const url = new URL(`${base.protocol}//${base.hostname}:${candidate}/sse`);
    const answer = await sseAnswer(url, { timeoutMs: 1_000 });
    if (!('error' in answer) && (answer.status === 200 || answer.status === 401)) return url.origin;
  }
  return undefined;
}

function describe(answer: Answer | Omit<SseOpening, 'close'> | { error: string }): string {
  return 'error' in answer ? answer.error : `HTTP ${answer.status}`;
}

function label(transport: Transport): string {
  return transport === 'sse' ? 'SSE' : 'Streamable HTTP';
}
