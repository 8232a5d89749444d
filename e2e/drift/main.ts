/**
 * `npm run drift`: does the tutorial, as written, still work with the packages a learner installs
 * today? For each tab, its own server, installed with its own commands (and once more with the
 * lab's pins), runs checkpoint 2 against Keycloak; the result goes to docs/tutorial-drift.md.
 * `npm run drift -- --check` compares today's outcome with that page and fails with one line when
 * they differ (CI runs this).
 *
 * Keycloak: the lab's, when one answers at KEYCLOAK_URL (its realm is provisioned as by `lab up`);
 * otherwise one of its own (in-memory database) for the length of the check.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig, repoRoot, withSettings, type LabConfig } from '../../core/config.ts';
import { LabError } from '../../core/errors.ts';
import { StopList } from '../../core/stop-list.ts';
import { httpGet } from '../../lab/check/probes.ts';
import { launchChromium } from '../../lab/chromium.ts';
import { nativeKeycloakFor } from '../../lab/keycloak/native-keycloak.ts';
import { runMain } from '../../lab/main.ts';
import { formatSeconds, step } from '../../lab/progress.ts';
import { connectAndProvision } from '../../provisioning/provision.ts';
import { runCheckpoint } from './run-checkpoint.ts';
import { firstDifference, outcomesOf, parseOutcomes, renderReport, runName, type DriftRun } from './report.ts';
import { prepareServer, type Variant } from './scratch-server.ts';
import { checkAgainstPage, tutorialCommands, type Tab } from './tutorial-code.ts';

const reportPath = path.join(repoRoot, 'docs', 'tutorial-drift.md');
const runs: Array<{ tab: Tab; variant: Variant }> = [
  { tab: 'python', variant: 'as written' },
  { tab: 'python', variant: 'pinned' },
  { tab: 'node', variant: 'as written' },
  { tab: 'node', variant: 'pinned' },
];
const installLines: Record<Tab, Record<Variant, string>> = {
  python: {
    'as written': tutorialCommands.python.install
      .map((command) => command.map((word) => (word.includes('[') ? `"${word}"` : word)).join(' '))
      .join('; '),
    pinned: 'server/python/requirements.lock (what `WHOAMI_SDK=python npm run lab` installs)',
  },
  node: {
    'as written': tutorialCommands.node.install.map((command) => command.join(' ')).join('; '),
    pinned: 'package-lock.json (what `npm ci` installs for the lab)',
  },
};

await runMain(async () => {
  let check: boolean;
  try {
    check = parseArgs({ options: { check: { type: 'boolean' } }, strict: true }).values.check === true;
  } catch (error) {
    throw new LabError('ERR_USAGE', `drift: ${(error as Error).message.split('\n')[0]}`, { hint: 'usage: npm run drift [-- --check]' });
  }
  const config = loadConfig(process.env);
  const startedAt = performance.now();

  const page = checkAgainstPage(process.env.TUTORIAL_PAGE || undefined);
  console.log(
    page === 'checked'
      ? "✓ the code blocks in e2e/drift/tutorial/ are the tutorial page's"
      : '- the tutorial page is not beside the repository; using e2e/drift/tutorial/ as committed',
  );

  const report = await runDrift(config);
  const today = outcomesOf(report.runs);
  for (const run of report.runs) console.log(`${run.outcome.result === 'pass' ? '✓' : '✗'} ${runName(run)}: ${today[runName(run)]}`);

  const freshReport = renderReport(report);
  if (check) {
    const committed = existsSync(reportPath) ? parseOutcomes(readFileSync(reportPath, 'utf8')) : undefined;
    const scratchReport = path.join(config.stateDir, 'drift', 'tutorial-drift.md');
    writeFileSync(scratchReport, freshReport);
    const difference = committed ? firstDifference(committed, today) : 'docs/tutorial-drift.md has no outcomes to compare with';
    if (difference) {
      throw new LabError('ERR_DRIFT', `The tutorial drifted — ${difference}`, {
        hint: `today's report is ${scratchReport.startsWith(repoRoot) ? path.relative(repoRoot, scratchReport) : scratchReport}; accept it with \`npm run drift\` and commit docs/tutorial-drift.md`,
      });
    }
    console.log(`The tutorial behaves as docs/tutorial-drift.md says (${formatSeconds(performance.now() - startedAt)}).`);
  } else {
    writeFileSync(reportPath, freshReport);
    console.log(`Wrote docs/tutorial-drift.md (${formatSeconds(performance.now() - startedAt)}).`);
  }
  return 0;
});

async function runDrift(config: LabConfig) {
  const scratch = path.join(config.stateDir, 'drift');
  // Away from the lab's whoami server and the test servers counted up from it (test-ports.ts).
  const basePort = config.server.port + 50;
  const stops = new StopList();
  try {
    // Installing takes as long as starting Keycloak: both at once.
    const keycloakUp = await httpGet(new URL(`${config.keycloak.internalUrl}/realms/master/.well-known/openid-configuration`), {
      timeoutMs: 3_000,
    });
    const keycloakStart =
      !('error' in keycloakUp) && keycloakUp.status === 200
        ? undefined
        : stops.startInBackground((signal) =>
            nativeKeycloakFor(withSettings(config, { KEYCLOAK_INSTANCE: 'drift' }))
              .withFreshDatabase()
              .withLogPath(path.join(scratch, 'keycloak.log'))
              .start({ signal }),
          );

    const prepared = await step(
      "installing each tab's packages: as the tutorial says, and the lab's pins",
      () =>
        Promise.all(
          runs.map(({ tab, variant }, index) =>
            prepareServer(config, tab, variant, { dir: path.join(scratch, `${tab}-${variant.replace(' ', '-')}`), port: basePort + index }),
          ),
        ),
      (all) => `installed (${all.map((server) => `${runName(server)}: ${server.failure ? 'failed' : 'ok'}`).join('; ')})`,
    );
    const keycloakVersion = keycloakStart
      ? (
          await step(
            `starting Keycloak ${config.keycloak.version} for the check`,
            () => keycloakStart,
            (started) => `Keycloak ${started.getVersion()} ready at ${started.getUrl()}`,
          )
        ).getVersion()
      : usingRunningKeycloak(config);
    await step(
      `provisioning realm ${config.realm.name}`,
      () => connectAndProvision(config),
      () => `realm ${config.realm.name} provisioned`,
    );

    const browser = await launchChromium();
    stops.add(() => browser.close());
    const results: DriftRun[] = [];
    for (const [index, server] of prepared.entries()) {
      const { outcome, warnings } = await step(
        `checkpoint 2: ${runName(server)}`,
        () => runCheckpoint(config, server, browser, basePort + index),
        (run) => `checkpoint 2 on ${runName(server)}: ${run.outcome.result}`,
      );
      results.push({
        tab: server.tab,
        variant: server.variant,
        install: installLines[server.tab][server.variant],
        versions: server.versions,
        outcome,
        warnings,
      });
    }
    const clientSdkVersion = (
      JSON.parse(readFileSync(path.join(repoRoot, 'node_modules', '@modelcontextprotocol', 'sdk', 'package.json'), 'utf8')) as {
        version: string;
      }
    ).version;
    return { date: new Date().toISOString().slice(0, 10), keycloakVersion, clientSdkVersion, runs: results };
  } finally {
    await stops.stopAll();
  }
}

/** The lab's Keycloak is already up: the check uses it (its version as configured). */
function usingRunningKeycloak(config: LabConfig): string {
  console.log(`- using the Keycloak that answers at ${config.keycloak.url}`);
  return config.keycloak.version;
}
