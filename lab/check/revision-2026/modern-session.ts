/**
 * A 2026-07-28 session with the learner's server through the MCP SDK 2.x client, pinned to the
 * revision (no fallback to the 2025 handshake): with a token as it is (every answer the server's
 * own), or with an OAuth provider that lets the SDK step up. Each step bounded in time.
 */
import { Client, StreamableHTTPClientTransport, type OAuthClientProvider } from '@modelcontextprotocol/client';
import { modernRevision } from './modern-requests.ts';

export interface ModernSession {
  client: Client;
  transport: StreamableHTTPClientTransport;
  close(): Promise<void>;
}

export interface ToolAnswer {
  /** The text the tool returned, or the result as JSON when it returned none. */
  text: string;
  /** The JSON in that text; undefined when it is not JSON. */
  json: Record<string, unknown> | undefined;
  isError: boolean;
}

const stepTimeoutMs = 15_000;

export async function connectModern(endpoint: URL, auth: { token: string } | { provider: OAuthClientProvider }): Promise<ModernSession> {
  const transport = new StreamableHTTPClientTransport(
    endpoint,
    'token' in auth ? { requestInit: { headers: { Authorization: `Bearer ${auth.token}` } } } : { authProvider: auth.provider },
  );
  const client = new Client({ name: 'lab-check', version: '1.0.0' }, { versionNegotiation: { mode: { pin: modernRevision } } });
  await bounded(client.connect(transport), stepTimeoutMs, 'connect');
  return { client, transport, close: () => client.close().catch(() => {}) };
}

export async function callTool({ client }: ModernSession, name: string): Promise<ToolAnswer> {
  const called = await bounded(client.callTool({ name, arguments: {} }), stepTimeoutMs, `call ${name}`);
  const content = (called.content ?? []) as Array<{ type: string; text?: string }>;
  const text = content.find(({ type }) => type === 'text')?.text ?? JSON.stringify(called.structuredContent ?? called);
  let json: Record<string, unknown> | undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    json = typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    json = undefined;
  }
  return { text, json, isError: called.isError === true };
}

/** `work`, or an error naming the step when it takes longer than `timeoutMs`. */
export async function bounded<T>(work: Promise<T>, timeoutMs: number, step: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      work,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${step}: no answer within ${timeoutMs / 1000} s`)), timeoutMs);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** The HTTP status an SDK 2.x error carries: its own (SdkHttpError), or the one its message names. */
export function statusOfError(error: unknown): number | undefined {
  const status = (error as { status?: unknown }).status;
  if (typeof status === 'number' && status >= 400 && status < 600) return status;
  const match = /\b(4\d\d|5\d\d)\b/.exec((error as Error).message ?? '');
  return match ? Number(match[1]) : undefined;
}
