import { expect } from '@playwright/test';
import type { CommandResult } from './run-command.ts';

/** `lab doctor` found one problem: the ✗ line of `check`, with its fix and these fragments, and no other. */
export function expectOnlyProblem(result: CommandResult, check: string, ...fragments: string[]): void {
  expect(result.exitCode, result.stdout + result.stderr).toBe(1);
  const problems = result.stdout.split('\n').filter((line) => line.startsWith('✗ '));
  expect(problems, result.stdout).toHaveLength(1);
  expect(problems[0]).toContain(`✗ ${check}: `);
  expect(problems[0]).toContain(' — fix: ');
  for (const fragment of fragments) expect(problems[0]).toContain(fragment);
  expect(result.stderr).toBe('');
}

/** The same, and the closing line that counts it: one problem. */
export function expectOnlyProblemCounted(result: CommandResult, check: string, ...fragments: string[]): void {
  expectOnlyProblem(result, check, ...fragments);
  expect(result.stdout.trim().split('\n').at(-1)).toBe('1 problem found; fix them and run `npm run lab -- doctor` again.');
}

/** `lab doctor`'s lines, each as its mark and check name ("✓ metadata", "- redirect URI"), without the closing line. */
export function checkNames(result: CommandResult): string[] {
  return result.stdout
    .trim()
    .split('\n')
    .slice(0, -1)
    .map((line) => line.split(':')[0]!);
}
