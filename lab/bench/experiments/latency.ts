import { runLoad, type LoadResult } from '../load.ts';
import type { BenchContext, BenchExperiment } from '../experiment.ts';
import { callWhoamiOverHttp } from '../whoami-request.ts';

/** whoami latency at `concurrency` clients, in both modes, next to a bare express endpoint. */
export const latency: BenchExperiment = {
  name: 'latency',
  measuring: 'whoami latency: the floor, tutorial mode, spec mode',
  async run(bench) {
    const { servers, config, options } = bench;
    // Everything started before the first load, so each load runs beside the same processes.
    const whoamiServers = await servers.whoamiServers();
    const floorUrl = await servers.floorServerUrl();
    const rows: Array<[string, LoadResult]> = [['bare express, no MCP, no auth (the floor)', await loadWhoami(bench, floorUrl, undefined)]];
    for (const [mode, server] of whoamiServers) {
      const token = await servers.accessToken(mode, config.user.username, config.user.password);
      rows.push([
        mode === 'tutorial' ? 'tutorial mode (userinfo call per request)' : 'spec mode (JWT checked locally)',
        await loadWhoami(bench, server.url, token),
      ]);
    }
    return {
      section: {
        heading: `whoami latency (${options.concurrency} concurrent clients, ${options.loadDurationMs / 1000} s each, Streamable HTTP)`,
        columns: ['target', 'requests', 'errors', 'req/s', 'p50', 'p95', 'p99'],
        rows: rows.map(([label, r]) => [
          label,
          String(r.requests),
          String(r.errors),
          r.requestsPerSecond.toFixed(0),
          `${r.p50Ms.toFixed(1)} ms`,
          `${r.p95Ms.toFixed(1)} ms`,
          `${r.p99Ms.toFixed(1)} ms`,
        ]),
        notes: ['Target: spec mode p95 < 20 ms at 100 concurrent clients.'],
      },
      summary: rows.map(
        ([label, result]) =>
          `latency ${label}: p95 ${result.p95Ms.toFixed(1)} ms, ${result.requestsPerSecond.toFixed(0)} req/s, ${result.errors} errors`,
      ),
    };
  },
};

/**
 * `concurrency` clients calling whoami back to back for the load's duration. The one place the
 * load is generated: another generator (a process of its own) replaces this function and returns
 * the same LoadResult, registering its process's stop in `bench.stops`.
 */
function loadWhoami({ options }: BenchContext, serverUrl: string, accessToken: string | undefined): Promise<LoadResult> {
  return runLoad({
    concurrency: options.concurrency,
    durationMs: options.loadDurationMs,
    maxRequests: 50_000,
    request: async () => (await callWhoamiOverHttp(serverUrl, accessToken)).ok,
  });
}
