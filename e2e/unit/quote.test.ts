import { firstLine, quote } from '../../lab/check/check.ts';
import { expect, test } from '@playwright/test';

// What `lab check` quotes — a challenge, whoami's answer, an error — is whole, or cut at a word
// with an ellipsis: never a value that stops mid-word without saying so.
const challenge = 'Bearer error="invalid_request", error_description="Missing `Authorization` header"';

test('a short value is quoted whole', () => {
  expect(quote(challenge)).toBe(challenge);
  expect(quote(challenge, challenge.length)).toBe(challenge);
});

test('a long value is cut at the last word that fits, with an ellipsis', () => {
  // 76 characters end inside "header": the cut goes back to the space before it.
  expect(quote(challenge, 76)).toBe('Bearer error="invalid_request", error_description="Missing `Authorization`…');
  for (let maxLength = 45; maxLength < challenge.length; maxLength++) {
    const quoted = quote(challenge, maxLength);
    const kept = quoted.slice(0, -1);
    expect(quoted.endsWith('…'), quoted).toBe(true);
    expect(kept.length, quoted).toBeLessThanOrEqual(maxLength);
    expect(challenge.startsWith(kept), quoted).toBe(true);
    expect(challenge[kept.length], `${quoted} stops mid-word`).toMatch(/\s/);
  }
});

test('a cut that falls between two words keeps them both', () => {
  // "alpha beta gamma" is 16 characters; the 17th is the space before "delta".
  expect(quote('alpha beta gamma delta', 16)).toBe('alpha beta gamma…');
  expect(quote('alpha beta gamma delta', 17)).toBe('alpha beta gamma…');
  expect(quote('alpha beta gamma delta', 15)).toBe('alpha beta…');
});

test('a value with no space to cut at early enough (a token, a URL) is cut at the limit, with an ellipsis', () => {
  const token = `eyJ${'a'.repeat(300)}`;
  expect(quote(token, 100)).toBe(`${token.slice(0, 100)}…`);
  expect(quote(`ab ${'c'.repeat(100)}`, 50)).toBe(`ab ${'c'.repeat(47)}…`);
});

test('a value over several lines is quoted on one line', () => {
  expect(quote('{\n  "error": "Not authenticated"\n}')).toBe('{ "error": "Not authenticated" }');
});

test("an error's first line is whole; the call log after it is left out", () => {
  expect(firstLine('page.goto: net::ERR_CONNECTION_REFUSED at http://localhost:8180/\nCall log:\n  - navigating to …')).toBe(
    'page.goto: net::ERR_CONNECTION_REFUSED at http://localhost:8180/',
  );
  expect(firstLine('')).toBe('');
});
