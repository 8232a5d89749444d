/**
 * The authorization servers of the tutorial's "OIDC" and "OAuth 2" tabs, for a lab without Keycloak:
 * oidc-provider (OpenID Certified) in two configurations. Demo only: plain HTTP, accounts from a file.
 *
 *   kind 'oidc'   an OpenID Provider: discovery at both well-knowns, userinfo at GET /me (the OIDC
 *                 tab's verifyToken calls it), login and consent pages of the lab's own
 *   kind 'oauth'  the same OAuth 2.0 core with OpenID switched off as far as configuration goes:
 *                 RFC 8414 metadata only (/.well-known/openid-configuration answers 404), `openid`
 *                 refused, no userinfo; who the token belongs to comes from GET /user, shaped like
 *                 GitHub's (the OAuth 2 tab's verifyToken calls it)
 *
 * Both: the public client `mcp-inspector` pre-registered (PKCE S256, no consent screen, like the
 * tutorial's Keycloak client); anonymous dynamic registration (RFC 7591) at POST /reg, whose clients
 * do see the consent page; opaque access tokens; no refresh tokens; GET /healthz for the lab.
 *
 * Routes: /auth, /token, /reg, /jwks, /token/revocation, /me and /session/end (oidc only), /user
 * (oauth only), /interaction/… (interactions.ts). Endpoint URLs follow the request's Host; the
 * issuer stays fixed.
 */
import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Express, type Request, type Response } from 'express';
import { exportJWK, generateKeyPair } from 'jose';
import Provider, { type Configuration, type FindAccount, type KoaContextWithOIDC } from 'oidc-provider';
import { LabError } from '../../core/errors.ts';
import { t } from '../../core/messages.ts';
import { urlHost } from '../../core/ports.ts';
import { adapterWithClientsFile } from './clients-file.ts';
import { errorPage, interactionRoutes, labPage } from './interactions.ts';
import type { LabUser } from './lab-users.ts';

export type AuthServerKind = 'oidc' | 'oauth';

export interface AuthServerOptions {
  kind: AuthServerKind;
  /** The issuer tokens and metadata carry, e.g. http://localhost:8081; no trailing slash. */
  issuer: string;
  /** 0 picks a free port. */
  port: number;
  /** The address to listen on; 127.0.0.1 unless a room must reach the server. */
  host?: string;
  users: readonly LabUser[];
  /** Origins whose pages may call /reg, /token, /me and /user (CORS), e.g. http://localhost:6274. */
  inspectorOrigins: readonly string[];
  /** The public client the tutorial has the learner type into the Inspector (`mcp-inspector`). */
  preRegisteredClient: { clientId: string; redirectUris: readonly string[] };
  /** Where registered clients are kept between starts; without it they last as long as the process. */
  clientsFile?: string;
  /** Trust X-Forwarded-Proto and -Host (a gate in front of the server, as in a classroom). */
  behindProxy?: boolean;
}

export interface StartedAuthServer {
  issuer: string;
  /** Where the server listens, e.g. http://127.0.0.1:8081. */
  url: string;
  close(): Promise<void>;
}

/** The scopes each kind offers; oidc-provider adds `openid` to any list, the 'oauth' kind refuses it. */
const scopesOf = {
  oidc: ['openid', 'profile', 'email', 'offline_access'],
  oauth: ['profile', 'email'],
} as const satisfies Record<AuthServerKind, readonly string[]>;

/** Which claims each scope stands for (OpenID Connect Core §5.4). */
const profileClaims = ['preferred_username', 'name', 'given_name', 'family_name'];
const emailClaims = ['email', 'email_verified'];

/**
 * RFC 8414 metadata for the 'oauth' kind: the fields only OpenID Connect Discovery 1.0 defines go,
 * so a client reading the document sees an OAuth 2.0 server.
 */
const openIdOnlyMetadata = [
  'claims_supported',
  'claims_parameter_supported',
  'claim_types_supported',
  'subject_types_supported',
  'id_token_signing_alg_values_supported',
  'request_uri_parameter_supported',
  'end_session_endpoint',
];

