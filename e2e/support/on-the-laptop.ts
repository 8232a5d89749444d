/**
 * What a student does from their laptop, run inside the student-laptop namespace:
 *   ip netns exec <ns> node e2e/support/on-the-laptop.ts <action> '<json>'
 * It prints one JSON value. Actions:
 *   probe            HTTP requests as an attacker sends them: any path, Host, Origin, X-Forwarded-*
 *   wrong-passwords  type wrong passwords into Keycloak's login page, then the right one
 * (A student's login and whoami are `lab check`'s, run in the namespace as a student runs it.)
 */
import http from 'node:http';
import { launchChromium } from '../../lab/check/browser-login.ts';
import { signIn } from '../../lab/check/provider-login.ts';

export interface ProbeRequest {
  url: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
}
export interface ProbeAnswer {
  status?: number;
  contentType?: string;
  body?: string;
  error?: string;
}
export interface WrongPasswordsRequest {
  authorizationUrl: string;
  redirectUri: string;
  username: string;
  wrongPassword: string;
  attempts: number;
  rightPassword: string;
}
export interface WrongPasswordsAnswer {
  messages: string[];
  messageAfterRightPassword: string;
  redirectedWithCode: boolean;
}

/**
 * One request through node:http, which sends the Host header it is given (fetch would not) and
 * the path as written: `..` and percent-escapes reach the server unnormalised, as an attacker sends them.
 */
function probe({ url, method = 'GET', headers = {}, body }: ProbeRequest): Promise<ProbeAnswer> {
  const { hostname, port } = new URL(url);
  const rawPath = url.replace(/^https?:\/\/[^/]+/, '') || '/';
  return new Promise((resolve) => {
    const request = http.request({ hostname, port, path: rawPath, method, headers, timeout: 5_000 }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk) => {
        text += chunk;
      });
      response.on('end', () =>
        resolve({ status: response.statusCode, contentType: response.headers['content-type'], body: text.slice(0, 65_536) }),
      );
    });
    request.on('timeout', () => request.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })));
    request.on('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message }));
    request.end(body);
  });
}

/**
 * Keycloak's brute-force detection, as a student sees it. The attempts are spaced more than a
 * second apart, so what locks the account is the number of failures, not their speed (Keycloak's
 * "quick login check" would lock sooner).
 */
async function wrongPasswords(request: WrongPasswordsRequest): Promise<WrongPasswordsAnswer> {
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    let redirectedWithCode = false;
    // Seen as a request: Keycloak's redirect is followed inside the browser, where no route sees it.
    page.on('request', (sent) => {
      if (sent.url().startsWith(request.redirectUri) && new URL(sent.url()).searchParams.has('code')) redirectedWithCode = true;
    });
    await page.route(`${request.redirectUri}**`, (route) => route.fulfill({ contentType: 'text/plain', body: 'redirected' }));
    await page.goto(request.authorizationUrl);
    const submit = async (password: string) => {
      const answered = page.waitForResponse(
        (response) => response.request().method() === 'POST' && response.url().includes('/login-actions/authenticate'),
      );
      await signIn(page, { username: request.username, password });
      await answered;
      await page.waitForLoadState();
      const error = page.locator('[id^="input-error"]').first();
      return (await error.count()) > 0 ? (await error.innerText()).trim() : '';
    };
    const messages: string[] = [];
    for (let attempt = 0; attempt < request.attempts; attempt++) {
      messages.push(await submit(request.wrongPassword));
      await page.waitForTimeout(1_200);
    }
    const messageAfterRightPassword = await submit(request.rightPassword);
    return { messages, messageAfterRightPassword, redirectedWithCode };
  } finally {
    await browser.close();
  }
}

const [action, input] = process.argv.slice(2);
const parameters = JSON.parse(input ?? '{}');
const actions: Record<string, (parameters: never) => Promise<unknown>> = {
  probe: ({ requests }: { requests: ProbeRequest[] }) => Promise.all(requests.map(probe)),
  'wrong-passwords': wrongPasswords,
};
const run = actions[action ?? ''];
if (!run) {
  console.error(`on-the-laptop: unknown action "${action}" (${Object.keys(actions).join(', ')})`);
  process.exit(2);
}
process.stdout.write(JSON.stringify(await run(parameters as never)));
