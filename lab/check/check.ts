/**
 * The shape of `lab check`: a list of small named checks (checks/*.ts, listed in check-list.ts),
 * each declaring what it needs from the checks before it and returning one line with, on a
 * failure, its diagnosis. The runner (check-server.ts) orders, skips and collects.
 */
import type { Browser } from 'playwright';
import type { LabConfig, McpRevision, ProviderSettings } from '../../core/config.ts';
import { t, type MessageKey } from '../../core/messages.ts';
import { diagnosis, type CheckDiagnosisId, type Diagnosis, type Sdk } from './diagnoses.ts';
import type { Credentials } from './provider-login.ts';
import type { Transport } from './mcp-session.ts';
import type { Answer, SseOpening } from './probes.ts';

/** The lines `lab check` prints, in the order it prints them. */
export const lineOrder = ['reachable', 'transport', 'checkpoint 1', 'metadata', 'checkpoint 2', 'forged token'] as const;
/** The lines of `lab check --revision 2026-07-28` (revision-2026/check-list.ts), in the order it prints them. */
export const revision2026LineOrder = [
  'reachable',
  'challenge',
  'metadata',
  'stateless',
  'whoami',
  'audience',
  'step-up',
  'host and origin',
  'forged token',
] as const;
export type LineName = (typeof lineOrder)[number] | (typeof revision2026LineOrder)[number];
export type Checkpoint = 1 | 2;
export type Status = 'pass' | 'fail' | 'skip';

export interface CheckResult {
  name: LineName;
  status: Status;
  /** In the language active when it is read (a getter): the learner's on the terminal, English in --json. */
  readonly detail: string;
  diagnosis?: Diagnosis;
}

/**
 * The words of a line: a string (no words of the lab's own: a test's, a quoted answer), or a
 * function that formats them from the message catalogue when the line is printed — so that one
 * run prints its lines in the learner's language and its `--json` in English (core/messages.ts).
 */
export type Text = string | (() => string);

export function textOf(text: Text): string {
  return typeof text === 'function' ? text() : text;
}

export interface CheckReport {
  url: string;
  /** The MCP revision whose requirements were checked: the tutorial's, or today's (`--revision`). */
  revision: McpRevision;
  checkpoint: Checkpoint;
  sdk: Sdk | undefined;
  results: CheckResult[];
  passed: boolean;
  /** Who signed in (checkpoint 2), and their token — for reporting to the room's lab, never printed. */
  login?: { username: string; accessToken: string };
}

export interface CheckOptions {
  url: string;
  checkpoint: Checkpoint;
  credentials: Credentials;
  config: LabConfig;
  /** A browser to sign in with; one is launched (and closed) when omitted. */
  browser?: Browser;
  /** The learner's project (`lab check DIR`), whose code and logs a diagnosis may look into. */
  project?: { dir: string };
  /** The MCP revision the checks are of; the tutorial's (2025-11-25) unless told. Its checks run as the full check (checkpoint 2). */
  revision?: McpRevision;
}

/** How the MCP endpoints answer a request that carries no token. */
export interface EndpointAnswers {
  sse: Omit<SseOpening, 'close'> | { error: string };
  mcp: Answer;
  /** Which transports carry a session without a token. */
  open: Record<Transport, boolean>;
  /** Either endpoint answered 401. */
  asksForToken: boolean;
  /** The tab the endpoints' answers suggest, when the root's did not say. */
  sdk: Sdk | undefined;
}

/** What the checks found out, for the checks after them. Each fact has one check that finds it. */
export interface Facts {
  /** Something answers at the URL; the tab it seems written in. */
  server: { sdk: Sdk | undefined };
  /** There is an MCP endpoint, and how it answers without a token. */
  withoutToken: EndpointAnswers;
  /** The transports that carry a session without a token (none when they ask for one). */
  transports: Transport[];
  /** Without a token, nothing MCP answers: the routes are behind the bearer middleware. */
  tokenRequired: true;
  /** A client finds the tab's authorization server (the lab's Keycloak, …) through the server's metadata. */
  metadataFindsAuthServer: true;
  /**
   * A user signed in at the authorization server; the claims whoami should return: the token's own
   * (a JWT, Keycloak's), or what the server's identity endpoint says of an opaque one (access-tokens.ts).
   */
  login: { username: string; accessToken: string; claims: Record<string, unknown> };
  /** The transports that carry a session with the user's token; `refused`: every endpoint answered 401. */
  withToken: { working: Transport[]; refused: boolean };
  /** (2026-07-28) Without a token the server answers 401; what its challenge names, when it names it. */
  challenge: { resourceMetadataUrl: string | undefined; scope: string | undefined };
  /** (2026-07-28) The server speaks the revision, statelessly: what server/discover and tools/list said. */
  modern: { supportedVersions: string[]; tools: string[] };
}
export type FactName = keyof Facts;

