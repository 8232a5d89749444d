/**
 * The suite's `authorization` command, unattended. The command checks an authorization server: its
 * metadata, then one authorization-code grant with PKCE, for which it prints an authorization URL,
 * starts a callback server on http://127.0.0.1:<port>/callback and waits (5 minutes) for a person
 * to sign in. Here Chromium is that person: it opens the URL, signs in at Keycloak with the lab's
 * login (lab/check/provider-login.ts) and follows Keycloak's redirect to the callback; the command
 * then exchanges the code and judges the answers. It has no --expected-failures: both scenarios
 * must pass.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Locator } from 'playwright';
import type { McpRevision } from '../../core/config.ts';
import type { WatchedProcess } from '../../core/process.ts';
import { poll } from '../../core/wait.ts';
import { firstLine } from '../check/check.ts';
import { launchChromium } from '../chromium.ts';
import { LoginRefusedError, loginHeading, loginPages, signIn, type Credentials } from '../check/provider-login.ts';
import type { ConformanceRun, RunVerdict } from './run.ts';
import { startSuite } from './suite.ts';
import { readAuthorizationPrompt, readChecks, readSuiteReport, suiteEnd, withoutColours } from './suite-output.ts';

export interface AuthorizationRunOptions {
  /** What the summary line calls the server: "Keycloak 26.2.4, realm mcp-realm". */
  label: string;
  issuer: string;
  clientId: string;
  /** RFC 8707: the MCP server the token is for, where tokens are bound to one (spec mode). */
  resource: string | undefined;
  /** The callback's port; http://127.0.0.1:<port>/callback must be a redirect URI of the client. */
  callbackPort: number;
  specVersion: McpRevision;
  credentials: Credentials;
}

const promptTimeoutMs = 30_000;
const loginTimeoutMs = 30_000;
/** After the redirect: the token request and the second scenario's checks. */
const exitTimeoutMs = 30_000;

export function authorizationRun(options: AuthorizationRunOptions): ConformanceRun {
  return {
    title: `conformance authorization ${options.specVersion} (${options.label})`,
    slug: `authorization-${options.specVersion}`,
    run: async (folder) => {
      const logPath = path.join(folder, 'conformance.log');
      const resultsDir = path.join(folder, 'results');
      const command = startSuite(authorizationArgs(options, resultsDir));
      try {
        const browserStep = await completeAuthorization(command, options);
        // Without the redirect it would wait for its callback for 5 minutes; it may have ended already.
        const exitCode = await exitWithin(command, browserStep ? 1_000 : exitTimeoutMs);
        return authorizationVerdict({
          exitCode,
          output: command.stdout(),
          failures: readChecks(resultsDir, 'FAILURE'),
          warnings: readChecks(resultsDir, 'WARNING'),
          browserStep,
          logPath,
        });
      } finally {
        command.kill();
        writeFileSync(logPath, withoutColours(command.output()));
      }
    },
  };
}

function authorizationArgs(options: AuthorizationRunOptions, resultsDir: string): string[] {
  return [
    'authorization',
    ...['--url', options.issuer],
    ...['--client-id', options.clientId],
    ...(options.resource ? ['--resource', options.resource] : []),
    ...['--port', String(options.callbackPort)],
    ...['--spec-version', options.specVersion],
    ...['-o', resultsDir],
  ];
}

/** The browser step: undefined once Keycloak has sent the browser to the callback, else what went wrong. */
async function completeAuthorization(command: WatchedProcess, options: AuthorizationRunOptions): Promise<string | undefined> {
  let authorizationUrl: URL;
  try {
    authorizationUrl = await waitForPrompt(command, options.callbackPort);
  } catch (error) {
    // The command ended first (its metadata scenario failed, say): its report says why.
    return `no authorization URL to open: ${(error as Error).message}`;
  }
  const browser = await launchChromium();
  try {
    await signInAndReachCallback(browser, authorizationUrl, options);
    return undefined;
  } catch (error) {
    return `the browser step failed: ${firstLine((error as Error).message).replace(/\.$/, '')}`;
  } finally {
    await browser.close();
  }
}

/** The URL to open, once the callback server listens too (it says so after printing the URL). */
async function waitForPrompt(command: WatchedProcess, callbackPort: number): Promise<URL> {
  let exited = false;
  void command.exited.then(() => {
    exited = true;
  });
  return poll(
    async () => {
      const { authorizationUrl, callbackOrigin } = readAuthorizationPrompt(command.stdout());
      if (!authorizationUrl) return { pending: 'no authorization URL printed yet' };
      if (callbackOrigin !== `http://127.0.0.1:${callbackPort}`) return { pending: 'the callback server has not started yet' };
      return authorizationUrl;
    },
    { timeoutMs: promptTimeoutMs, intervalMs: 100, isAlive: () => !exited },
  );
}

