import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { formatSeconds } from '../../progress.ts';
import type { BenchExperiment } from '../experiment.ts';
import { timeBareKeycloakStartMs, timeLabUpMs } from '../startup-timing.ts';

/** Start-up: bare Keycloak against the whole lab, alternating, each from a fresh database. */
export const startup: BenchExperiment = {
  name: 'startup',
  measuring: 'start-up: bare `kc.sh start-dev` and `lab up`, alternating, cold',
  async run({ config, options, ports }) {
    const bareMs: number[] = [];
    const labMs: number[] = [];
    const summary: string[] = [];
    for (let run = 1; run <= options.runs; run++) {
      bareMs.push(await timeBareKeycloakStartMs(config, ports));
      summary.push(`start-up run ${run}: bare kc.sh start-dev ${formatSeconds(bareMs.at(-1)!)}`);
      labMs.push(await timeLabUpMs(config, ports, mkdtempSync(path.join(os.tmpdir(), 'lab-bench-'))));
      summary.push(`start-up run ${run}: lab up ${formatSeconds(labMs.at(-1)!)}`);
    }
    const ratio = median(labMs) / median(bareMs);
    return {
      section: {
        heading: 'Start-up (cold: a fresh database each time)',
        columns: ['what', ...bareMs.map((_, index) => `run ${index + 1}`), 'median'],
        rows: [
          ['bare `kc.sh start-dev` until /health/ready', ...bareMs.map(formatSeconds), formatSeconds(median(bareMs))],
          [
            '`lab up` until ready (Keycloak, provisioning, whoami server, Inspector)',
            ...labMs.map(formatSeconds),
            formatSeconds(median(labMs)),
          ],
        ],
        notes: [`Ratio lab / bare: **${ratio.toFixed(2)}×** (target ≤ 1.15×).`],
      },
      summary,
    };
  },
};

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
