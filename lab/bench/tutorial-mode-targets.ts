/**
 * The two rows every tutorial-mode comparison has: Keycloak's userinfo endpoint called directly with
 * the user's token (the floor: tutorial mode calls it once per request) and a whoami server in
 * tutorial mode called with the same token.
 */
import type { LoadTarget } from './comparison.ts';
import type { BenchContext } from './experiment.ts';
import { userinfoCall, userinfoEndpoint, whoamiAnswerFor, whoamiCall } from './whoami-request.ts';

export async function userinfoFloor({ servers, config }: BenchContext, label: string): Promise<LoadTarget> {
  const { keycloak, benchConfig } = await servers.keycloak();
  const userinfo = await userinfoEndpoint(benchConfig.realm.issuer);
  const { username, password } = config.user;
  return {
    label,
    name: 'userinfo',
    pid: keycloak.getPid(),
    load: async () => userinfoCall(userinfo, await servers.accessToken('tutorial', username, password), username),
  };
}

export function tutorialModeWhoami(
  { servers, config }: BenchContext,
  server: { url: string; pid: number },
  { label, name }: { label: string; name: string },
): LoadTarget {
  const { username, password } = config.user;
  return {
    label,
    name,
    pid: server.pid,
    load: async () => whoamiCall(server.url, await servers.accessToken('tutorial', username, password), whoamiAnswerFor(username)),
  };
}
