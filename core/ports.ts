import net from 'node:net';
import { LabError } from './errors.ts';
import { t } from './messages.ts';

/** True when something accepts TCP connections on host:port. */
export function isPortOpen(port: number, host = '127.0.0.1', timeoutMs = 1_000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    const done = (open: boolean) => {
      socket.destroy();
      resolve(open);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** Fails fast, before starting anything, when a port the lab needs is taken. */
export async function assertPortsFree(ports: ReadonlyArray<{ port: number; what: string; setting: string }>): Promise<void> {
  for (const { port, what, setting } of ports) {
    if (await isPortOpen(port)) {
      throw new LabError('ERR_PORT_IN_USE', t('config.port.in-use', { port: String(port), what }), {
        hint: t('config.port.in-use.hint', { port: String(port), setting }),
      });
    }
  }
}

/**
 * The host to put in a URL for a server listening on `address`: a wildcard address is reached on
 * loopback, an IPv6 address goes in brackets.
 */
export function urlHost(address: string): string {
  if (address === '0.0.0.0') return '127.0.0.1';
  if (address === '::') return '[::1]';
  return address.includes(':') && !address.startsWith('[') ? `[${address}]` : address;
}
