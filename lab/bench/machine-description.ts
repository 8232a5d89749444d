import { readFileSync } from 'node:fs';
import os from 'node:os';

/** "AMD EPYC, 2 cores, 23.4 GiB, Linux 6.1, Node v24.21.0" */
export function describeMachine(javaMajorVersion: number | undefined): string {
  const cpuModel = /model name\s*:\s*(.+)/.exec(safeRead('/proc/cpuinfo'))?.[1]?.trim() ?? os.cpus()[0]?.model ?? 'unknown CPU';
  return [
    cpuModel,
    `${os.availableParallelism()} cores`,
    `${(os.totalmem() / 1024 ** 3).toFixed(1)} GiB`,
    `${os.type()} ${os.release()}`,
    `Node ${process.version}`,
    ...(javaMajorVersion ? [`Java ${javaMajorVersion}`] : []),
  ].join(', ');
}

function safeRead(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}
