import { LabError, networkErrorCode } from '../../core/errors.ts';
import { expect, test } from '@playwright/test';

test('a lab error is one line: the message, then what to do next when there is a hint', () => {
  expect(new LabError('ERR_PORT_IN_USE', 'Port 8080 (Keycloak HTTP) is already in use').toLine()).toBe(
    'Port 8080 (Keycloak HTTP) is already in use',
  );
  expect(new LabError('ERR_PORT_IN_USE', 'Port 8080 (Keycloak HTTP) is already in use', { hint: 'set KEYCLOAK_PORT' }).toLine()).toBe(
    'Port 8080 (Keycloak HTTP) is already in use — set KEYCLOAK_PORT',
  );
});

test("a network error's code is found on its causes, as fetch reports it", () => {
  const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8080'), { code: 'ECONNREFUSED' });

  expect(networkErrorCode(new TypeError('fetch failed', { cause: refused }))).toBe('ECONNREFUSED');
  expect(networkErrorCode(new Error('outer', { cause: new Error('middle', { cause: refused }) }))).toBe('ECONNREFUSED');
  expect(networkErrorCode(new TypeError('fetch failed'))).toBeUndefined();
  const timedOut = Object.assign(new Error('Connect Timeout Error'), { code: 'UND_ERR_CONNECT_TIMEOUT' });
  expect(networkErrorCode(new TypeError('fetch failed', { cause: timedOut }))).toBe('UND_ERR_CONNECT_TIMEOUT');
  const notFound = Object.assign(new Error('getaddrinfo EAI_AGAIN keycloak'), { code: 'EAI_AGAIN' });
  expect(networkErrorCode(new TypeError('fetch failed', { cause: notFound }))).toBe('EAI_AGAIN');
  // Node's own error codes say what the program did wrong, not the network.
  expect(networkErrorCode(Object.assign(new TypeError('Invalid URL'), { code: 'ERR_INVALID_URL' }))).toBeUndefined();
  expect(networkErrorCode('ECONNREFUSED')).toBeUndefined();
});

test('an error that is its own cause ends the search', () => {
  const looped = new Error('looped');
  looped.cause = looped;

  expect(networkErrorCode(looped)).toBeUndefined();
});
