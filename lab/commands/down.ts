import type { LabConfig } from '../../core/config.ts';
import { LabError } from '../../core/errors.ts';
import { isProcessAlive, stopProcess } from '../../core/process.ts';
import { clearLabState, readLabState } from '../lab-state.ts';

/** `lab down`: stops a lab started with `lab up --detach`. Nothing running is not an error. */
export async function down(config: LabConfig): Promise<number> {
  const state = readLabState(config);
  if (!state || !isProcessAlive(state.pid)) {
    clearLabState(config);
    console.log('No lab is running.');
    return 0;
  }
  if (!(await stopProcess(state.pid, { graceMs: 60_000 }))) {
    throw new LabError('ERR_NOT_RUNNING', `The lab (pid ${state.pid}) did not stop within 60 s`, {
      hint: `kill it with \`kill -9 ${state.pid}\``,
    });
  }
  clearLabState(config);
  console.log(`Lab stopped (pid ${state.pid}).`);
  return 0;
}
