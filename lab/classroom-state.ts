import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { config } from './config.ts';
import type { Student } from '../provisioning/roster.ts';

/**
 * The classroom's roster with its passwords, kept beside the handout: `lab reset` restores these
 * passwords, and provisioning the same roster again keeps them, so printed handouts stay valid.
 */
export const classroomDir = path.join(config.stateDir, 'classroom');
const studentsPath = path.join(classroomDir, 'students.json');
export const handoutHtmlPath = path.join(classroomDir, 'handout.html');
export const handoutCsvPath = path.join(classroomDir, 'handout.csv');

export function readClassroom(): Student[] {
  if (!existsSync(studentsPath)) return [];
  return JSON.parse(readFileSync(studentsPath, 'utf8')) as Student[];
}

export function writeClassroom(students: Student[], handoutHtml: string, handoutCsv: string): void {
  mkdirSync(classroomDir, { recursive: true, mode: 0o700 });
  writeFileSync(studentsPath, `${JSON.stringify(students, null, 2)}\n`, { mode: 0o600 });
  writeFileSync(handoutHtmlPath, handoutHtml, { mode: 0o600 });
  writeFileSync(handoutCsvPath, handoutCsv, { mode: 0o600 });
}

/** Students already provisioned keep their password; new ones get the generated one. */
export function keepKnownPasswords(roster: Student[], known: Student[]): Student[] {
  const knownPasswords = new Map(known.map((student) => [student.username, student.password]));
  return roster.map((student) => ({ ...student, password: knownPasswords.get(student.username) ?? student.password }));
}