export interface CheckContext<Needs extends FactName> {
  options: CheckOptions;
  /** The server's origin. */
  base: URL;
  endpoints: Record<Transport, URL>;
  facts: Pick<Facts, Needs> & Partial<Facts>;
}

export interface Outcome {
  /** The line, when the check has something to say; a check may only find facts. */
  /** `detail` is formatted when read (a getter over the check's Text). */
  result?: { status: Status; readonly detail: string; diagnosis?: CheckDiagnosisId };
  found?: Partial<Facts>;
}

export interface Check<Needs extends FactName = FactName> {
  /** What the check looks at, in a few words. */
  name: string;
  /** The line its result is printed on. */
  line: LineName;
  /** The runs it belongs to: `lab check --checkpoint 1`, or the full check (checkpoint 2). */
  checkpoints: readonly Checkpoint[];
  /** Facts it cannot run without: when one is missing, it is skipped with the reason. */
  needs: readonly Needs[];
  /** The facts it finds, and what a check needing one is told when it did not. */
  provides?: { facts: readonly FactName[]; otherwise: Text };
  run(context: CheckContext<Needs>): Promise<Outcome>;
}

export function defineCheck<const Needs extends FactName = never>(check: Check<Needs>): Check<Needs> {
  return check;
}

/** A line's result whose detail is formatted when read, in the language active then. */
function lineResult(status: Status, text: Text, diagnosisId?: CheckDiagnosisId): NonNullable<Outcome['result']> {
  const result = {
    status,
    get detail() {
      return textOf(text);
    },
  };
  return diagnosisId ? Object.assign(result, { diagnosis: diagnosisId }) : result;
}

export const pass = (detail: Text, found?: Partial<Facts>): Outcome => ({ result: lineResult('pass', detail), found });
export const fail = (detail: Text, diagnosisId: CheckDiagnosisId, found?: Partial<Facts>): Outcome => ({
  result: lineResult('fail', detail, diagnosisId),
  found,
});
export const skip = (detail: Text): Outcome => ({ result: lineResult('skip', detail) });
export const found = (facts: Partial<Facts>): Outcome => ({ found: facts });

/** A check's line; its diagnosis worded for the tab `tab` (config.provider). Both stay in words formatted when read. */
export function toResult(line: LineName, result: NonNullable<Outcome['result']>, tab?: ProviderSettings): CheckResult {
  const printed = {
    name: line,
    status: result.status,
    get detail() {
      return result.detail;
    },
  };
  return result.diagnosis ? Object.assign(printed, { diagnosis: diagnosis(result.diagnosis, tab) }) : printed;
}

/** What probes.ts says of a request that got no answer (an Answer's `error`), by the catalogue's key: in the line's language when described. */
const probeErrors: Record<string, MessageKey> = {
  'no answer in time': 'check.answer.no-answer-in-time',
  'the stream sent no endpoint event in time': 'check.answer.no-endpoint-event',
};

/** An answer in a few words: its HTTP status, or what went wrong on the way. */
export function describeAnswer(answer: { status: number } | { error: string }): string {
  if ('error' in answer) {
    const key = probeErrors[answer.error];
    return quote(key ? t(key) : answer.error);
  }
  return `HTTP ${answer.status}`;
}

/**
 * A detail with the challenge the server sent: "… (WWW-Authenticate: …)"; without one, the detail
 * as it is, or (`sayMissing`) "… with no WWW-Authenticate header".
 */
export function withChallenge(detail: Text, header: string | null | undefined, maxLength: number, sayMissing = false): Text {
  const quoted = header ? quote(header, maxLength) : undefined;
  return () => {
    if (quoted) return t('check.with-challenge', { detail: textOf(detail), header: quoted });
    return sayMissing ? t('check.without-challenge', { detail: textOf(detail) }) : textOf(detail);
  };
}

export function transportLabel(transport: Transport): string {
  return transport === 'sse' ? 'SSE' : 'Streamable HTTP';
}

/**
 * A quoted value for a line, on one line: whole when short, else cut at a word with an ellipsis —
 * mid-word only when its first half has no space to cut at (a token, a long URL).
 */
export function quote(text: string, maxLength = 200): string {
  const oneLine = text.replace(/\s*\n\s*/g, ' ').trim();
  if (oneLine.length <= maxLength) return oneLine;
  // The last space up to one character past the limit: when that one is a space, the cut falls
  // between two words and keeps them both.
  const lastSpace = oneLine.slice(0, maxLength + 1).search(/\s+\S*$/);
  return `${lastSpace > maxLength / 2 ? oneLine.slice(0, lastSpace) : oneLine.slice(0, maxLength)}…`;
}

/** An error message's first line, whole: what follows is a call log or a stack, not for a line. */
export function firstLine(message: string): string {
  return message.trim().split('\n')[0] ?? '';
}
