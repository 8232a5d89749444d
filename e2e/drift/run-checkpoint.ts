/**
 * Starts a prepared tutorial server and runs checkpoint 2 against it with the MCP SDK's client over
 * SSE (the tutorial's transport), logging in at Keycloak in headless Chromium — every step with a
 * deadline, so that a server that never answers, or a client that retries forever, ends as a
 * one-line failure instead of a hang.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright';
import type { LabConfig } from '../../core/config.ts';
import { LabError } from '../../core/errors.ts';
import { startService, type StartedService } from '../../core/process.ts';
import type { FetchLike } from '@modelcontextprotocol/sdk/shared/transport.js';
import { callWhoami, loginAndConnect } from '../support/sdk-login.ts';
import type { PreparedServer } from './scratch-server.ts';

export type Outcome = { result: 'pass'; detail: string } | { result: 'fail'; reason: string };

export interface CheckpointRun {
  outcome: Outcome;
  /** Deprecation and other warnings the server printed, once each. */
  warnings: string[];
}

const startTimeoutMs = 30_000;
const checkpointTimeoutMs = 60_000;

export async function runCheckpoint(config: LabConfig, server: PreparedServer, browser: Browser, port: number): Promise<CheckpointRun> {
  if (server.failure) return { outcome: { result: 'fail', reason: server.failure }, warnings: [] };
  const serverUrl = `http://localhost:${port}`;
  const logPath = path.join(server.dir, 'server.log');
  const normalize = (text: string) => normalized(text, { serverUrl, keycloakUrl: config.keycloak.url });
  let started: StartedService | undefined;
  try {
    started = await startService({
      description: `The tutorial's ${server.tab} server (${server.variant})`,
      file: server.file,
      args: server.args,
      env: server.env,
      cwd: server.dir,
      logPath,
      // The tutorial's server has no health route; any HTTP answer means it is listening.
      ready: async () =>
        (await fetch(`${serverUrl}/.well-known/oauth-authorization-server`, { signal: AbortSignal.timeout(2_000) })).status,
      readyTimeoutMs: startTimeoutMs,
    });
  } catch (error) {
    if (!(error instanceof LabError)) throw error;
    const why =
      error.code === 'ERR_PROCESS_EXITED'
        ? `the server exited at start: ${errorLine(logPath) ?? error.message}`
        : `the server did not answer within ${startTimeoutMs / 1000} s`;
    return { outcome: { result: 'fail', reason: normalize(why) }, warnings: warningsIn(logPath, normalize) };
  }
  try {
    return { outcome: await checkpointTwo(config, serverUrl, browser, normalize), warnings: warningsIn(logPath, normalize) };
  } finally {
    await started.stop();
  }
}

async function checkpointTwo(
  config: LabConfig,
  serverUrl: string,
  browser: Browser,
  normalize: (text: string) => string,
): Promise<Outcome> {
  const recorder = new ServerAnswers(serverUrl);
  const context = await browser.newContext(); // no Keycloak session from an earlier run
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no whoami result within ${checkpointTimeoutMs / 1000} s`)), checkpointTimeoutMs);
  });
  try {
    const claims = await Promise.race([
      deadline,
      (async () => {
        const { client } = await loginAndConnect(await context.newPage(), {
          serverUrl,
          transport: 'sse',
          credentials: config.user,
          oauthClient: { identity: { clientId: config.client.id }, scope: config.client.scope, redirectUri: config.client.testRedirectUri },
          fetch: recorder.fetch,
          signal: controller.signal,
        });
        try {
          return await callWhoami(client);
        } finally {
          await client.close();
        }
      })(),
    ]);
    if (claims.preferred_username !== config.user.username)
      return { result: 'fail', reason: normalize(`whoami returned ${JSON.stringify(claims)}`) };
    return { result: 'pass', detail: `whoami returned ${config.user.username}'s claims (${Object.keys(claims).sort().join(', ')})` };
  } catch (error) {
    const message = (error instanceof Error ? error.message : String(error)).split('\n')[0]!;
    return { result: 'fail', reason: normalize([message, recorder.summary()].filter(Boolean).join('; ')) };
  } finally {
    clearTimeout(timer);
    controller.abort();
    await context.close();
  }
}

/** The SDK's requests to the server: what it answered to requests that carried a token. */
class ServerAnswers {
  private refusedWithToken = 0;
  private lastRefusal = '';
  private readonly origin: string;

  constructor(serverUrl: string) {
    this.origin = new URL(serverUrl).origin;
  }

  readonly fetch: FetchLike = async (input, init) => {
    const response = await fetch(input, init);
    const url = new URL(input instanceof Request ? input.url : String(input));
    if (url.origin === this.origin && response.status === 401 && new Headers(init?.headers).has('authorization')) {
      this.refusedWithToken++;
      this.lastRefusal = `${init?.method ?? 'GET'} ${url.pathname} → 401 ${(await response.clone().text()).slice(0, 200)}`;
    }
    return response;
  };

  summary(): string {
    if (this.refusedWithToken === 0) return '';
    return `with the token the server answered 401 ${this.refusedWithToken === 1 ? 'once' : 'again and again'} (last: ${this.lastRefusal})`;
  }
}

/** A failure reason that is the same from run to run: no ports, session ids or tokens. */
function normalized(text: string, { serverUrl, keycloakUrl }: { serverUrl: string; keycloakUrl: string }): string {
  return text
    .replaceAll(serverUrl, '<server>')
    .replaceAll(keycloakUrl, '<keycloak>')
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, '<id>')
    .replace(/eyJ[\w-]+\.[\w-]+\.[\w-]+/g, '<token>')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The exception a failed start ended with: its last "SomethingError: …" line. */
function errorLine(logPath: string): string | undefined {
  return readLog(logPath)
    .findLast((line) => /^([\w.]+\.)?\w*(Error|Exception)\b(:|$)/.test(line.trim()))
    ?.trim();
}

function warningsIn(logPath: string, normalize: (text: string) => string): string[] {
  const lines = readLog(logPath)
    .filter((line) => /deprecat|warning/i.test(line))
    .map((line) => normalize(line.replace(/^.*?(\w*(Deprecation)?Warning)/, '$1')));
  return [...new Set(lines)];
}

function readLog(logPath: string): string[] {
  try {
    return readFileSync(logPath, 'utf8').split('\n');
  } catch {
    return [];
  }
}
