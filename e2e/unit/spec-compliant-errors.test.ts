/**
 * The answers of server/spec-compliant-errors.ts around mcp-auth's real bearer guard and JWT
 * check (jose), in process: only Keycloak's key set is a function here, so that a test can make
 * it unreachable. The request and response are the few Express members the guard uses.
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { generateKeyPair, SignJWT, type CryptoKey, type JWTPayload } from 'jose';
import { JWKSTimeout } from 'jose/errors';
import { createVerifyJwt, MCPAuth, MCPAuthConfigError } from 'mcp-auth';
import type { Challenge } from '../../server/auth-wiring.ts';
import { withSpecCompliantErrors } from '../../server/spec-compliant-errors.ts';
import { expect, test } from '@playwright/test';

const issuer = 'http://localhost:8080/realms/mcp-realm';
const resource = 'http://localhost:3001';
const scope = 'mcp:whoami';
const specChallenge: Challenge = { resourceMetadataUrl: `${resource}/.well-known/oauth-protected-resource`, scope };
/** After the error parameters, every spec-mode challenge names the scope and the metadata. */
const specParameters = `scope="${scope}", resource_metadata="${resource}/.well-known/oauth-protected-resource"`;

interface Outcome {
  /** The guard let the request through (next() without an error). */
  passedOn: boolean;
  status?: number;
  headers: Record<string, string>;
  body?: unknown;
}

/** Runs `handler` on a request with this Authorization header (none when undefined). */
function outcomeOf(handler: RequestHandler, authorization?: string): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = {};
    let status: number | undefined;
    const response = {
      set(name: string, value: string) {
        headers[name.toLowerCase()] = value;
        return response;
      },
      removeHeader(name: string) {
        delete headers[name.toLowerCase()];
      },
      status(code: number) {
        status = code;
        return response;
      },
      json(body: unknown) {
        resolve({ passedOn: false, status, headers, body });
        return response;
      },
    };
    const request = { headers: authorization === undefined ? {} : { authorization } };
    const next: NextFunction = (error?: unknown) => (error === undefined ? resolve({ passedOn: true, headers }) : reject(error));
    handler(request as unknown as Request, response as unknown as Response, next);
  });
}

let signingKey: CryptoKey;
let keycloakKey: CryptoKey;
let otherKey: CryptoKey;

test.beforeAll(async () => {
  ({ privateKey: signingKey, publicKey: keycloakKey } = await generateKeyPair('ES256'));
  ({ privateKey: otherKey } = await generateKeyPair('ES256'));
});

/** An access token as Keycloak issues it for the whoami server; `claims` changes it. */
function token(claims: JWTPayload = {}, key: CryptoKey = signingKey): Promise<string> {
  return new SignJWT({
    iss: issuer,
    sub: 'user-1',
    aud: resource,
    scope: `openid ${scope}`,
    azp: 'mcp-inspector',
    exp: Math.floor(Date.now() / 1000) + 300,
    ...claims,
  })
    .setProtectedHeader({ alg: 'ES256' })
    .sign(key);
}

/** Spec mode's guard: mcp-auth's, checking JWTs against `keySet`, with its answers rewritten. */
function specGuard(keySet: () => Promise<CryptoKey> = async () => keycloakKey, challenge: Challenge = specChallenge): RequestHandler {
  const mcpAuth = new MCPAuth({
    protectedResources: { metadata: { resource, authorizationServers: [{ issuer, type: 'oidc' }], scopesSupported: [scope] } },
  });
  const bearerAuth = mcpAuth.bearerAuth(createVerifyJwt(keySet), {
    resource,
    audience: resource,
    requiredScopes: [scope],
    showErrorDetails: true,
  });
  return withSpecCompliantErrors({ metadataRouter: (_request, _response, next) => next(), bearerAuth, challenge }).bearerAuth;
}

