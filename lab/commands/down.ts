import type { LabConfig } from '../../core/config.ts';
import { LabError } from '../../core/errors.ts';
import { t } from '../../core/messages.ts';
import { isProcessAlive, stopProcess } from '../../core/process.ts';
import { clearLabState, readLabState } from '../lab-state.ts';

/** `lab down`: stops a lab started with `lab up --detach`. Nothing running is not an error. */
export async function down(config: LabConfig): Promise<number> {
  const state = readLabState(config);
  if (!state || !isProcessAlive(state.pid)) {
    clearLabState(config);
    console.log(t('cli.down.not-running'));
    return 0;
  }
  if (!(await stopProcess(state.pid, { graceMs: 60_000 }))) {
    const pid = String(state.pid);
    throw new LabError('ERR_NOT_RUNNING', t('cli.down.did-not-stop', { pid }), { hint: t('cli.down.kill', { pid }) });
  }
  clearLabState(config);
  console.log(t('cli.down.stopped', { pid: String(state.pid) }));
  return 0;
}
