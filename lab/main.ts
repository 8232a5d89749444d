import { LabError } from './errors.ts';

/**
 * The one place that calls `process.exit`: runs a command, prints an expected failure as one
 * line (no stack), and anything unexpected with its stack.
 */
export async function runMain(command: () => Promise<number | void>): Promise<never> {
  try {
    const exitCode = await command();
    process.exit(exitCode ?? 0);
  } catch (error) {
    if (error instanceof LabError) {
      console.error(`error: ${error.toLine()}`);
      process.exit(1);
    }
    console.error(error);
    process.exit(2);
  }
}
