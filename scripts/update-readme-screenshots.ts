/**
 * Copies the screenshots the Inspector tests took (test-results/walkthrough/) into docs/images/,
 * the pictures of the walk-throughs, so they always show the current Inspector and Keycloak:
 *   tutorial  docs/images/inspector/        the README's walk-through (inspector-checkpoints.spec.ts, over SSE)
 *   today     docs/images/inspector-today/  docs/keycloak-versions.md, "with today's Keycloak"
 *             (registration-profiles.spec.ts on a Keycloak with the `cimd` feature: the newest 26.x)
 * `npm run screenshots` runs the tutorial's tests first, then this; `--set today` copies one set.
 */
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { repoRoot } from '../core/config.ts';
import { LabError } from '../core/errors.ts';
import { runMain } from '../lab/main.ts';
import { walkthroughDir } from '../e2e/support/walkthrough-dir.ts';

interface ScreenshotSet {
  /** Below docs/images/. */
  folder: string;
  /** The command that takes them. */
  takenBy: string;
  /** Image ← the test's screenshot. */
  images: Record<string, string>;
}

const sets: Record<string, ScreenshotSet> = {
  tutorial: {
    folder: 'inspector',
    takenBy: '`npm run screenshots` (it runs e2e/tests/inspector-checkpoints.spec.ts first)',
    images: {
      '01-inspector.png': 'checkpoint-1-sse/01-inspector.png',
      '02-add-server.png': 'checkpoint-1-sse/02-add-server.png',
      '03-checkpoint-1-connect-failed.png': 'checkpoint-1-sse/03-connect-failed.png',
      '04-oauth-settings.png': 'checkpoint-2-sse/04-oauth-settings.png',
      '05-keycloak-login.png': 'checkpoint-2-sse/05-keycloak-login.png',
      '06-authorized.png': 'checkpoint-2-sse/06-authorized.png',
      '07-whoami-result.png': 'checkpoint-2-sse/07-whoami-result.png',
    },
  },
  today: {
    folder: 'inspector-today',
    takenBy: '`KEYCLOAK_VERSION=<the newest 26.x> npm run screenshots:today` (it runs e2e/tests/registration-profiles.spec.ts first)',
    images: {
      '01-add-server.png': 'dynamic-streamable-http/02-add-server.png',
      '02-keycloak-login.png': 'dynamic-streamable-http/05-keycloak-login.png',
      '03-keycloak-consent.png': 'dynamic-streamable-http/05-keycloak-consent.png',
      '04-authorized.png': 'dynamic-streamable-http/06-authorized.png',
      '05-whoami-result.png': 'dynamic-streamable-http/07-whoami-result.png',
      '06-cimd-client-settings.png': 'cimd-streamable-http/03-client-settings-cimd.png',
      '07-cimd-consent.png': 'cimd-streamable-http/05-keycloak-consent.png',
      '08-cimd-whoami-result.png': 'cimd-streamable-http/07-whoami-result.png',
    },
  },
};

await runMain(async () => {
  const { values } = parseArgs({ options: { set: { type: 'string' } } });
  const chosen = values.set === undefined ? Object.keys(sets) : [values.set];
  for (const name of chosen) {
    const set = sets[name];
    if (!set) throw new LabError('ERR_USAGE', `--set must be one of ${Object.keys(sets).join(', ')}, got "${name}"`);
    const missing = Object.values(set.images).filter((source) => !existsSync(path.join(walkthroughDir, source)));
    if (missing.length > 0) {
      throw new LabError('ERR_SCREENSHOTS_MISSING', `No screenshot ${missing.join(', ')} in ${walkthroughDir}`, { hint: `run ${set.takenBy}` });
    }
    const imagesDir = path.join(repoRoot, 'docs', 'images', set.folder);
    mkdirSync(imagesDir, { recursive: true });
    for (const [image, source] of Object.entries(set.images)) {
      copyFileSync(path.join(walkthroughDir, source), path.join(imagesDir, image));
      console.log(`docs/images/${set.folder}/${image} ← test-results/walkthrough/${source}`);
    }
  }
  return 0;
});
