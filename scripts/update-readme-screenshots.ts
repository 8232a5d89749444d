/**
 * Copies the screenshots the tests took (test-results/walkthrough/) into docs/images/, the
 * pictures of the walk-throughs, so they always show the current Inspector and Keycloak:
 *   tutorial  the README's: the walk-through in the Inspector (inspector-checkpoints.spec.ts, over
 *             SSE), the room's progress page (classroom-progress.spec.ts), and the zh-CN
 *             walk-through's Chinese login page, whoami result and consent page (zh-cn.spec.ts,
 *             docs/images/zh-CN/)
 *   today     docs/keycloak-versions.md, "with today's Keycloak": the Inspector with no Client ID,
 *             and with a client ID metadata document (registration-profiles.spec.ts, on a Keycloak
 *             with the `cimd` feature: the newest 26.x)
 *   providers docs/providers.md: the OIDC tab with the Inspector registering itself, the OAuth 2 tab
 *             with the Client ID typed (e2e/providers/provider-inspector.spec.ts)
 *   logto     docs/providers.md: the Logto tab's Console, and the Inspector in spec and tutorial
 *             mode (e2e/logto/logto-console.spec.ts, logto-inspector.spec.ts)
 *   step-up   docs/step-up-and-roles.md: the Inspector's step-up on the 2026-07-28 server, as
 *             adminuser and as testuser (inspector-step-up.spec.ts)
 * `npm run screenshots`, `npm run screenshots:today`, `npm run screenshots:providers`,
 * `npm run screenshots:logto` and `npm run screenshots:step-up` run those
 * tests first, then this; with no `--set`, every set is copied.
 *
 * The pictures show the test run's ports (e2e/test-target.ts), not a learner's lab's: the docs put
 * a caption under each one that shows a URL, saying what the learner's lab shows there. The
 * tutorial set's captions name the test lab's default ports; change them with those defaults.
 */
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { repoRoot, walkthroughDir } from '../core/config.ts';
import { LabError } from '../core/errors.ts';
import { runMain } from '../lab/main.ts';

interface ScreenshotSet {
  /** The command that takes them. */
  takenBy: string;
  /** Image under docs/images/ ← the test's screenshot. */
  images: Record<string, string>;
}

