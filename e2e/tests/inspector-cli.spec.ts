/**
 * The Inspector's CLI mode (`mcp-inspector --cli … --method tools/call --tool-name whoami`): it
 * prints Keycloak's login URL, waits on its loopback callback, then calls whoami with the token.
 * Playwright plays the learner who opens that URL and signs in.
 */
import type { Page } from '@playwright/test';
import { startWatched } from '../../core/process.ts';
import { inspectorLauncherPath } from '../../lab/inspector-process.ts';
import { expect, test } from '../support/fixtures.ts';
import { signIn } from '../support/provider-login.ts';
import { lab, mcpEndpoint, type Transport } from '../support/lab.ts';

const transports: Array<{ transport: Transport; cliName: string }> = [
  { transport: 'sse', cliName: 'sse' },
  { transport: 'streamable-http', cliName: 'http' },
];

/**
 * Inspector 2.12.0's CLI sometimes fails right after the login, reusing the transport it started
 * before the 401; running the command again is what a learner would do.
 */
const transportReuseRace = 'already started';

// One CLI callback port, registered in Keycloak: these tests take turns.
test.describe.configure({ mode: 'default' });

for (const { transport, cliName } of transports) {
  test(`the Inspector CLI runs whoami over ${transport} after testuser signs in at the URL it prints`, async ({ browser }, testInfo) => {
    let run = await runCliAndSignIn(await browser.newPage(), transport, cliName, testInfo.outputPath('cli-home-1'));
    if (run.exitCode !== 0 && run.stderr.includes(transportReuseRace)) {
      testInfo.annotations.push({ type: 'inspector-quirk', description: `CLI: "${transportReuseRace}" after the login; ran it again` });
      run = await runCliAndSignIn(await browser.newPage(), transport, cliName, testInfo.outputPath('cli-home-2'));
    }

    expect(run.exitCode, `the CLI exits 0; stderr:\n${run.stderr}`).toBe(0);
    // --format json: one line, {"result": <the tools/call result>}.
    const { result } = JSON.parse(run.stdout) as { result: { content: Array<{ type: string; text: string }> } };
    const claims = JSON.parse(result.content[0]!.text) as Record<string, unknown>;
    expect(claims).toMatchObject({ preferred_username: lab.user.username, email: lab.user.email });
  });
}

/** Runs the CLI, signs in at the URL it prints (in `page`, a fresh context), and waits for it to end. */
async function runCliAndSignIn(page: Page, transport: Transport, cliName: string, homeDir: string) {
  const cli = startWatched(
    process.execPath,
    [
      inspectorLauncherPath(),
      '--cli',
      mcpEndpoint(lab.whoamiUrl, transport).href,
      '--transport',
      cliName,
      '--method',
      'tools/call',
      '--tool-name',
      'whoami',
      '--client-id',
      lab.client.id,
      '--callback-url',
      lab.client.inspectorCliRedirectUri,
      '--format',
      'json',
    ],
    {
      env: {
        HOME: homeDir,
        MCP_INSPECTOR_SECRET_STORE: 'memory',
        // Without a terminal the CLI refuses interactive OAuth unless told a person is there;
        // then it also tries to open a browser: BROWSER=true makes xdg-open run `true` instead.
        MCP_AUTO_OPEN_ENABLED: 'true',
        BROWSER: 'true',
      },
    },
  );

  try {
    await expect
      .poll(() => cli.stderr(), { message: 'the CLI prints "Please navigate to: <Keycloak login URL>"' })
      .toMatch(/Please navigate to: \S+/);
    const loginUrl = new URL(cli.stderr().match(/Please navigate to: (\S+)/)![1]!);
    expect(loginUrl.href.startsWith(`${lab.realm.issuer}/protocol/openid-connect/auth?`)).toBe(true);
    expect(loginUrl.searchParams.get('redirect_uri')).toBe(lab.client.inspectorCliRedirectUri);
    // No --scope flag: the CLI asks for the scopes the server's resource metadata lists.
    expect(loginUrl.searchParams.get('scope')?.split(' ')).toEqual(expect.arrayContaining(['openid', 'profile', 'email']));

    await page.goto(loginUrl.href);
    await signIn(page, lab.user);
    const exitCode = await cli.exited;
    return { exitCode, stdout: cli.stdout(), stderr: cli.stderr() };
  } finally {
    cli.kill();
    await page.context().close();
  }
}
