import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { LabConfig } from '../core/config.ts';

/** Files of a running lab: its state (for `lab down`) and logs, in `config.stateDir` (git ignores it). */
export interface LabState {
  pid: number;
  ready: boolean;
  startedAt: string;
  summary?: string;
}

const statePath = (config: LabConfig) => path.join(config.stateDir, 'state.json');

export function readLabState(config: LabConfig): LabState | undefined {
  if (!existsSync(statePath(config))) return undefined;
  try {
    return JSON.parse(readFileSync(statePath(config), 'utf8')) as LabState;
  } catch {
    return undefined;
  }
}

export function writeLabState(config: LabConfig, state: LabState): void {
  mkdirSync(config.stateDir, { recursive: true });
  writeFileSync(statePath(config), `${JSON.stringify(state, null, 2)}\n`);
}

export function clearLabState(config: LabConfig): void {
  rmSync(statePath(config), { force: true });
}
