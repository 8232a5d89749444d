/**
 * Plain HTTP questions `lab check` asks a learner's server, each bounded in time; a network
 * failure is an answer (`{ error }`), never a throw.
 */
import type { Sdk } from './diagnoses.ts';

export type Answer = { status: number; headers: Headers; text: string; json: unknown } | { error: string };

const initialize = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'lab-check', version: '1.0.0' } },
};

export async function httpGet(url: URL, { token, timeoutMs = 5_000 }: { token?: string; timeoutMs?: number } = {}): Promise<Answer> {
  return ask(url, { headers: token ? { Authorization: `Bearer ${token}` } : {} }, timeoutMs);
}

/** An MCP `initialize` over Streamable HTTP. */
export function postInitialize(url: URL, { token, timeoutMs = 5_000 }: { token?: string; timeoutMs?: number } = {}): Promise<Answer> {
  return ask(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(initialize),
  }, timeoutMs);
}

async function ask(url: URL, init: RequestInit, timeoutMs: number): Promise<Answer> {
  try {
    const response = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
    const text = await response.text();
    let json: unknown;
    try { json = JSON.parse(text); } catch { json = undefined; }
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
  /** Ends the stream; the session it opened ends with it. */
  close(): void;
}

/**
 * Opens the SSE stream (GET with Accept: text/event-stream) and reads until the `endpoint` event
 * (where the tutorial's transport takes messages) or `timeoutMs`. The stream stays open — a
 * session exists only while it does — until the caller closes it.
 */
export async function openSse(url: URL, { token, timeoutMs = 5_000 }: { token?: string; timeoutMs?: number } = {}): Promise<SseOpening | { error: string }> {
  const controller = new AbortController();
  const close = () => controller.abort();
  const timer = setTimeout(close, timeoutMs);
  try {
    const response = await fetch(url, { headers: { Accept: 'text/event-stream', ...(token ? { Authorization: `Bearer ${token}` } : {}) }, signal: controller.signal });
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
      if (match) return { status: response.status, headers: response.headers, endpoint: new URL(match[1]!, url), close };
    }
  } catch (error) {
    close();
    return controller.signal.aborted ? { error: 'the stream sent no endpoint event in time' } : { error: describeFetchError(error) };
  } finally {
    clearTimeout(timer);
  }
}

/** Opens the stream only to see how the server answers, then closes it. */
export async function sseAnswer(url: URL, options: { token?: string; timeoutMs?: number } = {}): Promise<Omit<SseOpening, 'close'> | { error: string }> {
  const opening = await openSse(url, options);
  if (!('error' in opening)) opening.close();
  return opening;
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
