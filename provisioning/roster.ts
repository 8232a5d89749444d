import { randomInt } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { LabError } from '../core/errors.ts';
import { t } from '../core/messages.ts';
import type { LabUser } from './ensure-user.ts';

/** A student account: a lab user whose password was generated for the handout. */
export type Student = LabUser;

const usernamePattern = /^[a-z0-9][a-z0-9._@-]{0,254}$/;
/** What Keycloak's user profile refuses in first and last names (its person-name-prohibited-characters validator). */
const prohibitedInNames = /[<>&"$%!#?§;*~/\\|^=[\]{}()]/;
const emailPattern = /^[^\s@,;]+@[^\s@,;]+\.[^\s@,;]+$/;

/** Letters and digits that cannot be misread on paper (no 0/O, 1/l/I). */
const passwordAlphabet = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789';

export function generatePassword(length = 12): string {
  return Array.from({ length }, () => passwordAlphabet[randomInt(passwordAlphabet.length)]).join('');
}

/** `count` students named student01, student02, … with example.com addresses. */
export const maxStudents = 1000;

export function numberedRoster(count: number): Student[] {
  if (!Number.isInteger(count) || count < 1 || count > maxStudents) {
    throw new TypeError(`numberedRoster takes a whole number from 1 to ${maxStudents}, got ${count}`);
  }
  const width = Math.max(2, String(count).length);
  return Array.from({ length: count }, (_, index) => {
    const number = String(index + 1).padStart(width, '0');
    return {
      username: `student${number}`,
      email: `student${number}@example.com`,
      firstName: 'Student',
      lastName: number,
      password: generatePassword(),
    };
  });
}

/**
 * Parses a roster CSV: `username,email[,first name,last name]`, one student per line, an optional
 * header line naming the columns; quoted fields, a byte-order mark and CRLF line ends as
 * spreadsheets write them. Every problem is reported with its line number, and the whole roster is
 * checked before anything is created.
 */
export function parseRosterCsv(text: string, source: string): Student[] {
  let rows: Array<{ fields: string[]; line: number }>;
  try {
    rows = (
      parse(text, {
        bom: true,
        relax_column_count: true,
        skip_empty_lines: true,
        skip_records_with_empty_values: true,
        info: true,
      }) as unknown as Array<{ record: string[]; info: { lines: number } }>
    ).map(({ record, info }) => ({ fields: record, line: info.lines }));
  } catch (error) {
    const { lines, code, message } = error as { lines?: number; code?: string; message: string };
    const problem = code === 'CSV_QUOTE_NOT_CLOSED' ? t('provisioning.roster.quote-not-closed') : message.split('\n')[0]!;
    throw new LabError(
      'ERR_USAGE',
      lines
        ? t('provisioning.roster.unreadable-line', { source, line: String(lines), problem })
        : t('provisioning.roster.unreadable', { source, problem }),
    );
  }
  if (rows.length > 0 && rows[0]!.fields[0]?.trim().toLowerCase() === 'username') rows.shift();
  if (rows.length === 0)
    throw new LabError('ERR_USAGE', t('provisioning.roster.empty', { source }), { hint: t('provisioning.roster.empty.hint') });

  const seenUsernames = new Map<string, number>();
  const seenEmails = new Map<string, number>();
  return rows.map(({ fields, line }) => {
    const where = { source, line: String(line) };
    const [rawUsername = '', rawEmail = '', firstName = '', lastName = '', ...extra] = fields;
    // Keycloak stores usernames and emails in lower case, so "Ann" and "ann" are one account.
    const username = rawUsername.trim().toLowerCase();
    const email = rawEmail.trim().toLowerCase();
    if (extra.length > 0)
      throw new LabError('ERR_USAGE', t('provisioning.roster.too-many-columns', { ...where, count: String(4 + extra.length) }));
    if (!usernamePattern.test(username))
      throw new LabError('ERR_USAGE', t('provisioning.roster.invalid-username', { ...where, username: rawUsername.trim() }));
    if (!emailPattern.test(email))
      throw new LabError('ERR_USAGE', t('provisioning.roster.invalid-email', { ...where, email: rawEmail.trim() }));
    const firstUsername = seenUsernames.get(username);
    if (firstUsername)
      throw new LabError('ERR_USAGE', t('provisioning.roster.duplicate-username', { ...where, username, first: String(firstUsername) }));
    const firstEmail = seenEmails.get(email);
    if (firstEmail)
      throw new LabError('ERR_USAGE', t('provisioning.roster.duplicate-email', { ...where, email, first: String(firstEmail) }));
    for (const [field, value] of [
      ['first', firstName],
      ['last', lastName],
    ] as const) {
      const prohibited = prohibitedInNames.exec(value)?.[0];
      if (prohibited)
        throw new LabError(
          'ERR_USAGE',
          t('provisioning.roster.prohibited-character', { ...where, field, value: value.trim(), character: prohibited }),
        );
    }
    seenUsernames.set(username, line);
    seenEmails.set(email, line);
    // Keycloak 24+ asks at login for a missing first or last name; fill them in.
    return {
      username,
      email,
      firstName: firstName.trim() || username,
      lastName: lastName.trim() || 'Student',
      password: generatePassword(),
    };
  });
}

/** The same roster as CSV, for the handout (with passwords). */
export function formatRosterCsv(students: Student[]): string {
  return stringify([
    ['username', 'password', 'email', 'first name', 'last name'],
    ...students.map((student) => [student.username, student.password, student.email, student.firstName, student.lastName]),
  ]);
}
