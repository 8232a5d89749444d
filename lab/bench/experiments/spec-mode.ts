import type { BenchExperiment } from '../experiment.ts';
import { comparisonResult, describeLoad, measureTargets } from '../comparison.ts';
import { whoamiAnswerFor, whoamiCall } from '../whoami-request.ts';

/**
 * The Node server in spec mode (JWTs checked here, nothing sent to Keycloak) next to its floor, a
 * bare express endpoint, with the MCP SDK alone (no auth) between them: what the SDK costs and
 * what the lab adds on top of it, each as its own ratio.
 */
export const specMode: BenchExperiment = {
  name: 'spec-mode',
  measuring: 'spec mode next to its floor, a bare express endpoint, and the MCP SDK alone',
  async run({ servers, config, options }) {
    const server = await servers.whoamiServer('node-spec');
    const express = await servers.floorServer('express');
    const sdk = await servers.floorServer('mcp-sdk');
    const { username, password } = config.user;
    const measured = await measureTargets(
      [
        {
          label: 'bare express, no MCP, no auth (the floor)',
          name: 'bare express',
          pid: express.pid,
          load: async () => whoamiCall(express.url, undefined, '"result"'),
        },
        {
          label: "the MCP SDK alone: the server's express app and a transport per request, no auth",
          name: 'MCP SDK alone',
          pid: sdk.pid,
          load: async () => whoamiCall(sdk.url, undefined, '"result"'),
        },
        {
          label: 'whoami (Node), spec mode: JWT checked here',
          name: 'spec mode',
          pid: server.pid,
          load: async () => whoamiCall(server.url, await servers.accessToken('spec', username, password), whoamiAnswerFor(username)),
        },
      ],
      options,
    );
    return comparisonResult(`Spec mode next to bare express (${describeLoad(options)})`, measured, [
      { subject: 'spec mode', floor: 'bare express', target: 0.6 },
      { subject: 'MCP SDK alone', floor: 'bare express' },
      { subject: 'spec mode', floor: 'MCP SDK alone' },
    ]);
  },
};
