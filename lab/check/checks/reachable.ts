import type { LabConfig } from '../../../core/config.ts';
import { t } from '../../../core/messages.ts';
import { defineCheck, describeAnswer, fail, pass, quote, textOf, type Outcome, type Text } from '../check.ts';
import { escapeRegExp, findInCode, findInLogs, oidcDiscoveryFailedInLog, oidcDiscoveryInCode, type Finding } from '../learner-code.ts';
import { httpGet, sdkOf, sseAnswer } from '../probes.ts';

const sdkNames = { node: 'Node.js, Express', python: 'Python, uvicorn' } as const;

/**
 * Any HTTP answer at all. When there is none: on the OAuth 2 tab, a project whose code asks for
 * OpenID discovery (its server stopped at start); else an MCP server nearby is likely the learner's.
 */
export const reachable = defineCheck({
  name: 'something answers at the URL',
  line: 'reachable',
  checkpoints: [1, 2],
  needs: [],
  provides: { facts: ['server'], otherwise: () => t('check.reachable.unreachable') },
  async run({ base, options }) {
    const root = await httpGet(base);
    if ('error' in root) {
      const nothing = () => t('check.reachable.nothing', { origin: base.origin, answer: describeAnswer(root) });
      if (options.config.provider.kind === 'oauth' && options.project) {
        const stopped = await oidcDiscoveryOnOAuthServer(options.project.dir, options.config, nothing);
        if (stopped) return stopped;
      }
      if (options.config.provider.kind === 'logto' && options.project) {
        const stopped = await logtoIssuerWithoutOidc(options.project.dir, options.config, nothing);
        if (stopped) return stopped;
      }
      const elsewhere = await findMcpServerNearby(base, options.config);
      return fail(
        () => (elsewhere ? t('check.reachable.nothing-but-nearby', { nothing: nothing(), elsewhere }) : nothing()),
        'not-listening',
      );
    }
    const sdk = sdkOf(root.headers);
    return pass(() => t('check.reachable.answers', { origin: base.origin, sdk: sdk ? sdkNames[sdk] : 'unknown' }), { server: { sdk } });
  },
});

/**
 * The OIDC tab's `fetchServerConfig(issuer, { type: 'oidc' })` against the OAuth 2 tab's server:
 * the tutorial's server awaits it at start, gets a 404 and stops. Found in the project's log
 * (what the server printed) or its code (the line that asks).
 */
async function oidcDiscoveryOnOAuthServer(dir: string, config: LabConfig, nothing: () => string): Promise<Outcome | undefined> {
  const logged = findInLogs(dir, oidcDiscoveryFailedInLog);
  const written = findInCode(dir, oidcDiscoveryInCode);
  if (!logged && !written) return undefined;
  const discovery = `${config.provider.issuer}/.well-known/openid-configuration`;
  const evidence = await evidenceOfStop({ written, logged, discovery });
  return fail(() => t('check.reachable.stopped', { nothing: nothing(), evidence: textOf(evidence) }), 'oidc-discovery-on-oauth-server');
}

/**
 * The Logto tab's issuer written without /oidc: the tutorial's server awaits OpenID discovery at
 * Logto's origin, gets a 404 and stops. Found in the project's log (the URL it printed) or its
 * code (the issuer as a string: Logto's endpoint and nothing after it).
 */
async function logtoIssuerWithoutOidc(dir: string, config: LabConfig, nothing: () => string): Promise<Outcome | undefined> {
  const origin = new URL(config.provider.issuer).origin;
  const discovery = `${origin}/.well-known/openid-configuration`;
  const logged = findInLogs(dir, new RegExp(`Failed to fetch server config from ${escapeRegExp(discovery)}`));
  const written = findInCode(dir, new RegExp(`(['"\`])${escapeRegExp(origin)}/?\\1`));
  if (!logged && !written) return undefined;
  const evidence = await evidenceOfStop({ written, logged, discovery });
  return fail(() => t('check.reachable.stopped', { nothing: nothing(), evidence: textOf(evidence) }), 'logto-issuer-without-oidc');
}

/** Why the learner's server stopped at start: the line that asks, what it printed, the discovery URL's 404. */
async function evidenceOfStop({ written, logged, discovery }: { written?: Finding; logged?: Finding; discovery: string }): Promise<Text> {
  const answer = await httpGet(new URL(discovery), { timeoutMs: 2_000 });
  const notFound = !('error' in answer) && answer.status === 404;
  return () =>
    [
      written && t('check.reachable.evidence.written', { file: written.file, line: String(written.line), text: quote(written.text, 100) }),
      logged && t('check.reachable.evidence.logged', { file: logged.file, line: String(logged.line), text: quote(logged.text, 160) }),
      notFound && t('check.reachable.evidence.not-found', { url: discovery }),
    ]
      .filter(Boolean)
      .join(t('check.list-separator'));
}

/** An MCP server on a port next to the URL's, or on one tutorials use (3000, 8000). */
async function findMcpServerNearby(base: URL, config: LabConfig): Promise<string | undefined> {
  const port = Number(base.port || 80);
  const authServerPorts = [config.keycloak.port, config.provider.port];
  const candidates = [...new Set([port - 1, port + 1, 3000, 3001, 3002, 8000])].filter(
    (candidate) => candidate !== port && !authServerPorts.includes(candidate) && candidate > 0,
  );
  for (const candidate of candidates) {
    const url = new URL(`${base.protocol}//${base.hostname}:${candidate}/sse`);
    const answer = await sseAnswer(url, { timeoutMs: 1_000 });
    if (!('error' in answer) && (answer.status === 200 || answer.status === 401)) return url.origin;
  }
  return undefined;
}
