import type { BenchExperiment } from '../experiment.ts';
import { comparisonResult, describeLoad, measureTargets } from '../comparison.ts';
import { userinfoCall, userinfoEndpoint, whoamiAnswerFor, whoamiCall } from '../whoami-request.ts';

/**
 * The Node server in tutorial mode next to its floor: it calls Keycloak's userinfo endpoint once
 * per request, so userinfo called directly with the same token is the most it can serve.
 */
export const tutorialMode: BenchExperiment = {
  name: 'tutorial-mode',
  measuring: "tutorial mode next to its floor, Keycloak's userinfo endpoint",
  async run({ servers, config, options }) {
    const { keycloak, benchConfig } = await servers.keycloak();
    const server = await servers.whoamiServer('node-tutorial');
    const userinfo = await userinfoEndpoint(benchConfig.realm.issuer);
    const { username, password } = config.user;
    const token = () => servers.accessToken('tutorial', username, password);
    const measured = await measureTargets(
      [
        {
          label: "Keycloak's userinfo endpoint, called directly with the same token (the floor)",
          name: 'userinfo',
          pid: keycloak.getPid(),
          load: async () => userinfoCall(userinfo, await token(), username),
        },
        {
          label: 'whoami (Node), tutorial mode: one userinfo call per request',
          name: 'tutorial mode',
          pid: server.pid,
          load: async () => whoamiCall(server.url, await token(), whoamiAnswerFor(username)),
        },
      ],
      options,
    );
    return comparisonResult(`Tutorial mode next to userinfo (${describeLoad(options)})`, measured, [
      { subject: 'tutorial mode', floor: 'userinfo', target: 0.6 },
    ]);
  },
};