const sets: Record<string, ScreenshotSet> = {
  tutorial: {
    takenBy: '`npm run screenshots` (it runs e2e/tests/inspector-checkpoints.spec.ts, classroom-progress.spec.ts and zh-cn.spec.ts first)',
    images: {
      'inspector/01-inspector.png': 'checkpoint-1-sse/01-inspector.png',
      'inspector/02-add-server.png': 'checkpoint-1-sse/02-add-server.png',
      'inspector/03-checkpoint-1-connect-failed.png': 'checkpoint-1-sse/03-connect-failed.png',
      'inspector/04-oauth-settings.png': 'checkpoint-2-sse/04-oauth-settings.png',
      'inspector/05-keycloak-login.png': 'checkpoint-2-sse/05-keycloak-login.png',
      'inspector/06-authorized.png': 'checkpoint-2-sse/06-authorized.png',
      'inspector/07-whoami-result.png': 'checkpoint-2-sse/07-whoami-result.png',
      'classroom/progress.png': 'classroom/progress.png',
      // The zh-CN walk-through: Keycloak's login page in Chinese, the Inspector's (English) whoami
      // result, and Keycloak's Chinese consent page (a client that registered itself).
      'zh-CN/01-keycloak-login.png': 'zh-CN/01-keycloak-login.png',
      'zh-CN/02-whoami-result.png': 'zh-CN/02-whoami-result.png',
      'zh-CN/03-keycloak-consent.png': 'zh-CN/03-keycloak-consent.png',
    },
  },
  today: {
    takenBy: '`KEYCLOAK_VERSION=<the newest 26.x> npm run screenshots:today` (it runs e2e/tests/registration-profiles.spec.ts first)',
    images: {
      'inspector-today/01-add-server.png': 'dynamic-streamable-http/02-add-server.png',
      'inspector-today/02-keycloak-login.png': 'dynamic-streamable-http/05-keycloak-login.png',
      'inspector-today/03-keycloak-consent.png': 'dynamic-streamable-http/05-keycloak-consent.png',
      'inspector-today/04-authorized.png': 'dynamic-streamable-http/06-authorized.png',
      'inspector-today/05-whoami-result.png': 'dynamic-streamable-http/07-whoami-result.png',
      'inspector-today/06-cimd-client-settings.png': 'cimd-streamable-http/03-client-settings-cimd.png',
      'inspector-today/07-cimd-consent.png': 'cimd-streamable-http/05-keycloak-consent.png',
      'inspector-today/08-cimd-whoami-result.png': 'cimd-streamable-http/07-whoami-result.png',
    },
  },
  providers: {
    takenBy: '`npm run screenshots:providers` (it runs e2e/providers/provider-inspector.spec.ts first)',
    images: {
      'providers/oidc-01-login.png': 'providers/oidc-dynamic-node-sse/05-oidc-login.png',
      'providers/oidc-02-consent.png': 'providers/oidc-dynamic-node-sse/05-oidc-consent.png',
      'providers/oidc-03-whoami-result.png': 'providers/oidc-dynamic-node-sse/07-whoami-result.png',
      'providers/oauth-01-oauth-settings.png': 'providers/oauth-manual-python-sse/04-oauth-settings.png',
      'providers/oauth-02-login.png': 'providers/oauth-manual-python-sse/05-oauth-login.png',
      'providers/oauth-03-whoami-result.png': 'providers/oauth-manual-python-sse/07-whoami-result.png',
    },
  },
  logto: {
    takenBy: '`npm run screenshots:logto` (it runs e2e/logto/logto-console.spec.ts and logto-inspector.spec.ts first)',
    images: {
      'providers/logto-01-console-application.png': 'providers/logto-console/01-application.png',
      'providers/logto-02-oauth-settings.png': 'providers/logto-spec-sse/04-oauth-settings.png',
      'providers/logto-03-sign-in.png': 'providers/logto-spec-sse/05-logto-login.png',
      'providers/logto-04-whoami-result.png': 'providers/logto-spec-sse/07-whoami-result.png',
      'providers/logto-05-tutorial-mode-invalid-target.png': 'providers/logto-node-streamable-http/05-logto-invalid-target.png',
    },
  },
  'step-up': {
    takenBy: '`npm run screenshots:step-up` (it runs e2e/tests/inspector-step-up.spec.ts first)',
    images: {
      'step-up-01-oauth-settings.png': 'step-up-adminuser/04-oauth-settings.png',
      'step-up-02-whoami-result.png': 'step-up-adminuser/07-whoami-result.png',
      'step-up-03-additional-permissions.png': 'step-up-adminuser/08-additional-permissions.png',
      'step-up-04-succeeded.png': 'step-up-adminuser/09-step-up-succeeded.png',
      'step-up-05-whoami-admin-result.png': 'step-up-adminuser/10-whoami-admin-result.png',
      'step-up-06-testuser-not-granted.png': 'step-up-testuser/09-step-up-not-granted.png',
    },
  },
};

const imagesDir = path.join(repoRoot, 'docs', 'images');

await runMain(async () => {
  const { values } = parseArgs({ options: { set: { type: 'string', multiple: true } } });
  for (const name of values.set ?? Object.keys(sets)) {
    const set = sets[name];
    if (!set) throw new LabError('ERR_USAGE', `--set must be one of ${Object.keys(sets).join(', ')}, got "${name}"`);
    const missing = Object.values(set.images).filter((source) => !existsSync(path.join(walkthroughDir, source)));
    if (missing.length > 0) {
      throw new LabError('ERR_SCREENSHOTS_MISSING', `No screenshot ${missing.join(', ')} in ${walkthroughDir}`, {
        hint: `run ${set.takenBy}`,
      });
    }
    for (const [image, source] of Object.entries(set.images)) {
      mkdirSync(path.dirname(path.join(imagesDir, image)), { recursive: true });
      copyFileSync(path.join(walkthroughDir, source), path.join(imagesDir, image));
      console.log(`docs/images/${image} ← test-results/walkthrough/${source}`);
    }
  }
  return 0;
});
