import type { RequestHandler } from 'express';

/**
 * DNS rebinding protection for browsers (MCP transports, "Security Warning"): a request whose
 * `Origin` names a host this server does not answer to is refused before anything else runs. The
 * MCP SDK's `hostHeaderValidation` checks `Host` (see whoami.ts); it has nothing for `Origin`, so
 * this does the same for it, port-agnostic, with the SDK's answer (403, a JSON-RPC error).
 */
export function originValidation(allowedHostnames: string[]): RequestHandler {
  return (request, response, next) => {
    const origin = request.headers.origin;
    if (origin === undefined) return next();
    let hostname: string | undefined;
    try {
      hostname = new URL(origin).hostname;
    } catch {
      hostname = undefined;
    }
    if (hostname !== undefined && allowedHostnames.includes(hostname)) return next();
    response.status(403).json({ jsonrpc: '2.0', error: { code: -32000, message: `Invalid Origin: ${origin}` }, id: null });
  };
}
