/**
 * The expected-failures baselines the conformance suite reads (`--expected-failures`): per MCP
 * revision, the scenarios and checks whoami cannot pass, each with its reason. The
 * suite itself compares them with its results (an unlisted failure, or a listed one that now
 * passes, is exit 1); this module only finds the file and holds it to the lab's form, so a broken
 * baseline is one clear line before the suite runs rather than a stack trace from it.
 *
 * The form, a strict subset of the YAML the suite reads:
 *
 *     # what the file is for (comment lines and blank lines anywhere)
 *     server:
 *       - <scenario>[:<check-id>]  # why whoami cannot pass it, in one line
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { McpRevision } from '../../core/config.ts';
import { LabError } from '../../core/errors.ts';

export interface BaselineEntry {
  /** `scenario` (the whole scenario) or `scenario:check-id` (one check of it), as the suite reads it. */
  id: string;
  /** The one-line comment after the entry. */
  reason: string;
}

export interface Baseline {
  file: string;
  entries: BaselineEntry[];
}

const baselinesDir = path.join(import.meta.dirname, 'baselines');

/**
 * Where the baseline of a server of `revision` is: baselines/<revision>.yml. One per revision, not
 * per auth mode: the proxy's token satisfies either mode, and behind it the 1.x server answers the
 * same in both (measured; the e2e tier runs both against the one baseline).
 */
export function baselineFile(revision: McpRevision): string {
  return path.join(baselinesDir, `${revision}.yml`);
}

export function readBaseline(file: string): Baseline {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new LabError('ERR_CONFIG', `No conformance baseline at ${file} (${(error as NodeJS.ErrnoException).code})`, { cause: error });
  }
  return parseBaseline(text, file);
}

const entryLine = /^\s+-\s+([\w.-]+(?::[\w.-]+)?)\s+#\s*(\S.*)$/;

export function parseBaseline(text: string, file: string): Baseline {
  const entries: BaselineEntry[] = [];
  let inServerList = false;
  for (const [index, line] of text.split('\n').entries()) {
    const where = `${file}:${index + 1}`;
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
    if (line.trimEnd() === 'server:') {
      inServerList = true;
      continue;
    }
    const entry = entryLine.exec(line);
    if (!entry && /^\s+-\s/.test(line)) {
      throw new LabError(
        'ERR_CONFIG',
        `${where}: "${line.trim()}" has no reason: write "- <scenario>[:<check-id>]  # why whoami cannot pass it"`,
      );
    }
    if (!entry || !inServerList) throw new LabError('ERR_CONFIG', `${where}: "${line.trim()}" is not "server:" or an entry below it`);
    const [, id, reason] = entry as unknown as [string, string, string];
    if (entries.some((known) => known.id === id)) throw new LabError('ERR_CONFIG', `${where}: ${id} is listed twice`);
    entries.push({ id, reason: reason.trim() });
  }
  const wholeScenarios = new Set(entries.filter(({ id }) => !id.includes(':')).map(({ id }) => id));
  const redundant = entries.find(({ id }) => id.includes(':') && wholeScenarios.has(id.split(':')[0]!));
  if (redundant) {
    throw new LabError('ERR_CONFIG', `${file}: ${redundant.id} is redundant: the whole scenario ${redundant.id.split(':')[0]} is listed`);
  }
  return { file, entries };
}
