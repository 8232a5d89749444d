import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { config } from './config.ts';

/** Files of a running lab: its state (for `lab down`) and logs. Git ignores the folder. */
export const labDir = config.stateDir;
const statePath = path.join(labDir, 'state.json');

export interface LabState {
  pid: number;
  ready: boolean;
  startedAt: string;
  summary?: string;
}

export function readLabState(): LabState | undefined {
  if (!existsSync(statePath)) return undefined;
  try {
    return JSON.parse(readFileSync(statePath, 'utf8')) as LabState;
  } catch {
    return undefined;
  }
}

export function writeLabState(state: LabState): void {
  mkdirSync(labDir, { recursive: true });
  writeFileSync(statePath, `${JSON.stringify(state, null, 2)}\n`);
}

export function clearLabState(): void {
  rmSync(statePath, { force: true });
}

export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
