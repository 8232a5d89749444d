import type { BenchExperiment } from '../experiment.ts';
import { comparisonResult, describeLoad, measureTargets } from '../comparison.ts';
import { tutorialModeWhoami, userinfoFloor } from '../tutorial-mode-targets.ts';

/**
 * The Node server in tutorial mode next to its floor: it calls Keycloak's userinfo endpoint once
 * per request, so userinfo called directly with the same token is the most it can serve.
 */
export const tutorialMode: BenchExperiment = {
  name: 'tutorial-mode',
  measuring: "tutorial mode next to its floor, Keycloak's userinfo endpoint",
  async run(bench) {
    const server = await bench.servers.whoamiServer('node-tutorial');
    const measured = await measureTargets(
      [
        await userinfoFloor(bench, "Keycloak's userinfo endpoint, called directly with the same token (the floor)"),
        tutorialModeWhoami(bench, server, { label: 'whoami (Node), tutorial mode: one userinfo call per request', name: 'tutorial mode' }),
      ],
      bench.options,
    );
    return comparisonResult(`Tutorial mode next to userinfo (${describeLoad(bench.options)})`, measured, [
      { subject: 'tutorial mode', floor: 'userinfo', target: 0.6 },
    ]);
  },
};
