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