/** Lifetimes in seconds; set, so oidc-provider prints no NOTICE about its defaults. */
const ttlSeconds = {
  // No refresh tokens: a learner's token lasts an hour of the lab, then the Inspector signs in again.
  AccessToken: 60 * 60,
  AuthorizationCode: 60,
  IdToken: 60 * 60,
  // Time to type a password.
  Interaction: 10 * 60,
  // A lab day; the Inspector signs in again without the password meanwhile.
  Session: 10 * 60 * 60,
  Grant: 10 * 60 * 60,
};

/**
 * The express app of an authorization server and its oidc-provider, not listening yet (a test
 * may mount it elsewhere). A fresh signing key and fresh cookie keys each time: nothing the
 * lab keeps depends on them (tokens are opaque; registered clients live in `clientsFile`).
 */
export async function createAuthServerApp(options: AuthServerOptions): Promise<{ app: Express; provider: Provider }> {
  const { kind, issuer, users, inspectorOrigins, behindProxy = false } = options;
  const provider = new Provider(issuer, await providerConfiguration(options));
  provider.proxy = behindProxy;
  // oidc-provider reports a failure inside a route this way, else it only answers 500.
  provider.on('server_error', (_ctx: unknown, error: unknown) => console.error('server_error:', error));
  provider.use(registrationCors(inspectorOrigins));
  if (kind === 'oauth') provider.use(withoutOpenIdMetadata);

  const app = express();
  app.disable('x-powered-by');
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok', kind, issuer });
  });
  if (kind === 'oauth') app.use(oauthOnlyRoutes(provider, users, inspectorOrigins));
  app.post('/reg', express.raw({ type: 'application/json' }), dropEmptyScope);
  app.use(interactionRoutes(provider, users));
  app.use(provider.callback());
  return { app, provider };
}

