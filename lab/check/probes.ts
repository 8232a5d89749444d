/**
 * Plain HTTP questions `lab check` asks a learner's server, each bounded in time; a network
 * failure is an answer (`{ error }`), never a throw.
 */
import { poll } from '../../core/wait.ts';
import type { Sdk } from './diagnoses.ts';
import { initializeRequest, mcpPostHeaders } from './mcp-requests.ts';

export type Answer = { status: number; headers: Headers; text: string; json: unknown } | { error: string };

export async function httpGet(url: URL, { token, timeoutMs = 5_000 }: { token?: string; timeoutMs?: number } = {}): Promise<Answer> {
  return ask(url, { headers: token ? { Authorization: `Bearer ${token}` } : {} }, timeoutMs);
}

/**
 * Any other request, for what a GET cannot ask: a CORS preflight (`method: 'OPTIONS'` and its
 * headers), an authorization request whose redirect is the answer (`redirect: 'manual'`).
 */
export function httpRequest(
  url: URL,
  init: Pick<RequestInit, 'method' | 'headers' | 'redirect'>,
  { timeoutMs = 5_000 }: { timeoutMs?: number } = {},
): Promise<Answer> {
  return ask(url, init, timeoutMs);
}

/** An MCP `initialize` over Streamable HTTP. */
export function postInitialize(url: URL, { token, timeoutMs = 5_000 }: { token?: string; timeoutMs?: number } = {}): Promise<Answer> {
  return ask(
    url,
    {
      method: 'POST',
      headers: { ...mcpPostHeaders, ...(token ? { Authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(initializeRequest('lab-check')),
    },
    timeoutMs,
  );
}

async function ask(url: URL, init: RequestInit, timeoutMs: number): Promise<Answer> {
  try {
    const response = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
    const text = await response.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: response.status, headers: response.headers, text, json };
  } catch (error) {
    return { error: describeFetchError(error) };
  }
}

export interface SseOpening {
  status: number;
  headers: Headers;
  /** The URL the `endpoint` event announces for POSTing messages, when the stream sends one. */
  endpoint?: URL;
  /** Ends the stream, and waits until the server has ended the session it opened. */
  close(): Promise<void>;
}

/**
 * Opens the SSE stream (GET with Accept: text/event-stream) and reads until the `endpoint` event
 * (where the tutorial's transport takes messages) or `timeoutMs`. The stream stays open — a
 * session exists only while it does — until the caller closes it.
 */
export async function openSse(
  url: URL,
  { token, timeoutMs = 5_000 }: { token?: string; timeoutMs?: number } = {},
): Promise<SseOpening | { error: string }> {
  const controller = new AbortController();
  const abort = () => controller.abort();
  const timer = setTimeout(abort, timeoutMs);
  const close = async () => abort();
  try {
    const response = await fetch(url, {
      headers: { Accept: 'text/event-stream', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
      signal: controller.signal,
    });
    if (!response.ok || !response.headers.get('content-type')?.includes('text/event-stream') || !response.body) {
      await response.body?.cancel();
      return { status: response.status, headers: response.headers, close };
    }
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let buffered = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return { status: response.status, headers: response.headers, close };
      buffered += decoder.decode(value, { stream: true });
      const match = /event: endpoint\r?\ndata: (\S+)/.exec(buffered);
      if (match) {
        const endpoint = new URL(match[1]!, url);
        return {
          status: response.status,
          headers: response.headers,
          endpoint,
          close: async () => {
            abort();
            await waitForSessionEnd(endpoint, { token });
          },
        };
      }
    }
  } catch (error) {
    abort();
    return controller.signal.aborted ? { error: 'the stream sent no endpoint event in time' } : { error: describeFetchError(error) };
  } finally {
    clearTimeout(timer);
  }
}

/** Opens the stream only to see how the server answers, then closes it. */
export async function sseAnswer(
  url: URL,
  options: { token?: string; timeoutMs?: number } = {},
): Promise<Omit<SseOpening, 'close'> | { error: string }> {
  const opening = await openSse(url, options);
  if (!('error' in opening)) await opening.close();
  return opening;
}

/**
 * Waits (at most `timeoutMs`) until the server has ended the SSE session whose stream was closed.
 * The tutorial's server shares one McpServer between sessions, and it answers the next GET /sse
 * with HTTP 500 ("Already connected to a transport") until it has seen the last stream close;
 * once it has, it refuses a message to that session.
 */
export async function waitForSessionEnd(
  endpoint: URL,
  { token, timeoutMs = 3_000 }: { token?: string; timeoutMs?: number } = {},
): Promise<void> {
  const harmless = JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' });
  const headers = { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) };
  await poll(
    async () => {
      const answer = await ask(endpoint, { method: 'POST', headers, body: harmless }, 1_000);
      return 'error' in answer || answer.status >= 300 ? true : { pending: `HTTP ${answer.status}` };
    },
    { timeoutMs, intervalMs: 20 },
  ).catch(() => {
    // A server that keeps the session (or accepts anything): the next check meets what it does.
  });
}

/** Which tutorial tab a server seems written in, from what its HTTP answers say about it. */
export function sdkOf(headers: Headers | undefined): Sdk | undefined {
  if (!headers) return undefined;
  if (/express/i.test(headers.get('x-powered-by') ?? '')) return 'node';
  if (/uvicorn|hypercorn/i.test(headers.get('server') ?? '')) return 'python';
  return undefined;
}

export function describeFetchError(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  if (cause?.code) return cause.code;
  if ((error as Error).name === 'TimeoutError') return 'no answer in time';
  return cause?.message ?? (error as Error).message;
}
