import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { LabConfig } from '../core/config.ts';
import type { Student } from '../provisioning/roster.ts';

/**
 * The classroom's roster with its passwords, kept beside the handout: `lab reset` restores these
 * passwords, and provisioning the same roster again keeps them, so printed handouts stay valid.
 * Readable by the instructor's user only.
 */
export function classroomPaths(config: LabConfig) {
  const dir = path.join(config.stateDir, 'classroom');
  return {
    dir,
    students: path.join(dir, 'students.json'),
    handoutHtml: path.join(dir, 'handout.html'),
    handoutCsv: path.join(dir, 'handout.csv'),
  };
}

export function readClassroom(config: LabConfig): Student[] {
  const { students } = classroomPaths(config);
  if (!existsSync(students)) return [];
  return JSON.parse(readFileSync(students, 'utf8')) as Student[];
}

export function writeClassroom(config: LabConfig, students: Student[], handoutHtml: string, handoutCsv: string): void {
  const paths = classroomPaths(config);
  mkdirSync(paths.dir, { recursive: true });
  // `mode` applies only when a file is created: set it on files (and a folder) that already exist too.
  chmodSync(paths.dir, 0o700);
  for (const [file, content] of [
    [paths.students, `${JSON.stringify(students, null, 2)}\n`],
    [paths.handoutHtml, handoutHtml],
    [paths.handoutCsv, handoutCsv],
  ] as const) {
    writeFileSync(file, content, { mode: 0o600 });
    chmodSync(file, 0o600);
  }
}

/** Students already provisioned keep their password; new ones get the generated one. */
export function keepKnownPasswords(roster: Student[], known: Student[]): Student[] {
  const knownPasswords = new Map(known.map((student) => [student.username, student.password]));
  return roster.map((student) => ({ ...student, password: knownPasswords.get(student.username) ?? student.password }));
}