/** Starts an authorization server and resolves once it listens; `close()` ends open connections too. */
export async function startAuthServer(options: AuthServerOptions): Promise<StartedAuthServer> {
  const { issuer, port, host = '127.0.0.1' } = options;
  const { app } = await createAuthServerApp(options);
  const server = await new Promise<Server>((resolve, reject) => {
    const listening = app.listen(port, host);
    listening.once('listening', () => resolve(listening));
    listening.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'EADDRINUSE'
          ? new LabError('ERR_PORT_IN_USE', `Port ${port} (${options.kind} authorization server) is already in use`, { cause: error })
          : error,
      );
    });
  });
  const url = `http://${urlHost(host)}:${(server.address() as AddressInfo).port}`;
  return {
    issuer,
    url,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function providerConfiguration(options: AuthServerOptions): Promise<Configuration> {
  const { kind, users, inspectorOrigins, preRegisteredClient, clientsFile } = options;
  const usersBySub = new Map(users.map((user) => [user.sub, user]));
  const findAccount: FindAccount = (_ctx, sub) => {
    const user = usersBySub.get(sub);
    return user && { accountId: sub, claims: () => ({ sub, ...user.claims }) };
  };
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const signingKey = { ...(await exportJWK(privateKey)), kid: `lab-${randomBytes(4).toString('hex')}`, use: 'sig', alg: 'RS256' };
  const openId = kind === 'oidc';

  return {
    adapter: adapterWithClientsFile(clientsFile),
    clients: [
      {
        client_id: preRegisteredClient.clientId,
        client_name: 'MCP Inspector (pre-registered)',
        token_endpoint_auth_method: 'none',
        grant_types: ['authorization_code'],
        response_types: ['code'],
        redirect_uris: [...preRegisteredClient.redirectUris],
      },
    ],
    findAccount,
    jwks: { keys: [signingKey] },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    claims: openId ? { openid: ['sub'], profile: profileClaims, email: emailClaims } : { profile: profileClaims, email: emailClaims },
    scopes: [...scopesOf[kind]],
    responseTypes: ['code'],
    pkce: { required: () => true },
    issueRefreshToken: async () => false,
    ttl: ttlSeconds,
    features: {
      // Signs anyone in without a password: interactions.ts has the real pages.
      devInteractions: { enabled: false },
      registration: { enabled: true, initialAccessToken: false },
      // Off, so access tokens stay opaque and userinfo accepts them: the tutorial's verifyToken calls
      // userinfo. On (its default), a token for `resource=<MCP server>` is a JWT for that audience,
      // which userinfo refuses.
      resourceIndicators: { enabled: false },
      userinfo: { enabled: openId },
      revocation: { enabled: true },
      rpInitiatedLogout: { enabled: openId },
    },
    // Token, userinfo and revocation from a page: the Inspector's origins, or (oidc-provider's
    // default) the origin of one of the client's redirect URIs.
    clientBasedCORS: (_ctx, origin, client) =>
      inspectorOrigins.includes(origin) || client.redirectUris?.some((uri) => URL.parse(uri)?.origin === origin) === true,
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    // The pre-registered client is the tutorial's first-party one: granted without a consent page,
    // as Keycloak's mcp-inspector is with consent off. Registered clients ask, as Keycloak's
    // anonymous "Consent Required" policy makes them.
    async loadExistingGrant(ctx) {
      const { client, session } = ctx.oidc;
      if (!client || !session) return undefined;
      const grantId = ctx.oidc.result?.consent?.grantId ?? session.grantIdFor(client.clientId);
      if (grantId) return ctx.oidc.provider.Grant.find(grantId);
      if (client.clientId !== preRegisteredClient.clientId || !session.accountId) return undefined;
      const grant = new ctx.oidc.provider.Grant({ clientId: client.clientId, accountId: session.accountId });
      grant.addOIDCScope(scopesOf[kind].filter((scope) => scope !== 'offline_access').join(' '));
      grant.addOIDCClaims(['sub', ...profileClaims, ...emailClaims]);
      await grant.save();
      return grant;
    },
    renderError(ctx, out) {
      ctx.type = 'html';
      ctx.body = errorPage(out.error, out.error_description ?? '');
    },
  };
}

/**
 * RFC 7591 registration has no CORS in oidc-provider (only discovery, jwks, token, userinfo and
 * revocation do): a page at an Inspector origin may register, other origins get no CORS headers.
 * The Inspector 2.12 registers from its Node backend, without an Origin; a page that registers
 * itself (the lab's doctor check does) needs this.
 */
function registrationCors(inspectorOrigins: readonly string[]) {
  return async (ctx: KoaContextWithOIDC, next: () => Promise<unknown>) => {
    const origin = ctx.get('Origin');
    if (ctx.path === '/reg' && inspectorOrigins.includes(origin)) {
      ctx.set('Access-Control-Allow-Origin', origin);
      ctx.vary('Origin');
      if (ctx.method === 'OPTIONS') {
        ctx.set('Access-Control-Allow-Methods', 'POST');
        ctx.set('Access-Control-Allow-Headers', ctx.get('Access-Control-Request-Headers') || 'content-type');
        ctx.set('Access-Control-Max-Age', '3600');
        ctx.status = 204;
        return;
      }
    }
    await next();
  };
}

/** The 'oauth' kind's metadata: both well-knowns are oidc-provider's route 'discovery'. */
async function withoutOpenIdMetadata(ctx: KoaContextWithOIDC, next: () => Promise<unknown>) {
  await next();
  const metadata = ctx.body as Record<string, unknown> | undefined;
  if (ctx.oidc?.route !== 'discovery' || !metadata) return;
  for (const field of openIdOnlyMetadata) delete metadata[field];
  if (Array.isArray(metadata.scopes_supported)) metadata.scopes_supported = metadata.scopes_supported.filter((scope) => scope !== 'openid');
}

/**
 * The Inspector registers with `"scope": ""` when nothing tells it a scope, and oidc-provider
 * refuses an empty scope ("scope must be a non-empty string if provided"). Dropped here, the client
 * gets the server's scopes. The body stays bytes, so oidc-provider reports malformed JSON itself.
 * oidc-provider then reads `req.body` instead of the stream, and says so once in the log ("already
 * parsed request body detected"): the price of changing a body before it sees it.
 */
function dropEmptyScope(req: Request, _res: Response, next: () => void): void {
  if (!Buffer.isBuffer(req.body)) {
    next();
    return;
  }
  try {
    const metadata: unknown = JSON.parse(req.body.toString('utf8'));
    if (typeof metadata === 'object' && metadata !== null && 'scope' in metadata && metadata.scope === '') {
      delete metadata.scope;
      req.body = Buffer.from(JSON.stringify(metadata));
    }
  } catch {
    // Not JSON: oidc-provider answers invalid_request.
  }
  next();
}

/**
 * What makes the 'oauth' kind an OAuth 2.0 server to its clients: no OpenID discovery, `openid`
 * refused at the authorization endpoint, and the user's identity at GET /user.
 */
function oauthOnlyRoutes(provider: Provider, users: readonly LabUser[], inspectorOrigins: readonly string[]) {
  const router = express.Router();
  router.get('/.well-known/openid-configuration', (_req, res) => {
    res
      .status(404)
      .json({ error: 'not_found', error_description: 'this is an OAuth 2.0 server: see /.well-known/oauth-authorization-server' });
  });
  // oidc-provider accepts `openid` whatever `scopes` says; the authorization endpoint answers GET
  // and POST (RFC 6749 §3.1).
  router.all('/auth', express.urlencoded({ extended: false }), (req, res, next) => {
    const scope = req.method === 'POST' ? req.body?.scope : req.query.scope;
    if (typeof scope === 'string' && scope.split(' ').includes('openid')) {
      res
        .status(400)
        .type('html')
        .send(
          // The catalogue's text holds no markup: it goes in as it is, as the handout's do.
          labPage('invalid_scope', `<p id="error">${t('providers.oauth.openid-refused')}</p>`),
        );
      return;
    }
    next();
  });
  router.use('/user', userEndpointCors(inspectorOrigins));
  router.get('/user', userEndpoint(provider, users));
  return router;
}

function userEndpointCors(inspectorOrigins: readonly string[]) {
  return (req: Request, res: Response, next: () => void) => {
    const origin = req.get('Origin');
    if (!origin || !inspectorOrigins.includes(origin)) {
      next();
      return;
    }
    res.set({ 'Access-Control-Allow-Origin': origin, 'Access-Control-Expose-Headers': 'WWW-Authenticate', Vary: 'Origin' });
    if (req.method === 'OPTIONS') {
      res.set({ 'Access-Control-Allow-Methods': 'GET', 'Access-Control-Allow-Headers': 'authorization', 'Access-Control-Max-Age': '3600' });
      res.sendStatus(204);
      return;
    }
    next();
  };
}

/**
 * GitHub's `GET /user`, reduced: an access token with scope `profile` gets `{ sub, login, name }`,
 * and `email` with scope `email`. `sub` stays on purpose: the OAuth 2 tab's verifyToken reads it
 * (GitHub itself answers `id` and `login`). Refusals are RFC 6750 §3's.
 */
function userEndpoint(provider: Provider, users: readonly LabUser[]) {
  const usersBySub = new Map(users.map((user) => [user.sub, user]));
  const realm = `Bearer realm="${provider.issuer}"`;
  return async (req: Request, res: Response) => {
    const refuse = (status: 401 | 403, error: string, extra = '') => {
      res.set('WWW-Authenticate', `${realm}, error="${error}"${extra}`).status(status).json({ error });
    };
    const tokenValue = /^Bearer ([\w.~+/-]+=*)$/i.exec(req.get('Authorization') ?? '')?.[1];
    if (!tokenValue) {
      // No credentials: the challenge without an error code (RFC 6750 §3.1).
      res.set('WWW-Authenticate', realm).status(401).json({ error: 'invalid_request' });
      return;
    }
    const token = await provider.AccessToken.find(tokenValue);
    const user = token && !token.isExpired && token.accountId ? usersBySub.get(token.accountId) : undefined;
    if (!token || !user) {
      refuse(401, 'invalid_token');
      return;
    }
    const scopes = new Set(token.scope?.split(' '));
    if (!scopes.has('profile')) {
      refuse(403, 'insufficient_scope', ', scope="profile"');
      return;
    }
    res.set('Cache-Control', 'no-store').json({
      sub: user.sub,
      login: user.claims.preferred_username,
      name: user.claims.name,
      ...(scopes.has('email') ? { email: user.claims.email } : {}),
    });
  };
}
