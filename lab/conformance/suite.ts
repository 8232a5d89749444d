/**
 * The official MCP conformance suite, as the lab runs it: @modelcontextprotocol/conformance, pinned
 * exactly in package.json (0.2.0-alpha.12: its `latest` tag, 0.1.x, has no 2026-07-28 scenarios,
 * and the baselines name this version's scenario and check ids). Run with this Node.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { runNode, startWatched, type CommandResult, type WatchedProcess } from '../../core/process.ts';

const manifestPath = createRequire(import.meta.url).resolve('@modelcontextprotocol/conformance/package.json');
const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { version: string; bin: { conformance: string } };

export const suiteVersion = manifest.version;
const suiteEntry = path.join(path.dirname(manifestPath), manifest.bin.conformance);

/** The suite's own colours stay out of the log files. */
const plainOutput = { NO_COLOR: '1', FORCE_COLOR: '0' };

/** A suite command to its end, its output captured; killed after `timeoutMs`. */
export function runSuite(args: readonly string[], { timeoutMs }: { timeoutMs: number }): Promise<CommandResult> {
  return runNode(suiteEntry, args, { env: plainOutput, timeoutMs });
}

/** A suite command whose output is read while it runs (the `authorization` command's prompt). */
export function startSuite(args: readonly string[]): WatchedProcess {
  return startWatched(process.execPath, [suiteEntry, ...args], { env: plainOutput });
}
