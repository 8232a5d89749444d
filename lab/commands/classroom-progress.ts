import type { LabConfig } from '../../core/config.ts';
import { displayWidth, padEndDisplay } from '../../core/display-width.ts';
import { LabError } from '../../core/errors.ts';
import { t } from '../../core/messages.ts';
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
    throw new LabError('ERR_NOT_RUNNING', t('classroom.progress.not-running', { url }), { hint: t('classroom.progress.not-running.hint') });
  }
  if (view.students.length === 0) {
    console.log(t('classroom.progress.no-students'));
    return 0;
  }
  const header = [
    t('classroom.progress.column.student'),
    t('classroom.progress.column.checkpoint', { number: '1' }),
    t('classroom.progress.column.checkpoint', { number: '2' }),
  ];
  const rows = view.students.map((student) => [student.username, checkpointCell(student, '1'), checkpointCell(student, '2')]);
  // Columns a terminal shows: a Han character takes two.
  const widths = [0, 1, 2].map((column) => Math.max(...[header, ...rows].map((row) => displayWidth(row[column]!))));
  for (const row of [header, ...rows])
    console.log(
      row
        .map((cell, column) => padEndDisplay(cell, widths[column]!))
        .join('  ')
        .trimEnd(),
    );
  const done = view.students.filter(({ checkpoints }) => checkpoints['2']?.passed).length;
  console.log(
    t('classroom.progress.summary', {
      done: String(done),
      total: String(view.students.length),
      url: `${config.classroom.progressUrl}/progress`,
    }),
  );
  return 0;
}

function checkpointCell({ checkpoints }: StudentProgress, checkpoint: '1' | '2'): string {
  const result = checkpoints[checkpoint];
  if (!result) return '—';
  // The failed checks' diagnosis ids are codes: the same in every language.
  return result.passed ? t('classroom.progress.passed') : `✗ ${result.failed.map(({ diagnosis, name }) => diagnosis ?? name).join(', ')}`;
}
