/**
 * What `lab check --revision 2026-07-28` says when the learner's server misses one of today's
 * requirements: the mistake in the learner's terms, the section of docs/revision-2026.md to read,
 * and the line of a 2.x server it is about (the lab's own: server/revision-2026/whoami.ts). Part of
 * the one catalogue in ../diagnoses.ts, where the ids are stable (tests and --json use them).
 * Node.js only: the Python SDK has no per-tool scope challenge yet, so the revision has no Python tab.
 */
import { t, type MessageKey, type MessageValues } from '../../../core/messages.ts';
import type { Diagnosis } from '../diagnoses.ts';

const page = 'docs/revision-2026.md';
const sections = {
  stateless: { title: 'Stateless', anchor: '#stateless', page },
  audience: { title: 'Audience', anchor: '#audience', page },
  stepUp: { title: 'Step-up', anchor: '#step-up', page },
  hostAndOrigin: { title: 'Host and Origin', anchor: '#host-and-origin', page },
} as const;

/** A mistake whose words are the catalogue's (`check.diagnosis.*`), formatted when read: the learner's language on the terminal, English in --json. */
function mistakeIn(key: MessageKey, values: MessageValues, rest: Omit<Diagnosis, 'id' | 'mistake'>): Omit<Diagnosis, 'id'> {
  return {
    get mistake() {
      return t(key, values);
    },
    ...rest,
  };
}

// The lines of the lab's 2026 server the mistakes are about, as a learner would write them.
const handler =
  "app.all('/mcp', bearerAuth, (req, res) => void mcp(req, res, req.body));  // mcp = toNodeHandler(createMcpHandler(createServer))";
const jwtGuard =
  "mcpAuth.bearerAuth('jwt', { resource, audience: resource, requiredScopes: ['mcp:whoami'] })  // resource: this server's URL";
const adminTool = "server.registerTool('whoami-admin', { description, scopeChallenge: requireScopes('whoami:admin') }, (ctx) => …)";
const whoamiTool =
  "server.registerTool('whoami', { description }, (ctx) => ({ content: [{ type: 'text', text: JSON.stringify(ctx.http?.authInfo?.claims ?? { error: 'Not authenticated' }) }] }))";
const provisionForRevision = 'MCP_REVISION=2026-07-28 AUTH_MODE=spec npm run lab -- provision';

