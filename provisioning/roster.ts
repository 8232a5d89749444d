import { randomInt } from 'node:crypto';
import { LabError } from '../lab/errors.ts';
import type { LabUser } from './ensure-user.ts';

/** A student account: a lab user whose password was generated for the handout. */
export type Student = LabUser;

const usernamePattern = /^[a-z0-9][a-z0-9._@-]{0,254}$/;
const emailPattern = /^[^\s@,;]+@[^\s@,;]+\.[^\s@,;]+$/;

/** Letters and digits that cannot be misread on paper (no 0/O, 1/l/I). */
const passwordAlphabet = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789';

export function generatePassword(length = 12): string {
  return Array.from({ length }, () => passwordAlphabet[randomInt(passwordAlphabet.length)]).join('');
}

/** `count` students named student01, student02, … with example.com addresses. */
export function numberedRoster(count: number): Student[] {
  if (!Number.isInteger(count) || count < 1 || count > 1000) {
    throw new LabError('ERR_USAGE', `--students takes a whole number from 1 to 1000, got "${count}"`);
  }
  const width = Math.max(2, String(count).length);
  return Array.from({ length: count }, (_, index) => {
    const number = String(index + 1).padStart(width, '0');
    return { username: `student${number}`, email: `student${number}@example.com`, firstName: 'Student', lastName: number, password: generatePassword() };
  });
}

/**
 * Parses a roster CSV: `username,email[,first name,last name]`, one student per line, an optional
 * header line naming the columns. Every problem is reported with its line number, and the whole
 * roster is checked before anything is created.
 */
export function parseRosterCsv(text: string, source: string): Student[] {
  const lines = text.split(/\r?\n/).map((line, index) => ({ line, number: index + 1 })).filter(({ line }) => line.trim() !== '');
  if (lines.length > 0 && /^\s*"?username"?\s*,/i.test(lines[0]!.line)) lines.shift();
  if (lines.length === 0) throw new LabError('ERR_USAGE', `${source} has no students`, { hint: 'one line per student: username,email[,first name,last name]' });

  const seenUsernames = new Map<string, number>();
  const seenEmails = new Map<string, number>();
  return lines.map(({ line, number }) => {
    const where = `${source} line ${number}`;
    const [rawUsername = '', rawEmail = '', firstName = '', lastName = '', ...extra] = splitCsvLine(line, where);
    // Keycloak stores usernames and emails in lower case, so "Ann" and "ann" are one account.
    const username = rawUsername.trim().toLowerCase();
    const email = rawEmail.trim().toLowerCase();
    if (extra.length > 0) throw new LabError('ERR_USAGE', `${where}: expected at most 4 columns (username,email,first name,last name), got ${4 + extra.length}`);
    if (!usernamePattern.test(username)) throw new LabError('ERR_USAGE', `${where}: invalid username "${rawUsername.trim()}" (letters, digits, . _ - @)`);
    if (!emailPattern.test(email)) throw new LabError('ERR_USAGE', `${where}: invalid email "${rawEmail.trim()}"`);
    const firstUsername = seenUsernames.get(username);
    if (firstUsername) throw new LabError('ERR_USAGE', `${where}: duplicate username "${username}" (first on line ${firstUsername})`);
    const firstEmail = seenEmails.get(email);
    if (firstEmail) throw new LabError('ERR_USAGE', `${where}: duplicate email "${email}" (first on line ${firstEmail})`);
    seenUsernames.set(username, number);
    seenEmails.set(email, number);
    // Keycloak 24+ asks at login for a missing first or last name; fill them in.
    return { username, email, firstName: firstName.trim() || username, lastName: lastName.trim() || 'Student', password: generatePassword() };
  });
}

/** One CSV line; fields may be double-quoted, with "" for a quote inside. */
function splitCsvLine(line: string, where: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let index = 0; index < line.length; index++) {
    const character = line[index]!;
    if (quoted) {
      if (character === '"' && line[index + 1] === '"') { field += '"'; index++; }
      else if (character === '"') quoted = false;
      else field += character;
    } else if (character === '"') quoted = true;
    else if (character === ',') { fields.push(field); field = ''; }
    else field += character;
  }
  if (quoted) throw new LabError('ERR_USAGE', `${where}: a quoted field is not closed`);
  fields.push(field);
  return fields;
}

/** The same CSV, for the handout (with passwords). */
export function formatRosterCsv(students: Student[]): string {
  const quote = (value: string) => (/[",\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value);
  return ['username,password,email,first name,last name', ...students.map((student) =>
    [student.username, student.password, student.email, student.firstName, student.lastName].map(quote).join(','))].join('\n') + '\n';
}
