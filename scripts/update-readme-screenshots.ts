/**
 * Copies the screenshots the Inspector tests took (test-results/walkthrough/) into
 * docs/images/inspector/, the pictures of the README's walk-through, so they always show the
 * current Inspector and Keycloak. `npm run screenshots` runs those tests first, then this.
 */
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../core/config.ts';
import { LabError } from '../core/errors.ts';
import { runMain } from '../lab/main.ts';
import { walkthroughDir } from '../e2e/support/walkthrough-dir.ts';

/** Image under docs/images/ ← the test's screenshot (checkpoints over SSE, as in the tutorial). */
const readmeImages: Record<string, string> = {
  'inspector/01-inspector.png': 'checkpoint-1-sse/01-inspector.png',
  'inspector/02-add-server.png': 'checkpoint-1-sse/02-add-server.png',
  'inspector/03-checkpoint-1-connect-failed.png': 'checkpoint-1-sse/03-connect-failed.png',
  'inspector/04-oauth-settings.png': 'checkpoint-2-sse/04-oauth-settings.png',
  'inspector/05-keycloak-login.png': 'checkpoint-2-sse/05-keycloak-login.png',
  'inspector/06-authorized.png': 'checkpoint-2-sse/06-authorized.png',
  'inspector/07-whoami-result.png': 'checkpoint-2-sse/07-whoami-result.png',
  'classroom/progress.png': 'classroom/progress.png',
};

const imagesDir = path.join(repoRoot, 'docs', 'images');

await runMain(async () => {
  const missing = Object.values(readmeImages).filter((source) => !existsSync(path.join(walkthroughDir, source)));
  if (missing.length > 0) {
    throw new LabError('ERR_SCREENSHOTS_MISSING', `No screenshot ${missing.join(', ')} in ${walkthroughDir}`, {
      hint: 'run `npm run screenshots` (it runs e2e/tests/inspector-checkpoints.spec.ts first)',
    });
  }
  for (const [image, source] of Object.entries(readmeImages)) {
    mkdirSync(path.dirname(path.join(imagesDir, image)), { recursive: true });
    copyFileSync(path.join(walkthroughDir, source), path.join(imagesDir, image));
    console.log(`docs/images/${image} ← test-results/walkthrough/${source}`);
  }
  return 0;
});
