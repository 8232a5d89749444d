import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { formatSeconds } from '../../progress.ts';
import type { BenchExperiment } from '../experiment.ts';
import { timeBareKeycloakStartMs, timeLabUpMs } from '../startup-timing.ts';

/**
 * Start-up, warm: `lab up` with its Keycloak copy built and the realm already in its database (as
 * every start after a room's first), next to that same copy started alone with `kc.sh start
 * --optimized`, alternating. One cold `lab up` first, unmeasured, builds the copy and the realm.
 */
export const startup: BenchExperiment = {
  name: 'startup',
  measuring: "start-up, warm: `kc.sh start --optimized` of the lab's copy alone and `lab up`, alternating",
  async run({ config, options, ports }) {
    const stateDir = mkdtempSync(path.join(os.tmpdir(), 'lab-bench-'));
    const coldMs = await timeLabUpMs(config, ports, stateDir);
    const bareMs: number[] = [];
    const labMs: number[] = [];
    const summary = [`start-up: a first, cold \`lab up\` (unmeasured) took ${formatSeconds(coldMs)}`];
    for (let run = 1; run <= options.runs; run++) {
      bareMs.push(await timeBareKeycloakStartMs(config, ports, stateDir));
      summary.push(`start-up run ${run}: kc.sh start --optimized ${formatSeconds(bareMs.at(-1)!)}`);
      labMs.push(await timeLabUpMs(config, ports, stateDir));
      summary.push(`start-up run ${run}: lab up ${formatSeconds(labMs.at(-1)!)}`);
    }
    const ratio = median(labMs) / median(bareMs);
    summary.push(`start-up: lab up / kc.sh start --optimized ${ratio.toFixed(2)}×`);
    return {
      section: {
        heading: 'Start-up (warm: the Keycloak copy built and the realm in its database)',
        columns: ['what', ...bareMs.map((_, index) => `run ${index + 1}`), 'median'],
        rows: [
          [
            "bare `kc.sh start --optimized` of the lab's copy until /health/ready (the floor)",
            ...bareMs.map(formatSeconds),
            formatSeconds(median(bareMs)),
          ],
          [
            '`lab up` until ready (Keycloak, provisioning, whoami server, Inspector)',
            ...labMs.map(formatSeconds),
            formatSeconds(median(labMs)),
          ],
        ],
        notes: [`lab up / bare: **${ratio.toFixed(2)}×** (target ≤ 1.15×).`],
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
