/**
 * `npm test`'s first step: the type check (`npm run typecheck`'s two programs, one after the
 * other, single-threaded) beside the unit tier
 * (the command given, seconds) on the second core; fails when either fails. Each one's output is
 * printed whole when both are done, so that they never interleave.
 * Run: node scripts/type-check-beside.ts COMMAND [ARGS…]
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../core/config.ts';
import { runCommand } from '../core/process.ts';

const [command, ...args] = process.argv.slice(2);
if (!command) {
  console.error('usage: node scripts/type-check-beside.ts COMMAND [ARGS…]');
  process.exit(2);
}
// npm puts node_modules/.bin on PATH; run by hand, the command is looked up there too.
const local = path.join(repoRoot, 'node_modules', '.bin', command);
const [unitTier, typeCheck] = await Promise.all([
  runCommand(existsSync(local) ? local : command, args, { cwd: repoRoot }),
  typeCheckBoth(),
]);

/** The lab, then the 2026-07-28 server (server/revision-2026/tsconfig.json says why it is apart). */
async function typeCheckBoth() {
  const tsc = path.join(repoRoot, 'node_modules', '.bin', 'tsc');
  const lab = await runCommand(tsc, ['--noEmit'], { cwd: repoRoot });
  return lab.exitCode === 0 ? runCommand(tsc, ['--noEmit', '-p', 'server/revision-2026'], { cwd: repoRoot }) : lab;
}

process.stdout.write(unitTier.stdout);
process.stderr.write(unitTier.stderr);
if (typeCheck.exitCode !== 0) {
  process.stdout.write(typeCheck.stdout);
  process.stderr.write(typeCheck.stderr);
  console.error(`type check failed: tsc exited ${typeCheck.exitCode ?? 'without a code'}`);
}
process.exit(typeCheck.exitCode === 0 ? (unitTier.exitCode ?? 1) : 1);
