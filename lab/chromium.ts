import { existsSync } from 'node:fs';
import { chromium, type Browser, type LaunchOptions } from 'playwright';

/**
 * Debian's Chromium, where it is installed (Playwright cannot download its own here): its headless
 * shell when there is one (package chromium-headless-shell: the same engine without the desktop
 * browser's start-up, about three times faster per page), else the browser itself.
 */
const debianChromiums = ['/usr/bin/chromium-headless-shell', '/usr/bin/chromium'];

/** How every browser of the lab starts: `lab check`'s, the drift check's, the tests' (playwright.config.ts). */
export const chromiumLaunchOptions: LaunchOptions = {
  executablePath: debianChromiums.find((candidate) => existsSync(candidate)),
  // Keep Chromium off networks it need not reach (it would retry, many at a time).
  args: ['--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
};

export function launchChromium(): Promise<Browser> {
  return chromium.launch(chromiumLaunchOptions);
}
