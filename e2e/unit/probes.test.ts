import { describeFetchError, sdkOf } from '../../lab/check/probes.ts';
import { expect, test } from '@playwright/test';

test("a server's tab is told from its headers: Express is the Node.js tab, uvicorn or hypercorn the Python one", () => {
  expect(sdkOf(new Headers({ 'x-powered-by': 'Express' }))).toBe('node');
  expect(sdkOf(new Headers({ server: 'uvicorn' }))).toBe('python');
  expect(sdkOf(new Headers({ server: 'hypercorn-h11' }))).toBe('python');
  expect(sdkOf(new Headers({ server: 'nginx' }))).toBeUndefined();
  expect(sdkOf(new Headers())).toBeUndefined();
  expect(sdkOf(undefined)).toBeUndefined();
});

test("a failed fetch is described by its socket error's code, a timeout in words, or else its message", () => {
  expect(
    describeFetchError(
      new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) }),
    ),
  ).toBe('ECONNREFUSED');
  expect(describeFetchError(new DOMException('The operation was aborted due to timeout', 'TimeoutError'))).toBe('no answer in time');
  expect(describeFetchError(new TypeError('fetch failed', { cause: new Error('other side closed') }))).toBe('other side closed');
  expect(describeFetchError(new TypeError('Invalid URL'))).toBe('Invalid URL');
});
