import { clearLabState, isProcessAlive, readLabState } from '../lab-state.ts';
import { LabError } from '../errors.ts';

/** `lab down`: stops a lab started with `lab up --detach`. Nothing running is not an error. */
export async function down(): Promise<number> {
  const state = readLabState();
  if (!state || !isProcessAlive(state.pid)) {
    clearLabState();
    console.log('No lab is running.');
    return 0;
  }
  process.kill(state.pid, 'SIGTERM');
  const deadline = Date.now() + 60_000;
  while (isProcessAlive(state.pid)) {
    if (Date.now() > deadline) {
      throw new LabError('ERR_NOT_RUNNING', `The lab (pid ${state.pid}) did not stop within 60 s`, { hint: `kill it with \`kill -9 ${state.pid}\`` });
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  clearLabState();
  console.log(`Lab stopped (pid ${state.pid}).`);
  return 0;
}
