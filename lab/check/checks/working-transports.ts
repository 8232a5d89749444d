/**
 * Which of the open transports carry a session: Streamable HTTP when /mcp answered; SSE when the
 * messages route its stream announces takes a message (the tutorial's `app.post('/messages', …)`).
 */
import { t } from '../../../core/messages.ts';
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
    if (!endpoint) return fail(() => t('check.transport.no-messages-endpoint'), 'sse-no-messages-route', found(streamable));
    if (posted && !('error' in posted) && posted.status === 404) {
      const path = quote(endpoint.pathname, 80);
      return fail(() => t('check.transport.messages-not-found', { path }), 'sse-no-messages-route', found(streamable));
    }
  }
  const names = () =>
    [
      open.sse && t('check.transport.at', { transport: 'SSE', path: '/sse' }),
      open['streamable-http'] && t('check.transport.at', { transport: 'Streamable HTTP', path: '/mcp' }),
    ]
      .filter(Boolean)
      .join(t('check.comma'));
  return pass(
    () => t('check.transport.working', { names: names(), token: token ? 'yes' : 'no' }),
    found([...(open.sse ? ['sse' as const] : []), ...streamable]),
  );
}
