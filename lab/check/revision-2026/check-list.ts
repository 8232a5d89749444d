/**
 * `lab check --revision 2026-07-28`: the learner's server against today's MCP revision, with the
 * lab's Keycloak — stateless Streamable HTTP, audience-bound tokens found through the protected
 * resource metadata, a per-tool step-up scope, Host and Origin checks. Same runner and shape as
 * the tutorial's checks (../check-list.ts): a check is one file in checks/ and one line here; they
 * run in this order, each when what it needs was found, and print on the lines of
 * `revision2026LineOrder` (../check.ts). The revision has no checkpoints: its checks run as the
 * tutorial's full check does (checkpoint 2).
 */
import type { Check } from '../check.ts';
import { reachable } from '../checks/reachable.ts';
import { audience } from './checks/audience.ts';
import { challenge } from './checks/challenge.ts';
import { forgedToken } from './checks/forged-token.ts';
import { hostAndOrigin } from './checks/host-and-origin.ts';
import { metadata } from './checks/metadata.ts';
import { signIn } from './checks/sign-in.ts';
import { stateless } from './checks/stateless.ts';
import { stepUp } from './checks/step-up.ts';
import { whoami } from './checks/whoami.ts';

export const revision2026CheckList: readonly Check[] = [
  reachable, // the tutorial's
  challenge,
  metadata,
  signIn, // testuser's token, for everything after it
  stateless,
  whoami,
  audience,
  stepUp,
  hostAndOrigin,
  forgedToken,
];