export const revision2026Diagnoses = {
  // Stateless: the revision has no initialize and no session.
  'speaks-2025-only': mistakeIn(
    'check.diagnosis.speaks-2025-only',
    {},
    {
      section: sections.stateless,
      code: {
        node: "const mcp = toNodeHandler(createMcpHandler(createWhoamiServer, { legacy: 'stateless' }));  // @modelcontextprotocol/server, /node",
      },
    },
  ),
  'not-stateless': mistakeIn(
    'check.diagnosis.not-stateless',
    {},
    {
      section: sections.stateless,
      code: { node: "createMcpHandler(createWhoamiServer, { legacy: 'stateless' })  // not a transport with a sessionIdGenerator" },
    },
  ),
  'no-modern-endpoint': mistakeIn(
    'check.diagnosis.no-modern-endpoint',
    {},
    {
      section: sections.stateless,
      code: { node: handler },
    },
  ),
  'whoami-not-listed': mistakeIn(
    'check.diagnosis.whoami-not-listed',
    {},
    {
      section: sections.stateless,
      code: { node: whoamiTool },
    },
  ),
  'whoami-ignores-auth-info': mistakeIn(
    'check.diagnosis.whoami-ignores-auth-info',
    { answer: '{"error": "Not authenticated"}' },
    {
      section: sections.stateless,
      code: { node: whoamiTool },
    },
  ),
  'whoami-wrong-claims': mistakeIn(
    'check.diagnosis.whoami-wrong-claims',
    {},
    {
      section: sections.stateless,
      code: { node: whoamiTool },
    },
  ),
  // Audience: tokens are bound to this server, and found through its metadata.
  'token-not-required': mistakeIn(
    'check.diagnosis.token-not-required',
    {},
    {
      section: sections.audience,
      code: { node: handler },
    },
  ),
  'challenge-without-resource-metadata': mistakeIn(
    'check.diagnosis.challenge-without-resource-metadata',
    {},
    {
      section: sections.audience,
      code: {
        node: 'WWW-Authenticate: Bearer error="invalid_token", scope="mcp:whoami", resource_metadata="<this server>/.well-known/oauth-protected-resource"',
      },
    },
  ),
  'no-protected-resource-metadata': mistakeIn(
    'check.diagnosis.no-protected-resource-metadata',
    {},
    {
      section: sections.audience,
      code: {
        node: 'app.use(mcpAuth.protectedResourceMetadataRouter());  // protectedResources: { metadata: { resource, authorizationServers: [realm], scopesSupported } }',
      },
    },
  ),
  'realm-audience-elsewhere': mistakeIn(
    'check.diagnosis.realm-audience-elsewhere',
    { provision: provisionForRevision },
    {
      section: sections.audience,
      code: {},
    },
  ),
  'jwt-check-refuses-valid-token': mistakeIn(
    'check.diagnosis.jwt-check-refuses-valid-token',
    {},
    {
      section: sections.audience,
      code: { node: jwtGuard },
    },
  ),
  'audience-not-checked': mistakeIn(
    'check.diagnosis.audience-not-checked',
    {},
    {
      section: sections.audience,
      code: { node: jwtGuard },
    },
  ),
  'audience-after-scope': mistakeIn(
    'check.diagnosis.audience-after-scope',
    {},
    {
      section: sections.audience,
      code: { node: jwtGuard },
    },
  ),
  'refusal-not-invalid-token': mistakeIn(
    'check.diagnosis.refusal-not-invalid-token',
    {},
    {
      section: sections.audience,
      code: { node: 'WWW-Authenticate: Bearer error="invalid_token", error_description="…", scope="mcp:whoami", resource_metadata="…"' },
    },
  ),
  'forged-token-accepted': mistakeIn(
    'check.diagnosis.forged-token-accepted',
    {},
    {
      section: sections.audience,
      code: { node: jwtGuard },
    },
  ),
  // Step-up: whoami-admin needs one more scope, asked for when it is needed.
  'challenge-without-scope': mistakeIn(
    'check.diagnosis.challenge-without-scope',
    {},
    {
      section: sections.stepUp,
      code: { node: 'WWW-Authenticate: Bearer error="invalid_token", scope="mcp:whoami", resource_metadata="…"' },
    },
  ),
  'metadata-offers-offline-access': mistakeIn(
    'check.diagnosis.metadata-offers-offline-access',
    {},
    {
      section: sections.stepUp,
      code: { node: "scopesSupported: ['mcp:whoami', 'whoami:admin']  // no offline_access" },
    },
  ),
  'whoami-admin-not-listed': mistakeIn(
    'check.diagnosis.whoami-admin-not-listed',
    {},
    {
      section: sections.stepUp,
      code: { node: adminTool },
    },
  ),
  'no-scope-challenge': mistakeIn(
    'check.diagnosis.no-scope-challenge',
    {},
    {
      section: sections.stepUp,
      code: { node: adminTool },
    },
  ),
  'step-up-names-other-scopes': mistakeIn(
    'check.diagnosis.step-up-names-other-scopes',
    {},
    {
      section: sections.stepUp,
      code: { node: adminTool },
    },
  ),
  'step-up-challenge-incomplete': mistakeIn(
    'check.diagnosis.step-up-challenge-incomplete',
    {},
    {
      section: sections.stepUp,
      code: { node: adminTool },
    },
  ),
  'step-up-token-refused': mistakeIn(
    'check.diagnosis.step-up-token-refused',
    {},
    {
      section: sections.stepUp,
      code: { node: adminTool },
    },
  ),
  'realm-without-step-up': mistakeIn(
    'check.diagnosis.realm-without-step-up',
    { provision: provisionForRevision },
    {
      section: sections.stepUp,
      code: {},
    },
  ),
  // Host and Origin: DNS rebinding.
  'host-not-checked': mistakeIn(
    'check.diagnosis.host-not-checked',
    {},
    {
      section: sections.hostAndOrigin,
      code: { node: "createMcpExpressApp({ host: '127.0.0.1', allowedHosts: ['localhost', '127.0.0.1', '[::1]'] })" },
    },
  ),
  'origin-not-checked': mistakeIn(
    'check.diagnosis.origin-not-checked',
    {},
    {
      section: sections.hostAndOrigin,
      code: { node: "createMcpExpressApp({ host: '127.0.0.1', allowedHosts })  // checks Origin too for a loopback host" },
    },
  ),
} as const satisfies Record<string, Omit<Diagnosis, 'id'>>;
