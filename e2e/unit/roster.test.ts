import { parse } from 'csv-parse/sync';
import { LabError } from '../../core/errors.ts';
import { formatRosterCsv, generatePassword, maxStudents, numberedRoster, parseRosterCsv, type Student } from '../../provisioning/roster.ts';
import { expect, test } from '@playwright/test';

/** Passwords are random: compare the rest. */
const withoutPasswords = (students: Student[]) => students.map(({ password: _password, ...student }) => student);

function refusalOf(csv: string): { code: string; line: string } {
  try {
    parseRosterCsv(csv, 'roster.csv');
  } catch (error) {
    if (!(error instanceof LabError)) throw error;
    return { code: error.code, line: error.toLine() };
  }
  return { code: 'none', line: 'the roster was accepted' };
}

test.describe('parseRosterCsv', () => {
  test('reads a roster as spreadsheets write it: a BOM, a header, CRLF lines, a blank line, quoted fields, a comma in a name', () => {
    const csv =
      '\uFEFFusername,email,first name,last name\r\nroster-ann,roster-ann@example.com,"Ann, Jr.",O\'Brien\r\n\r\nroster-bob,roster-bob@example.com\r\n';

    expect(withoutPasswords(parseRosterCsv(csv, 'roster.csv'))).toEqual([
      { username: 'roster-ann', email: 'roster-ann@example.com', firstName: 'Ann, Jr.', lastName: "O'Brien" },
      { username: 'roster-bob', email: 'roster-bob@example.com', firstName: 'roster-bob', lastName: 'Student' },
    ]);
  });

  test('takes the first line as a student when it is not a header', () => {
    expect(
      withoutPasswords(parseRosterCsv('\uFEFFann,ann@example.com\nbob,bob@example.com', 'roster.csv')).map(({ username }) => username),
    ).toEqual(['ann', 'bob']);
  });

  test('stores usernames and emails in lower case and trims every field, as Keycloak does', () => {
    expect(withoutPasswords(parseRosterCsv('  Ann.Lee , Ann.Lee@Example.COM ,  Ann , Lee \n', 'roster.csv'))).toEqual([
      { username: 'ann.lee', email: 'ann.lee@example.com', firstName: 'Ann', lastName: 'Lee' },
    ]);
  });

  test('gives each student a fresh password for the handout', () => {
    const [ann, bob] = parseRosterCsv('ann,ann@example.com\nbob,bob@example.com\n', 'roster.csv');

    expect(ann!.password).toMatch(/^[a-hjkmnp-zA-HJKMNP-Z2-9]{12}$/);
    expect(bob!.password).not.toBe(ann!.password);
  });

  test('refuses a bad row naming the file and its line', () => {
    const cases: Array<[string, string]> = [
      [
        'username,email\nann,ann@example.com\nbob,bob@example.com\nAnn,ann2@example.com\n',
        'roster.csv line 4: duplicate username "ann" (first on line 2)',
      ],
      ['ann,ann@example.com\nbob,ANN@example.com\n', 'roster.csv line 2: duplicate email "ann@example.com" (first on line 1)'],
      ['carl,carl@example.com\ndora,dora-at-example\n', 'roster.csv line 2: invalid email "dora-at-example"'],
      ['ann,ann@example.com\n"Bob Smith",bob@example.com\n', 'roster.csv line 2: invalid username "Bob Smith" (letters, digits, . _ - @)'],
      [',ann@example.com\n', 'roster.csv line 1: invalid username "" (letters, digits, . _ - @)'],
      [
        'ann,ann@example.com,Ann,Lee,Room 4\n',
        'roster.csv line 1: expected at most 4 columns (username,email,first name,last name), got 5',
      ],
      [
        'username,email,first name,last name\r\ncarl,carl@example.com,"Carl ""The Hat""",Smith\r\n',
        'roster.csv line 2: first name "Carl "The Hat"" has a character Keycloak does not accept in names (")',
      ],
      [
        'ann,ann@example.com,Ann,<b>Lee</b>\n',
        'roster.csv line 1: last name "<b>Lee</b>" has a character Keycloak does not accept in names (<)',
      ],
    ];
    for (const [csv, line] of cases) expect(refusalOf(csv), csv).toEqual({ code: 'ERR_USAGE', line });
  });

  // csv-parse finds an open quote only at the end of the file, so the line it names is the last one.
  test('refuses a quoted field left open on the last line, naming that line', () => {
    expect(refusalOf('ann,ann@example.com\nbob,bob@example.com\ndora,dora@example.com,"Dora\n')).toEqual({
      code: 'ERR_USAGE',
      line: 'roster.csv line 3: a quoted field is not closed',
    });
  });

  test('refuses a roster with no students, saying what a line looks like', () => {
    for (const csv of ['', '\n\n', 'username,email\n', ' , \r\n']) {
      expect(refusalOf(csv), JSON.stringify(csv)).toEqual({
        code: 'ERR_USAGE',
        line: 'roster.csv has no students — one line per student: username,email[,first name,last name]',
      });
    }
  });
});

test.describe('numberedRoster', () => {
  test('names students student01, student02, … with example.com addresses', () => {
    expect(withoutPasswords(numberedRoster(2))).toEqual([
      { username: 'student01', email: 'student01@example.com', firstName: 'Student', lastName: '01' },
      { username: 'student02', email: 'student02@example.com', firstName: 'Student', lastName: '02' },
    ]);
  });

  test('pads the numbers to the widest one, so the names sort', () => {
    const names = numberedRoster(maxStudents).map(({ username }) => username);

    expect(names[0]).toBe('student0001');
    expect(names.at(-1)).toBe('student1000');
    expect([...names].sort()).toEqual(names);
  });

  test('refuses a count that is not a whole number from 1 to the most a room has', () => {
    for (const count of [0, -1, 2.5, maxStudents + 1, Number.NaN]) {
      expect(() => numberedRoster(count), String(count)).toThrow(
        `numberedRoster takes a whole number from 1 to ${maxStudents}, got ${count}`,
      );
    }
  });
});

test.describe('passwords and the handout CSV', () => {
  test('a password has no characters that are misread on paper', () => {
    const passwords = Array.from({ length: 200 }, () => generatePassword());

    expect(passwords.join('')).not.toMatch(/[01oOlI]/);
    expect(new Set(passwords).size).toBe(200);
    expect(generatePassword(20)).toHaveLength(20);
  });

  test('the handout CSV reads back to the same students, commas and quotes in names included', () => {
    const students: Student[] = [
      { username: 'ann', password: 'pw1', email: 'ann@example.com', firstName: 'Ann, Jr.', lastName: "O'Brien" },
      { username: 'bob', password: 'pw2', email: 'bob@example.com', firstName: 'Bob "B"', lastName: 'Student' },
    ];

    const rows = parse(formatRosterCsv(students), { columns: true }) as Array<Record<string, string>>;

    expect(rows).toEqual(
      students.map((student) => ({
        username: student.username,
        password: student.password,
        email: student.email,
        'first name': student.firstName,
        'last name': student.lastName,
      })),
    );
  });
});
