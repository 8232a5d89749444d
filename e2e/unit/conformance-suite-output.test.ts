import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { authorizationVerdict } from '../../lab/conformance/authorization-driver.ts';
import { summaryLine } from '../../lab/conformance/run.ts';
import { serverVerdict } from '../../lab/conformance/server-run.ts';
import { readAuthorizationPrompt, readChecks, readSuiteReport } from '../../lab/conformance/suite-output.ts';
import { expect, test } from '@playwright/test';

// What @modelcontextprotocol/conformance 0.2.0-alpha.12 prints, cut from real runs against the
// lab's servers (colours as it prints them, even with NO_COLOR).
const yellow = '\u001b[33m';
const red = '\u001b[31m';
const green = '\u001b[32m';
const reset = '\u001b[0m';

const passingRun = `Running all suite (40 scenarios) against http://127.0.0.1:39673/mcp

=== Running scenario: server-stateless ===
✓ server-stateless: this line is the scenario's own pretty print, before the summary

=== SUMMARY ===
✗ server-stateless: 24 passed, 4 failed
✓ tools-list: 4 passed, 0 failed
✗ completion-complete: 1 passed, 1 failed

Total: 29 passed, 5 failed

${yellow}Expected failures (in baseline):${reset}
  ~ server-stateless:sep-2575-server-rejects-undeclared-capability
  ~ completion-complete:completion-complete

${green}Baseline check passed: all failures are expected.${reset}
`;

const staleAndUnexpectedRun = `=== SUMMARY ===
✓ tools-list: 3 passed, 0 failed
✗ prompts-get-with-image: 1 passed, 1 failed

Total: 37 passed, 25 failed

${yellow}Expected failures (in baseline):${reset}
  ~ logging-set-level:logging-set-level

${red}Stale baseline entries (now passing - remove from baseline):${reset}
  ✓ tools-list:tools-list

${red}Unexpected failures (not in baseline):${reset}
  ✗ prompts-get-with-image

${red}Baseline is stale: update your expected-failures file to remove passing entries.${reset}

${red}Unexpected failures detected: these are not in your expected-failures baseline.${reset}
`;

test('the summary block gives each scenario and the total; the baseline verdict its expected entries', () => {
  const report = readSuiteReport(passingRun);

  expect(report).toEqual({
    scenarios: [
      { scenario: 'server-stateless', passed: 24, failed: 4 },
      { scenario: 'tools-list', passed: 4, failed: 0 },
      { scenario: 'completion-complete', passed: 1, failed: 1 },
    ],
    passed: 29,
    failed: 5,
    expected: ['server-stateless:sep-2575-server-rejects-undeclared-capability', 'completion-complete:completion-complete'],
    stale: [],
    unexpected: [],
  });
});

test('stale and unexpected entries are read from their own sections, not taken for scenarios', () => {
  const report = readSuiteReport(staleAndUnexpectedRun);

  expect(report?.scenarios.map(({ scenario }) => scenario)).toEqual(['tools-list', 'prompts-get-with-image']);
  expect(report?.expected).toEqual(['logging-set-level:logging-set-level']);
  expect(report?.stale).toEqual(['tools-list:tools-list']);
  expect(report?.unexpected).toEqual(['prompts-get-with-image']);
});

test('output without a summary (the suite crashed or was stopped) has no report', () => {
  expect(
    readSuiteReport('Running all suite (40 scenarios) against http://127.0.0.1:1/mcp\n\n=== Running scenario: ping ===\n'),
  ).toBeUndefined();
  expect(readSuiteReport('=== SUMMARY ===\n✓ ping: 2 passed, 0 failed\n')).toBeUndefined();
});

test('a server run passes only when the suite exits 0 and lists nothing stale or unexpected', () => {
  const log = 'test-results/conformance/x/conformance.log';

  expect(serverVerdict(0, readSuiteReport(passingRun), log)).toEqual({
    ok: true,
    summary: '29 passed, 2 expected failures, 0 unexpected',
    logPath: log,
  });
  expect(serverVerdict(1, readSuiteReport(staleAndUnexpectedRun), log)).toEqual({
    ok: false,
    summary:
      '37 passed, 1 expected failures, 1 unexpected (prompts-get-with-image), 1 stale: now passing, remove from the baseline (tools-list:tools-list)',
    logPath: log,
  });
  // The exit code decides even when the lists look clean.
  expect(serverVerdict(1, readSuiteReport(passingRun), log)).toMatchObject({
    ok: false,
    summary: expect.stringContaining('the suite exited 1'),
  });
  expect(serverVerdict(undefined, undefined, log)).toEqual({
    ok: false,
    summary: 'the suite was stopped after its time limit, without a summary',
    logPath: log,
  });
});

const authorizationOutput = `=== Running scenario: authorization-code-grant ===
Running client scenario for authorization server 'authorization-code-grant' against server: http://localhost:8080/realms/mcp-realm
Ensure http://127.0.0.1:6280/callback is registered as a redirect URI for client 'lab-conformance'.
Access the following URL in your browser and complete the authentication process.
http://localhost:8080/realms/mcp-realm/protocol/openid-connect/auth?response_type=code&client_id=lab-conformance&state=abc&redirect_uri=http%3A%2F%2F127.0.0.1%3A6280%2Fcallback&code_challenge=xyz&code_challenge_method=S256&resource=http%3A%2F%2Flocalhost%3A3001

Waiting up to 5 minutes for the authorization callback...
Callback server started: http://127.0.0.1:6280
`;

