/**
 * `lab check`: the tutorial's checkpoints, run against whatever server listens at a URL — the
 * lab's or the learner's, Node.js or Python — with the authorization server of the tab the lab
 * plays (LAB_PROVIDER: the lab's Keycloak, or its own OIDC or OAuth 2 server). A check is one file in
 * checks/ and one line here; they run in this order (check-server.ts), each when what it needs
 * was found, and print one line per step of the tutorial (check.ts `lineOrder`). Today's revision
 * has a list of its own (`--revision 2026-07-28`: revision-2026/check-list.ts).
 */
import type { Check } from './check.ts';
import { forgedToken } from './checks/forged-token.ts';
import { mcpEndpoints } from './checks/mcp-endpoints.ts';
import { metadata } from './checks/metadata.ts';
import { reachable } from './checks/reachable.ts';
import { signIn } from './checks/sign-in.ts';
import { tokenRequired } from './checks/token-required.ts';
import { transportWithToken } from './checks/transport-with-token.ts';
import { transportWithoutToken } from './checks/transport-without-token.ts';
import { whoamiClaims } from './checks/whoami-claims.ts';
import { whoamiUnauthenticated } from './checks/whoami-unauthenticated.ts';

export const checkList: readonly Check[] = [
  reachable, // checkpoints 1 and 2
  mcpEndpoints,
  transportWithoutToken, // checkpoint 1 only
  whoamiUnauthenticated,
  tokenRequired, // checkpoint 2 from here on
  metadata,
  signIn,
  transportWithToken,
  whoamiClaims,
  forgedToken,
];
