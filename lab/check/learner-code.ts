/**
 * What `lab check DIR` may read in the learner's project when their server does not answer: their
 * code (whoami.js, whoami.py, …) and the logs they kept beside it (*.log), the installed packages
 * and virtual environments left out. Small files only, top folder and its src/; never a throw.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/** Where a pattern was found: the file (relative to the project), its line number and the line. */
export interface Finding {
  file: string;
  line: number;
  text: string;
}

const codeFile = /\.(?:[cm]?[jt]s|py)$/;
const logFile = /\.log$/;
/** Folders never looked in: packages, environments, and anything hidden (.venv, .git). */
const skipped = new Set(['node_modules', '__pycache__', 'dist', 'build']);
const maxBytes = 512 * 1024;

/** The code of the OIDC tab's metadata call: `{ type: 'oidc' }` (Node.js) or `AuthServerType.OIDC` (Python). */
export const oidcDiscoveryInCode = /\btype\s*:\s*(['"`])oidc\1|AuthServerType\.OIDC\b/;
/** What the tutorial's server printed as it stopped: mcp-auth's and mcpauth's failed discovery, in the same words. */
export const oidcDiscoveryFailedInLog = /Failed to fetch server config from \S*\/\.well-known\/openid-configuration/;

/** `text` as a pattern that matches it literally. */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A line that is only a comment (`//`, `#`, `/*`, ` * `): what the code says it does, not what it does. */
const commentLine = /^\s*(?:\/\/|#|\/\*|\*)/;

/** The first line of the project's code matching `pattern`, comments left out. */
export function findInCode(dir: string, pattern: RegExp): Finding | undefined {
  return findIn(dir, codeFile, (line) => !commentLine.test(line) && pattern.test(line));
}

/** The first line of the project's logs matching `pattern`. */
export function findInLogs(dir: string, pattern: RegExp): Finding | undefined {
  return findIn(dir, logFile, (line) => pattern.test(line));
}

function findIn(dir: string, fileName: RegExp, matches: (line: string) => boolean): Finding | undefined {
  for (const file of filesOf(dir, fileName)) {
    let text: string;
    try {
      text = readFileSync(path.join(dir, file), 'utf8');
    } catch {
      continue;
    }
    const lines = text.split('\n');
    const index = lines.findIndex(matches);
    if (index >= 0) return { file, line: index + 1, text: lines[index]!.trim() };
  }
  return undefined;
}

/** The files of the top folder, then of src/, whose names match, in name order. */
function filesOf(dir: string, fileName: RegExp): string[] {
  return ['.', 'src'].flatMap((folder) => {
    let names: string[];
    try {
      names = readdirSync(path.join(dir, folder)).sort();
    } catch {
      return [];
    }
    return names
      .filter((name) => !name.startsWith('.') && !skipped.has(name) && fileName.test(name))
      .map((name) => path.join(folder, name))
      .filter((file) => {
        try {
          const stats = statSync(path.join(dir, file));
          return stats.isFile() && stats.size <= maxBytes;
        } catch {
          return false;
        }
      });
  });
}