/** Keycloak's login page, then its redirect to the command's callback, which answers in the browser. */
async function signInAndReachCallback(browser: Browser, authorizationUrl: URL, options: AuthorizationRunOptions): Promise<void> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const callback = `http://127.0.0.1:${options.callbackPort}/callback`;
    await page.goto(authorizationUrl.href);
    // Keycloak refuses a request it cannot serve (a redirect URI the client lacks) on a page of its own.
    const errorPage = page.locator(keycloakErrorMessage);
    const opened = await Promise.race([
      appears(loginHeading(page, loginPages.keycloak)),
      appears(errorPage),
      failAfter(loginTimeoutMs, `neither Keycloak's login page nor its error page at ${page.url()}`),
    ]);
    if (opened === errorPage) throw new Error(`Keycloak answered with an error page: ${(await errorPage.innerText()).trim()}`);
    await signIn(page, options.credentials, { timeoutMs: loginTimeoutMs });
    const refusal = page.locator(loginPages.keycloak.refusal).first();
    const outcome = await Promise.race([
      page.waitForURL((url) => url.href.startsWith(callback), { timeout: loginTimeoutMs }).then(() => undefined),
      appears(refusal),
    ]);
    if (outcome === refusal) throw new LoginRefusedError(`Keycloak refused the sign-in: ${(await refusal.innerText()).trim()}`);
    await page.getByText('OK. You can close this page.').waitFor({ timeout: loginTimeoutMs });
  } finally {
    await context.close();
  }
}

function failAfter(timeoutMs: number, what: string): Promise<never> {
  return new Promise((_, reject) => setTimeout(() => reject(new Error(`${what} after ${timeoutMs / 1000} s`)), timeoutMs).unref());
}

/** Keycloak's error page ("We are sorry..."): its message. */
const keycloakErrorMessage = '#kc-error-message';

/** `locator` once it shows; if it never does, a promise that never settles (for a race another part ends). */
function appears(locator: Locator): Promise<Locator> {
  return locator.waitFor({ timeout: loginTimeoutMs }).then(
    () => locator,
    () => new Promise<never>(() => {}),
  );
}

/** Its exit code, or undefined when it had to be stopped. */
async function exitWithin(command: WatchedProcess, timeoutMs: number): Promise<number | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), timeoutMs);
  });
  try {
    return (await Promise.race([command.exited, timedOut])) ?? undefined;
  } finally {
    clearTimeout(timer);
  }
}

export interface AuthorizationEnd {
  /** undefined: it had to be stopped. */
  exitCode: number | undefined;
  output: string;
  /** The failed checks with their reasons ("check-id: message"), from the results folder. */
  failures: string[];
  /** SHOULDs the server does not meet: printed, but they fail nothing (the suite exits 0). */
  warnings: string[];
  /** What went wrong in the browser, if anything. */
  browserStep: string | undefined;
  logPath: string;
}

export function authorizationVerdict({ exitCode, output, failures, warnings, browserStep, logPath }: AuthorizationEnd): RunVerdict {
  const report = readSuiteReport(output);
  const parts: string[] = [];
  if (report) {
    // The reasons where the results folder has them, else the failed scenarios' names.
    const failed = failures.length > 0 ? failures : report.scenarios.filter(({ failed }) => failed > 0).map(({ scenario }) => scenario);
    const tally = `${report.passed} passed, ${report.failed} failed${failed.length > 0 ? ` (${failed.join('; ')})` : ''}`;
    parts.push(
      warnings.length > 0 ? `${tally}, ${warnings.length} warning${warnings.length === 1 ? '' : 's'} (${warnings.join('; ')})` : tally,
    );
  }
  if (browserStep) parts.push(browserStep);
  if (!report)
    parts.push(browserStep && exitCode === undefined ? 'the suite was stopped' : `the suite ${suiteEnd(exitCode)}, without a summary`);
  else if (exitCode !== 0 && report.failed === 0) parts.push(`the suite ${suiteEnd(exitCode)}`);
  return { ok: exitCode === 0 && report?.failed === 0 && !browserStep, summary: parts.join('; '), logPath };
}
