/**
 * One MCP session with the learner's server through the MCP SDK's client: connect (with a token
 * or without), list the tools, call `whoami`, close. Bounded in time; the token is sent as it is,
 * with no OAuth retry loop behind it, so every answer is the server's own.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from './mcp-requests.ts';
import { waitForSessionEnd } from './probes.ts';

export type { Transport };

export interface WhoamiCall {
  tools: string[];
  /** The JSON the tool returned as text, parsed; undefined when it returned something else. */
  result: Record<string, unknown> | undefined;
  /** The raw text, for messages. */
  text: string;
}

export class SessionError extends Error {
  override name = 'SessionError';
  /** The HTTP status the server refused with, when it did. */
  readonly status: number | undefined;
  /** Which step failed. */
  readonly step: 'connect' | 'list tools' | 'call whoami';
  constructor(step: SessionError['step'], message: string, status: number | undefined) {
    super(message);
    this.step = step;
    this.status = status;
  }
}

export async function callWhoami(
  endpoint: URL,
  transport: Transport,
  { token, timeoutMs = 15_000 }: { token?: string; timeoutMs?: number } = {},
): Promise<WhoamiCall> {
  const requestInit = token ? { headers: { Authorization: `Bearer ${token}` } } : undefined;
  const client = new Client({ name: 'lab-check', version: '1.0.0' });
  // Where the SSE session takes its messages, to wait for its end (see waitForSessionEnd).
  let sseMessages: URL | undefined;
  const recordingFetch: typeof fetch = (input, init) => {
    if (init?.method === 'POST') sseMessages ??= new URL(input instanceof Request ? input.url : input);
    return fetch(input, init);
  };
  const clientTransport =
    transport === 'sse'
      ? new SSEClientTransport(endpoint, { requestInit, fetch: recordingFetch })
      : new StreamableHTTPClientTransport(endpoint, { requestInit });
  const step = async <T>(name: SessionError['step'], work: () => Promise<T>): Promise<T> => {
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([
        work(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new SessionError(name, `no answer within ${timeoutMs / 1000} s`, undefined)), timeoutMs);
        }),
      ]);
    } catch (error) {
      if (error instanceof SessionError) throw error;
      throw new SessionError(name, (error as Error).message, statusOf(error));
    } finally {
      clearTimeout(timer);
    }
  };
  try {
    await step('connect', () => client.connect(clientTransport));
    const { tools } = await step('list tools', () => client.listTools());
    const names = tools.map(({ name }) => name);
    if (!names.includes('whoami')) return { tools: names, result: undefined, text: '' };
    return { tools: names, ...(await step('call whoami', () => whoamiAnswer(client))) };
  } finally {
    await client.close().catch(() => {});
    if (sseMessages) await waitForSessionEnd(sseMessages, { token });
  }
}

/** Calls whoami on a connected client: the text it returned, and the JSON in it. */
export async function whoamiAnswer(client: Client): Promise<Omit<WhoamiCall, 'tools'>> {
  const called = await client.callTool({ name: 'whoami', arguments: {} });
  const content = (called.content ?? []) as Array<{ type: string; text?: string }>;
  const text = content.find(({ type }) => type === 'text')?.text ?? JSON.stringify(called.structuredContent ?? called);
  try {
    return { text, result: JSON.parse(text) as Record<string, unknown> };
  } catch {
    return { text, result: called.structuredContent as Record<string, unknown> | undefined };
  }
}

/** The SDK's errors carry the HTTP status as `code` (SSE) or in the message (Streamable HTTP). */
function statusOf(error: unknown): number | undefined {
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'number' && code >= 400 && code < 600) return code;
  const match = /\b(40[0-9]|41[0-9]|42[0-9]|50[0-9])\b/.exec((error as Error).message ?? '');
  return match ? Number(match[1]) : undefined;
}
