/**
 * Which of the open transports carry a session: Streamable HTTP when /mcp answered; SSE when the
 * messages route its stream announces takes a message (the tutorial's `app.post('/messages', …)`).
 */
import { fail, pass, quote, type Outcome } from '../check.ts';
import type { Transport } from '../mcp-session.ts';
import { openSse, postInitialize } from '../probes.ts';

export async function checkWorkingTransports(
  open: Record<Transport, boolean>,
  sseUrl: URL,
  { token, found }: { token?: string; found: (working: Transport[]) => Outcome['found'] },
): Promise<Outcome> {
  const streamable: Transport[] = open['streamable-http'] ? ['streamable-http'] : [];
  if (open.sse) {
    // The session lives as long as its stream: post while it is open.
    const stream = await openSse(sseUrl, { token });
    const endpoint = 'error' in stream ? undefined : stream.endpoint;
    const posted = endpoint ? await postInitialize(endpoint, { token }) : undefined;
    if (!('error' in stream)) await stream.close();
    if (!endpoint)
      return fail('GET /sse opens a stream but announces no endpoint for messages', 'sse-no-messages-route', found(streamable));
    if (posted && !('error' in posted) && posted.status === 404) {
      return fail(
        `GET /sse opens a stream that announces ${quote(endpoint.pathname, 80)}, but POST ${quote(endpoint.pathname, 80)} answers 404`,
        'sse-no-messages-route',
        found(streamable),
      );
    }
  }
  const names = [open.sse && 'SSE at /sse', open['streamable-http'] && 'Streamable HTTP at /mcp'].filter(Boolean).join(', ');
  return pass(`${names}${token ? ' (with a token)' : ''}`, found([...(open.sse ? ['sse' as const] : []), ...streamable]));
}
