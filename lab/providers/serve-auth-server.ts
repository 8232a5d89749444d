import { startAuthServer, type AuthServerOptions } from './auth-server.ts';

/**
 * An authorization server as a process's whole job (main.ts, compose-main.ts): started, one line
 * once it listens, stopped on SIGTERM or SIGINT. Resolves to the process's exit code.
 */
export async function serveAuthServer(options: AuthServerOptions): Promise<number> {
  const stopRequested = new Promise<NodeJS.Signals>((resolve) => {
    for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => resolve(signal));
  });
  const server = await startAuthServer(options);
  console.log(`${options.kind} authorization server on ${server.url}, issuer ${server.issuer}`);
  const signal = await stopRequested;
  await server.close();
  console.log(`${options.kind} authorization server stopped (${signal})`);
  return 0;
}
