import { existsSync } from 'node:fs';
import type { LaunchOptions } from 'playwright';

// Debian's Chromium, where it is installed; `npx playwright install` cannot download here.
const debianChromium = '/usr/bin/chromium';

/** How every browser of the lab's tests starts (the Playwright config's, and the drift check's). */
export const chromiumLaunchOptions: LaunchOptions = {
  executablePath: existsSync(debianChromium) ? debianChromium : undefined,
  // Keep Chromium off the network it cannot reach here (it would retry, many at a time).
  args: ['--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
};
