import type { LabConfig } from '../../../core/config.ts';
import { defineCheck, describeAnswer, fail, pass } from '../check.ts';
import { httpGet, sdkOf, sseAnswer } from '../probes.ts';

const sdkNames = { node: 'Node.js, Express', python: 'Python, uvicorn' } as const;

/** Any HTTP answer at all; when there is none, an MCP server nearby is likely the learner's. */
export const reachable = defineCheck({
  name: 'something answers at the URL',
  line: 'reachable',
  checkpoints: [1, 2],
  needs: [],
  provides: { facts: ['server'], otherwise: 'the server is not reachable' },
  async run({ base, options }) {
    const root = await httpGet(base);
    if ('error' in root) {
      const elsewhere = await findMcpServerNearby(base, options.config);
      return fail(
        `nothing answers at ${base.origin} (${describeAnswer(root)})${elsewhere ? `; an MCP server answers at ${elsewhere} — is that yours?` : ''}`,
        'not-listening',
      );
    }
    const sdk = sdkOf(root.headers);
    return pass(`${base.origin} answers${sdk ? ` (${sdkNames[sdk]})` : ''}`, { server: { sdk } });
  },
});

/** An MCP server on a port next to the URL's, or on one tutorials use (3000, 8000). */
async function findMcpServerNearby(base: URL, config: LabConfig): Promise<string | undefined> {
  const port = Number(base.port || 80);
  const candidates = [...new Set([port - 1, port + 1, 3000, 3001, 3002, 8000])].filter(
    (candidate) => candidate !== port && candidate !== config.keycloak.port && candidate > 0,
  );
  for (const candidate of candidates) {
    const url = new URL(`${base.protocol}//${base.hostname}:${candidate}/sse`);
    const answer = await sseAnswer(url, { timeoutMs: 1_000 });
    if (!('error' in answer) && (answer.status === 200 || answer.status === 401)) return url.origin;
  }
  return undefined;
}
