import type { BenchExperiment } from '../experiment.ts';
import { comparisonResult, describeLoad, measureTargets } from '../comparison.ts';
import { tutorialModeWhoami, userinfoFloor } from '../tutorial-mode-targets.ts';
import { whoamiCall } from '../whoami-request.ts';

/**
 * The Python server (tutorial mode, its only one) next to the floor of its mode, Keycloak's
 * userinfo endpoint, and next to a bare Starlette endpoint under the same uvicorn.
 */
export const pythonServer: BenchExperiment = {
  name: 'python',
  measuring: 'the Python server next to userinfo and a bare Starlette endpoint',
  async run(bench) {
    const { servers, options } = bench;
    const server = await servers.whoamiServer('python');
    const starlette = await servers.floorServer('starlette');
    const measured = await measureTargets(
      [
        await userinfoFloor(bench, "Keycloak's userinfo endpoint, called directly with the same token (the floor of its mode)"),
        {
          label: 'bare Starlette under uvicorn, no MCP, no auth (the floor of its framework)',
          name: 'bare Starlette',
          pid: starlette.pid,
          load: async () => whoamiCall(starlette.url, undefined, '"result"'),
        },
        tutorialModeWhoami(bench, server, {
          label: 'whoami (Python), tutorial mode: one userinfo call per request',
          name: 'Python server',
        }),
      ],
      options,
    );
    return comparisonResult(`The Python server next to userinfo and bare Starlette (${describeLoad(options)})`, measured, [
      { subject: 'Python server', floor: 'userinfo' },
      { subject: 'Python server', floor: 'bare Starlette' },
    ]);
  },
};