test.describe('a request without a bearer token', () => {
  test('no Authorization header: 401 with a challenge that has no error code, naming the scope and the metadata', async () => {
    const outcome = await outcomeOf(specGuard());

    expect(outcome.status).toBe(401);
    expect(outcome.headers['www-authenticate']).toBe(`Bearer ${specParameters}`);
    expect(outcome.body).toEqual({
      error: 'unauthorized',
      error_description: 'This MCP server needs an access token: send it as Authorization: Bearer <token>.',
    });
  });

  test('another scheme counts as no token: 401 without an error code', async () => {
    const outcome = await outcomeOf(specGuard(), 'Basic dGVzdHVzZXI6dGVzdHBhc3N3b3Jk');

    expect(outcome.status).toBe(401);
    expect(outcome.headers['www-authenticate']).toBe(`Bearer ${specParameters}`);
  });

  test('in tutorial mode the challenge is a bare "Bearer"', async () => {
    const outcome = await outcomeOf(specGuard(undefined, {}));

    expect(outcome.status).toBe(401);
    expect(outcome.headers['www-authenticate']).toBe('Bearer');
  });
});

test.describe('a malformed Authorization header', () => {
  test('"Bearer" with no token, or with more than one, is 400 invalid_request', async () => {
    for (const authorization of ['Bearer', 'Bearer ', 'Bearer one two']) {
      const outcome = await outcomeOf(specGuard(), authorization);

      expect(outcome.status, authorization).toBe(400);
      expect(outcome.headers['www-authenticate'], authorization).toBe(
        `Bearer error="invalid_request", error_description="The Authorization header must be Bearer followed by one token.", ${specParameters}`,
      );
      expect(outcome.body, authorization).toEqual({
        error: 'invalid_request',
        error_description: 'The Authorization header must be Bearer followed by one token.',
      });
    }
  });
});

test.describe('a bearer token', () => {
  test('that is good passes on to the MCP routes', async () => {
    const outcome = await outcomeOf(specGuard(), `Bearer ${await token()}`);

    expect(outcome.passedOn).toBe(true);
  });

  test('that is bad, expired, foreign, or meant for another server: 401 invalid_token', async () => {
    const tokens = {
      'not a JWT': 'not-a-jwt',
      'signed by another key': await token({}, otherKey),
      expired: await token({ exp: Math.floor(Date.now() / 1000) - 60 }),
      'from another issuer': await token({ iss: 'http://localhost:8080/realms/other' }),
      'for another server': await token({ aud: 'http://localhost:3999' }),
    };
    for (const [what, bearer] of Object.entries(tokens)) {
      const outcome = await outcomeOf(specGuard(), `Bearer ${bearer}`);

      expect(outcome.status, what).toBe(401);
      expect(outcome.headers['www-authenticate'], what).toBe(
        `Bearer error="invalid_token", error_description="The access token is invalid, expired, or not meant for this server.", ${specParameters}`,
      );
      expect(outcome.body, what).toEqual({
        error: 'invalid_token',
        error_description: 'The access token is invalid, expired, or not meant for this server.',
      });
    }
  });

  test('without the scope whoami requires: 403 insufficient_scope', async () => {
    const outcome = await outcomeOf(specGuard(), `Bearer ${await token({ scope: 'openid profile' })}`);

    expect(outcome.status).toBe(403);
    expect(outcome.headers['www-authenticate']).toBe(
      `Bearer error="insufficient_scope", error_description="The access token lacks the scope this server requires.", ${specParameters}`,
    );
    expect(outcome.body).toEqual({
      error: 'insufficient_scope',
      error_description: 'The access token lacks the scope this server requires.',
    });
  });
});

