import type { DiagnosisId } from '../../lab/check/diagnoses.ts';
import { runLab } from './run-command.ts';

/** What `lab check --json` prints. */
export interface JsonReport {
  passed: boolean;
  checkpoint: number;
  sdk?: string;
  results: Array<{ name: string; status: 'pass' | 'fail' | 'skip'; detail: string; diagnosis?: { id: DiagnosisId } }>;
}

/** `lab check URL --json FLAGS…` as a learner runs it, with the test lab's settings; its report parsed. */
export async function checkServer(
  url: string,
  ...flags: string[]
): Promise<{ exitCode: number | undefined; report: JsonReport; stdout: string; stderr: string }> {
  const result = await runLab(['check', url, '--json', ...flags], {}, 120_000);
  let report: JsonReport;
  try {
    report = JSON.parse(result.stdout) as JsonReport;
  } catch {
    throw new Error(`lab check printed no JSON (exit ${result.exitCode}):\n${result.stdout}\n${result.stderr}`);
  }
  return { exitCode: result.exitCode, report, stdout: result.stdout, stderr: result.stderr };
}

/** The diagnoses of the checks that failed, in order. */
export const failedDiagnoses = (report: JsonReport): DiagnosisId[] =>
  report.results.filter(({ status }) => status === 'fail').map(({ diagnosis }) => diagnosis!.id);
