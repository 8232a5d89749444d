/**
 * The tutorial's Logto steps, as Logto's Admin Console shows what the lab's provisioning made: the
 * administrator signs in (no "create account" page), and the application "MCP Inspector" is a
 * Single Page App whose App ID is the Inspector's Client ID, with the Inspector's redirect URI.
 * Its screenshots are docs/providers.md's pictures of the tab.
 */
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { walkthroughDir } from '../../core/config.ts';
import { signIn } from '../support/provider-login.ts';
import { logtoAppId, logtoLab } from '../support/logto-lab.ts';

test.use({ viewport: { width: 1280, height: 800 } });

const lab = logtoLab();
const screenshotDir = path.join(walkthroughDir, 'providers', 'logto-console');
const screenshot = (page: Page, name: string) => page.screenshot({ path: path.join(screenshotDir, `${name}.png`) });

test("the Console: the administrator signs in, and the application is the tutorial's Single Page App with the Inspector's redirect URI", async ({
  page,
}) => {
  await page.goto(lab.logto.consoleUrl);
  // The Console's sign-in is Logto's own page, for its admin tenant.
  await signIn(page, { username: lab.logto.adminUsername, password: lab.logto.adminPassword }, { provider: 'logto' });
  await expect(page.getByRole('link', { name: 'Applications' })).toBeVisible({ timeout: 30_000 });

  await page.goto(`${lab.logto.consoleUrl}/applications/${logtoAppId()}`);

  await expect(page.getByText('Single Page App', { exact: true })).toBeVisible();
  // The App ID, in the page's heading card (the page names it twice).
  await expect(page.getByText(logtoAppId(), { exact: true }).first()).toBeVisible();
  await expect(page.locator(`input[value="${lab.client.inspectorRedirectUri}"]`)).toBeVisible();
  await screenshot(page, '01-application');
});