test("the authorization command's prompt: the URL on the line after its request, and the callback server once it listens", () => {
  const prompt = readAuthorizationPrompt(authorizationOutput);

  expect(prompt.authorizationUrl?.origin).toBe('http://localhost:8080');
  expect(prompt.authorizationUrl?.searchParams.get('redirect_uri')).toBe('http://127.0.0.1:6280/callback');
  expect(prompt.authorizationUrl?.searchParams.get('resource')).toBe('http://localhost:3001');
  expect(prompt.callbackOrigin).toBe('http://127.0.0.1:6280');
});

test('a prompt printed in part has what is printed so far, and nothing else', () => {
  const urlOnly = authorizationOutput.slice(0, authorizationOutput.indexOf('Callback server started'));
  const requestOnly = authorizationOutput.slice(0, authorizationOutput.indexOf('http://localhost:8080/realms/mcp-realm/protocol'));

  expect(readAuthorizationPrompt(urlOnly)).toMatchObject({ callbackOrigin: undefined });
  expect(readAuthorizationPrompt(urlOnly).authorizationUrl).toBeInstanceOf(URL);
  expect(readAuthorizationPrompt(requestOnly)).toEqual({ authorizationUrl: undefined, callbackOrigin: undefined });
  // The server URL of the "Running … against server:" line is not the authorization URL.
  expect(readAuthorizationPrompt(authorizationOutput.split('Access')[0]!).authorizationUrl).toBeUndefined();
});

test('an authorization run passes only with both scenarios passed, the browser step done and exit 0; warnings are named, not failed', () => {
  const logPath = 'conformance.log';
  const passed = `=== SUMMARY ===\n✓ authorization-server-metadata-endpoint: 1 passed, 0 failed\n✓ authorization-code-grant: 1 passed, 0 failed\n\nTotal: 2 passed, 0 failed\n`;
  const failed = `=== SUMMARY ===\n✓ authorization-server-metadata-endpoint: 1 passed, 0 failed\n✗ authorization-code-grant: 0 passed, 1 failed\n\nTotal: 1 passed, 1 failed\n`;
  const cimdWarning =
    'authorization-server-metadata-cimd: Authorization server metadata does not include "client_id_metadata_document_supported"';
  const end = { exitCode: 0, output: passed, failures: [], warnings: [], browserStep: undefined, logPath };

  expect(authorizationVerdict(end)).toEqual({ ok: true, summary: '2 passed, 0 failed', logPath });
  expect(authorizationVerdict({ ...end, warnings: [cimdWarning] })).toEqual({
    ok: true,
    summary: `2 passed, 0 failed, 1 warning (${cimdWarning})`,
    logPath,
  });
  expect(authorizationVerdict({ ...end, exitCode: 1, output: failed })).toEqual({
    ok: false,
    summary: '1 passed, 1 failed (authorization-code-grant)',
    logPath,
  });
  expect(
    authorizationVerdict({ ...end, exitCode: 1, output: failed, failures: ['authorization-code-grant: Invalid status code: 400'] }),
  ).toEqual({
    ok: false,
    summary: '1 passed, 1 failed (authorization-code-grant: Invalid status code: 400)',
    logPath,
  });
  expect(
    authorizationVerdict({ ...end, exitCode: undefined, output: '', browserStep: 'the browser step failed: Keycloak refused the sign-in' }),
  ).toEqual({
    ok: false,
    summary: 'the browser step failed: Keycloak refused the sign-in; the suite was stopped',
    logPath,
  });
});

test("checks of a status are read from the results folder's checks.json files; other statuses and unreadable folders are not", () => {
  const resultsDir = test.info().outputPath('results');
  const scenario = (name: string, checks: object[] | string) => {
    mkdirSync(path.join(resultsDir, name), { recursive: true });
    writeFileSync(path.join(resultsDir, name, 'checks.json'), typeof checks === 'string' ? checks : JSON.stringify(checks));
  };
  scenario('authorization-server-authorization-server-metadata-endpoint-2026-12-05T18-18-47-092Z', [
    { id: 'authorization-server-metadata', status: 'SUCCESS' },
    {
      id: 'authorization-server-metadata-cimd',
      status: 'WARNING',
      errorMessage: 'does not include "client_id_metadata_document_supported"',
    },
  ]);
  scenario('authorization-server-authorization-code-grant-2026-12-05T18-18-47-193Z', [
    { id: 'authorization-code-grant', status: 'FAILURE', errorMessage: 'Invalid status code: 400' },
    { id: 'some-should', status: 'WARNING' },
    { id: 'note', status: 'INFO' },
  ]);
  scenario('broken', 'not json');

  expect(readChecks(resultsDir, 'WARNING')).toEqual([
    'some-should',
    'authorization-server-metadata-cimd: does not include "client_id_metadata_document_supported"',
  ]);
  expect(readChecks(resultsDir, 'FAILURE')).toEqual(['authorization-code-grant: Invalid status code: 400']);
  expect(readChecks(path.join(resultsDir, 'absent'), 'WARNING')).toEqual([]);
});

test('the summary line names the run, its result and its time; a failed one where its log is', () => {
  const logPath = path.join(process.cwd(), 'test-results', 'conformance', 'server-2026', 'conformance.log');
  const verdict = { ok: true, summary: '94 passed, 39 expected failures, 0 unexpected', logPath };

  expect(summaryLine('conformance server 2026-07-28 (whoami 2026, spec)', verdict, 6_540)).toBe(
    'conformance server 2026-07-28 (whoami 2026, spec): 94 passed, 39 expected failures, 0 unexpected (6.5 s)',
  );
  expect(summaryLine('conformance server 2026-07-28 (whoami 2026, spec)', { ...verdict, ok: false }, 6_540)).toBe(
    `conformance server 2026-07-28 (whoami 2026, spec): 94 passed, 39 expected failures, 0 unexpected (6.5 s) — the suite's output: ${path.join('test-results', 'conformance', 'server-2026', 'conformance.log')}`,
  );
});
