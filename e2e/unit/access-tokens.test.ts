import { loadConfig } from '../../core/config.ts';
import { expectedClaims, forgedCopy, isJwt, tamperedCopy, tokenClaims } from '../../lab/check/access-tokens.ts';
import { expect, test } from '@playwright/test';

const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const jwt = `${part({ alg: 'RS256', typ: 'JWT' })}.${part({ sub: 'f1e2', preferred_username: 'testuser' })}.c2lnbmF0dXJl`;
/** An access token of the lab's own OIDC and OAuth 2 servers (oidc-provider's): 43 opaque characters. */
const opaque = 'yH5gN0m3q2rT8v1Wc4Xz7aBd9eFj6kLp0sQu2wEr5tY';

test("Keycloak's JWT is read for its claims; oidc-provider's opaque token is not a JWT", () => {
  expect(isJwt(jwt)).toBe(true);
  expect(tokenClaims(jwt)).toEqual({ sub: 'f1e2', preferred_username: 'testuser' });
  expect(isJwt(opaque)).toBe(false);
  expect(tokenClaims(opaque)).toEqual({});
  // Three parts are not enough: the middle one must be a JSON object.
  expect(isJwt('a.b.c')).toBe(false);
  expect(isJwt(`x.${Buffer.from('[1]').toString('base64url')}.y`)).toBe(false);
});

test('a fake made from the real token: a JWT with another signature, an opaque token with one character changed', () => {
  const forged = forgedCopy(jwt);
  expect(forged.split('.').slice(0, 2)).toEqual(jwt.split('.').slice(0, 2));
  expect(forged).not.toBe(jwt);

  const tampered = tamperedCopy(opaque);
  expect(tampered).toHaveLength(opaque.length);
  expect([...tampered].filter((character, index) => character !== opaque[index])).toHaveLength(1);
  // Also when the middle character is the one it would be changed to.
  expect(tamperedCopy('xxAxx')).toBe('xxBxx');
});

test('the claims whoami should return for a JWT are its own: no request to the authorization server', async () => {
  // The issuer of a port nothing listens on: a request there would fail.
  const tab = loadConfig({ LAB_PROVIDER: 'oidc', OIDC_PROVIDER_PORT: '9' }).provider;
  expect(await expectedClaims(jwt, tab)).toEqual({ sub: 'f1e2', preferred_username: 'testuser' });
  await expect(expectedClaims(opaque, tab)).rejects.toThrow(
    'http://localhost:9/.well-known/openid-configuration names no userinfo endpoint',
  );
});
