import type { LabConfig } from '../../core/config.ts';
import { LabError } from '../../core/errors.ts';
import type { ProgressView, StudentProgress } from '../classroom/progress-server.ts';

/**
 * `lab classroom progress`: who has passed which checkpoint, from the running lab's progress
 * server (students report with `lab check --report`). The page at /progress shows the same.
 */
export async function classroomProgress(config: LabConfig): Promise<number> {
  const url = `http://localhost:${config.classroom.progressPort}/progress.json`;
  let view: ProgressView;
  try {
    view = (await (await fetch(url, { signal: AbortSignal.timeout(5_000) })).json()) as ProgressView;
  } catch {
    throw new LabError('ERR_NOT_RUNNING', `No lab answers at ${url}`, { hint: 'start it with `npm run lab -- up --detach`' });
  }
  if (view.students.length === 0) {
    console.log(
      'No students yet: create them with `npm run lab -- classroom --students N`; they report with `npm run lab -- check --report`.',
    );
    return 0;
  }
  const rows = view.students.map((student) => [student.username, checkpointCell(student, '1'), checkpointCell(student, '2')]);
  const widths = [0, 1, 2].map((column) =>
    Math.max(...[['student', 'checkpoint 1', 'checkpoint 2'], ...rows].map((row) => row[column]!.length)),
  );
  for (const row of [['student', 'checkpoint 1', 'checkpoint 2'], ...rows])
    console.log(
      row
        .map((cell, column) => cell.padEnd(widths[column]!))
        .join('  ')
        .trimEnd(),
    );
  const done = view.students.filter(({ checkpoints }) => checkpoints['2']?.passed).length;
  console.log(`${done} of ${view.students.length} students have passed checkpoint 2. The page: ${config.classroom.progressUrl}/progress`);
  return 0;
}

function checkpointCell({ checkpoints }: StudentProgress, checkpoint: '1' | '2'): string {
  const result = checkpoints[checkpoint];
  if (!result) return '—';
  return result.passed ? '✓ passed' : `✗ ${result.failed.map(({ diagnosis, name }) => diagnosis ?? name).join(', ')}`;
}
