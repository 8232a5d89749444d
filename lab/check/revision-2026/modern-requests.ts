/**
 * The 2026-07-28 requests `lab check --revision 2026-07-28` sends by hand, as a client of the
 * revision does: a self-contained POST to /mcp (no initialize, no session) whose headers repeat
 * what the body says (MCP-Protocol-Version, Mcp-Method, Mcp-Name) and whose `_meta` carries the
 * client's version, capabilities and name. Over node:http, because fetch drops a `Host` header of
 * the caller's, and the Host check needs one. A network failure is an answer, never a throw.
 */
import { request } from 'node:http';
import type { McpRevision } from '../../../core/config.ts';
import { mcpPostHeaders } from '../mcp-requests.ts';
import { describeFetchError, type Answer } from '../probes.ts';

export const modernRevision = '2026-07-28' satisfies McpRevision;

export interface ModernRequestOptions {
  token?: string;
  /** Headers of the caller's on top: a foreign Host or Origin. */
  headers?: Record<string, string>;
  timeoutMs?: number;
}

/** The JSON-RPC body of a 2026-07-28 request: `params` with the revision's `_meta`. */
export function modernBody(method: string, params: Record<string, unknown> = {}, id = 1) {
  return {
    jsonrpc: '2.0',
    id,
    method,
    params: {
      ...params,
      _meta: {
        'io.modelcontextprotocol/protocolVersion': modernRevision,
        'io.modelcontextprotocol/clientCapabilities': {},
        'io.modelcontextprotocol/clientInfo': { name: 'lab-check', version: '1.0.0' },
      },
    },
  } as const;
}

/** The headers that must agree with the body: the method, and the tool's name for tools/call. */
export function modernHeaders(method: string, params: Record<string, unknown> = {}): Record<string, string> {
  return {
    ...mcpPostHeaders,
    'MCP-Protocol-Version': modernRevision,
    'Mcp-Method': method,
    ...(method === 'tools/call' && typeof params.name === 'string' ? { 'Mcp-Name': params.name } : {}),
  };
}

export function postModern(
  endpoint: URL,
  method: string,
  params: Record<string, unknown> = {},
  { token, headers = {}, timeoutMs = 5_000 }: ModernRequestOptions = {},
): Promise<Answer> {
  const body = JSON.stringify(modernBody(method, params));
  const allHeaders = {
    ...modernHeaders(method, params),
    ...(token ? { Authorization: `Bearer ${token}` } : {}),
    ...headers,
    'Content-Length': String(Buffer.byteLength(body)),
  };
  return new Promise((resolve) => {
    const sent = request(endpoint, { method: 'POST', headers: allHeaders, timeout: timeoutMs }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const answerHeaders = new Headers();
        for (const [name, value] of Object.entries(response.headers)) {
          for (const one of [value ?? []].flat()) answerHeaders.append(name, one);
        }
        resolve({ status: response.statusCode ?? 0, headers: answerHeaders, text, json: jsonOf(text) });
      });
      response.on('error', (error) => resolve({ error: describeFetchError(error) }));
    });
    sent.on('timeout', () => sent.destroy(Object.assign(new Error('no answer in time'), { name: 'TimeoutError' })));
    sent.on('error', (error) =>
      resolve({ error: error.name === 'TimeoutError' ? 'no answer in time' : describeFetchError({ cause: error }) }),
    );
    sent.end(body);
  });
}

/** The JSON of an answer: the body itself, or the first `data:` line of an SSE answer. */
export function jsonOf(text: string): unknown {
  const candidates = [text, ...[...text.matchAll(/^data: ?(.*)$/gm)].map((match) => match[1] ?? '')];
  for (const candidate of candidates) {
    try {
      return JSON.parse(candidate);
    } catch {
      // not this one
    }
  }
  return undefined;
}

/** What a JSON-RPC answer says: its result, or its error's message. */
export function rpcOutcome(answer: Answer): { result: Record<string, unknown> } | { error: string } | undefined {
  if ('error' in answer) return undefined;
  const json = answer.json as { result?: unknown; error?: { message?: unknown } } | undefined;
  if (json?.result && typeof json.result === 'object') return { result: json.result as Record<string, unknown> };
  if (json?.error) return { error: String(json.error.message ?? JSON.stringify(json.error)) };
  return undefined;
}
