/**
 * RFC 6750-shaped answers around mcp-auth 0.2.0's bearer guard, without forking it.
 *
 * mcp-auth decides; this module rewrites how the decision is told. Left alone, mcp-auth answers
 * with its own error codes (`missing_auth_header`, `invalid_audience`, …) where RFC 6750 §3.1 has
 * three, puts its message — double quotes included — into the quoted WWW-Authenticate parameter,
 * names no `scope`, and lets an unreachable authorization server become a 500 (or Express's HTML
 * error page). Here:
 *
 *   mcp-auth's verdict                                  status  WWW-Authenticate error
 *   no Authorization header, or another scheme          401     none (RFC 6750 §3.1: no error
 *                                                               code when authentication is absent)
 *   `Bearer` without a token, or more than one          400     invalid_request
 *   bad, expired, foreign or wrong-audience token       401     invalid_token
 *   a required scope missing                            403     insufficient_scope
 *   Keycloak (its metadata, keys, userinfo) unreachable 503     no challenge; Retry-After
 *
 * Every challenge carries `resource_metadata` (RFC 9728 §5.1) and `scope` (RFC 6750 §3, as MCP
 * 2025-11-25 recommends) when the mode has them. Bodies are `{ error, error_description }` with
 * fixed texts: no token, no URL, no stack trace.
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { AuthWiring, Challenge } from './auth-wiring.ts';

interface Answer {
  status: 400 | 401 | 403 | 500 | 503;
  /** The RFC 6750 error code for the challenge; none when the request carried no bearer token. */
  challengeError?: 'invalid_request' | 'invalid_token' | 'insufficient_scope';
  bodyError: string;
  description: string;
}

const answers = {
  noToken: {
    status: 401,
    bodyError: 'unauthorized',
    description: 'This MCP server needs an access token: send it as Authorization: Bearer <token>.',
  },
  malformed: {
    status: 400,
    challengeError: 'invalid_request',
    bodyError: 'invalid_request',
    description: 'The Authorization header must be Bearer followed by one token.',
  },
  invalidToken: {
    status: 401,
    challengeError: 'invalid_token',
    bodyError: 'invalid_token',
    description: 'The access token is invalid, expired, or not meant for this server.',
  },
  insufficientScope: {
    status: 403,
    challengeError: 'insufficient_scope',
    bodyError: 'insufficient_scope',
    description: 'The access token lacks the scope this server requires.',
  },
  unavailable: {
    status: 503,
    bodyError: 'temporarily_unavailable',
    description: 'The authorization server cannot be reached; try again shortly.',
  },
  internal: { status: 500, bodyError: 'server_error', description: 'The server could not check the access token.' },
} satisfies Record<string, Answer>;

/**
 * Causes (jose's error codes, as mcp-auth passes them on) that mean "Keycloak's key set could not
 * be fetched" rather than "the token is bad". mcp-auth labels any non-jose failure, such as a
 * refused connection, JWT_VERIFICATION_FAILED.
 */
const keySetUnreachable = new Set(['JWT_VERIFICATION_FAILED', 'ERR_JWKS_TIMEOUT', 'ERR_JOSE_GENERIC']);

/** Wraps both handlers of an auth mode so that their answers are the ones in the table above. */
export function withSpecCompliantErrors({
  metadataRouter,
  bearerAuth,
  challenge,
}: AuthWiring): Pick<AuthWiring, 'metadataRouter' | 'bearerAuth'> {
  return {
    metadataRouter: (request, response, next) => {
      metadataRouter(request, response, (error?: unknown) => {
        if (error === undefined || error === 'route' || error === 'router') return next(error);
        send(response, answerForFailure(error), challenge);
      });
    },
    bearerAuth: rewriteAnswers(bearerAuth, challenge),
  };
}

function rewriteAnswers(bearerAuth: RequestHandler, challenge: Challenge): RequestHandler {
  return (request, response, next) => {
    const json = response.json.bind(response);
    // mcp-auth ends every refusal with `response.status(…).json(body)`; catch that one call.
    response.json = (body: unknown) => {
      response.json = json;
      return send(response, answerForRefusal(request, body), challenge);
    };
    const passOn: NextFunction = (error?: unknown) => {
      response.json = json;
      if (error === undefined || error === 'route' || error === 'router') return next(error);
      send(response, answerForFailure(error), challenge);
    };
    Promise.resolve(bearerAuth(request, response, passOn)).catch(passOn);
  };
}

/** mcp-auth refused the request; its body's `error` says why. */
function answerForRefusal(request: Request, body: unknown): Answer {
  const { error: code, cause } = (body ?? {}) as { error?: unknown; cause?: { code?: unknown } };
  switch (code) {
    case 'missing_auth_header':
      return answers.noToken;
    case 'invalid_auth_header_format':
      // "Basic …" is another scheme (no bearer token at all); "Bearer a b" is a malformed one.
      return /^bearer(\s|$)/i.test(request.headers.authorization ?? '') ? answers.malformed : answers.noToken;
    case 'missing_bearer_token':
      return answers.malformed;
    case 'missing_required_scopes':
      return answers.insufficientScope;
    case 'server_error':
      return answers.unavailable;
    default:
      return typeof cause?.code === 'string' && keySetUnreachable.has(cause.code) ? answers.unavailable : answers.invalidToken;
  }
}

/** Something threw instead of refusing: Keycloak did not answer, or a bug. */
function answerForFailure(error: unknown): Answer {
  if (isAuthorizationServerUnreachable(error)) return answers.unavailable;
  console.error('bearer auth failed:', error);
  return answers.internal;
}

function isAuthorizationServerUnreachable(error: unknown): boolean {
  // fetch() throws TypeError('fetch failed') with the socket error as cause; mcp-auth throws
  // MCPAuthConfigError('fetch_server_config_error') when the metadata answer is not 200.
  const { name, code, message } = (error ?? {}) as { name?: unknown; code?: unknown; message?: unknown };
  return (
    (name === 'TypeError' && message === 'fetch failed') ||
    name === 'AbortError' ||
    name === 'TimeoutError' ||
    code === 'fetch_server_config_error'
  );
}

function send(response: Response, answer: Answer, challenge: Challenge): Response {
  if (answer.status === 503 || answer.status === 500) {
    response.removeHeader('WWW-Authenticate');
    if (answer.status === 503) response.set('Retry-After', '5');
  } else {
    const parameters = [
      answer.challengeError && `error="${answer.challengeError}"`,
      answer.challengeError && `error_description="${answer.description}"`,
      challenge.scope && `scope="${challenge.scope}"`,
      challenge.resourceMetadataUrl && `resource_metadata="${challenge.resourceMetadataUrl}"`,
    ].filter(Boolean);
    response.set('WWW-Authenticate', parameters.length > 0 ? `Bearer ${parameters.join(', ')}` : 'Bearer');
  }
  return response.status(answer.status).json({ error: answer.bodyError, error_description: answer.description });
}