test.describe('Keycloak out of reach', () => {
  test('its key set unreachable or slow: 503 with Retry-After and no challenge, whatever the token', async () => {
    const failures = {
      'connection refused': async (): Promise<CryptoKey> => {
        throw new TypeError('fetch failed', {
          cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8080'), { code: 'ECONNREFUSED' }),
        });
      },
      'timed out': async (): Promise<CryptoKey> => {
        throw new JWKSTimeout();
      },
    };
    for (const [what, keySet] of Object.entries(failures)) {
      const outcome = await outcomeOf(specGuard(keySet), `Bearer ${await token()}`);

      expect(outcome.status, what).toBe(503);
      expect(outcome.headers['retry-after'], what).toBe('5');
      expect(outcome.headers['www-authenticate'], what).toBeUndefined();
      expect(outcome.body, what).toEqual({
        error: 'temporarily_unavailable',
        error_description: 'The authorization server cannot be reached; try again shortly.',
      });
    }
  });

  test('a guard that throws because a fetch failed or timed out, instead of refusing, is 503 too', async () => {
    const verifyThatFetches: RequestHandler = async () => {
      throw new TypeError('fetch failed');
    };
    const timingOut: RequestHandler = async () => {
      throw new DOMException('The operation was aborted due to timeout', 'TimeoutError');
    };

    for (const bearerAuth of [verifyThatFetches, timingOut]) {
      const guard = withSpecCompliantErrors({
        metadataRouter: (_request, _response, next) => next(),
        bearerAuth,
        challenge: specChallenge,
      }).bearerAuth;
      const outcome = await outcomeOf(guard, 'Bearer x');

      expect(outcome.status).toBe(503);
      expect(outcome.headers['retry-after']).toBe('5');
    }
  });

  test("mcp-auth's own server_error (Keycloak's metadata unusable) is 503, not 500", async () => {
    const mcpAuth = new MCPAuth({ protectedResources: { metadata: { resource, authorizationServers: [{ issuer, type: 'oidc' }] } } });
    const bearerAuth = mcpAuth.bearerAuth(
      async () => {
        throw new MCPAuthConfigError('fetch_server_config_error', 'metadata answered 502');
      },
      { resource, showErrorDetails: true },
    );
    const guard = withSpecCompliantErrors({
      metadataRouter: (_request, _response, next) => next(),
      bearerAuth,
      challenge: specChallenge,
    }).bearerAuth;

    const outcome = await outcomeOf(guard, 'Bearer x');

    expect(outcome.status).toBe(503);
    expect(outcome.headers['www-authenticate']).toBeUndefined();
  });
});

test.describe('a bug in the check', () => {
  test('is 500 server_error with a fixed text, logged on the server, never shown to the client', async () => {
    const buggy: RequestHandler = async () => {
      throw new RangeError('secret detail at /home/lab/server.ts:12');
    };
    const guard = withSpecCompliantErrors({
      metadataRouter: (_request, _response, next) => next(),
      bearerAuth: buggy,
      challenge: specChallenge,
    }).bearerAuth;
    const logged: unknown[][] = [];
    const consoleError = console.error;
    console.error = (...args: unknown[]) => {
      logged.push(args);
    };
    try {
      const outcome = await outcomeOf(guard, 'Bearer x');

      expect(outcome.status).toBe(500);
      expect(outcome.headers['www-authenticate']).toBeUndefined();
      expect(outcome.body).toEqual({ error: 'server_error', error_description: 'The server could not check the access token.' });
      expect(logged).toEqual([['bearer auth failed:', expect.any(RangeError)]]);
    } finally {
      console.error = consoleError;
    }
  });
});

test.describe('the metadata route', () => {
  test('passes on what it does not serve', async () => {
    const { metadataRouter } = withSpecCompliantErrors({
      metadataRouter: (_request, _response, next) => next(),
      bearerAuth: specGuard(),
      challenge: specChallenge,
    });

    expect((await outcomeOf(metadataRouter)).passedOn).toBe(true);
  });

  test("answers 503 when Keycloak's metadata cannot be fetched", async () => {
    for (const failure of [new TypeError('fetch failed'), new MCPAuthConfigError('fetch_server_config_error', 'metadata answered 502')]) {
      const { metadataRouter } = withSpecCompliantErrors({
        metadataRouter: (_request, _response, next) => next(failure),
        bearerAuth: specGuard(),
        challenge: {},
      });

      const outcome = await outcomeOf(metadataRouter);

      expect(outcome.status, failure.message).toBe(503);
      expect(outcome.body, failure.message).toEqual({
        error: 'temporarily_unavailable',
        error_description: 'The authorization server cannot be reached; try again shortly.',
      });
    }
  });
});
