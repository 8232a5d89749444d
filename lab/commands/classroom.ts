import { readFileSync } from 'node:fs';
import type { LabConfig } from '../../core/config.ts';
import { LabError } from '../../core/errors.ts';
import { classroomPaths, keepKnownPasswords, readClassroom, writeClassroom } from '../classroom-state.ts';
import { renderHandoutHtml } from '../handout.ts';
import { step } from '../progress.ts';
import { connectToKeycloak, provisionLab } from '../../provisioning/provision.ts';
import { countActions, provisionStudents } from '../../provisioning/provision-students.ts';
import { formatRosterCsv, numberedRoster, parseRosterCsv, type Student } from '../../provisioning/roster.ts';

/**
 * `lab classroom --students N | --roster FILE [--show-passwords]`: one account per student in the
 * running lab's realm, and a handout (printable HTML + CSV). The roster is checked whole before
 * anything is created. Passwords go to the handout, not the console, unless asked for.
 */
export async function classroom(
  config: LabConfig,
  { students, roster, showPasswords }: { students?: number; roster?: string; showPasswords: boolean },
): Promise<number> {
  const wanted = students !== undefined ? numberedRoster(students) : readRoster(roster!);
  const studentAccounts = keepKnownPasswords(wanted, readClassroom(config));

  const admin = await step(
    'connecting to Keycloak',
    () => connectToKeycloak(config),
    () => `connected to Keycloak at ${config.keycloak.adminUrl}`,
  );
  await step(
    `provisioning realm ${config.realm.name}`,
    () => provisionLab(admin, config),
    (changes) => `realm ${config.realm.name} ready (${countActions(changes)})`,
  );
  await step(
    `provisioning ${studentAccounts.length} student accounts`,
    () => provisionStudents(admin, studentAccounts, config),
    (result) => `${result.length} student accounts ready (${countActions(result)})`,
  );

  writeClassroom(config, studentAccounts, renderHandoutHtml(studentAccounts, config), formatRosterCsv(studentAccounts));
  const paths = classroomPaths(config);
  console.log(`Handout: ${paths.handoutHtml} (print it) and ${paths.handoutCsv}.`);
  if (showPasswords) {
    const width = Math.max(...studentAccounts.map(({ username }) => username.length));
    for (const { username, password } of studentAccounts) console.log(`  ${username.padEnd(width)}  ${password}`);
  } else {
    console.log('Passwords are in the handout only (add --show-passwords to print them).');
  }
  return 0;
}

function readRoster(roster: string): Student[] {
  let text: string;
  try {
    text = readFileSync(roster, 'utf8');
  } catch (error) {
    throw new LabError('ERR_USAGE', `Cannot read the roster ${roster} (${(error as NodeJS.ErrnoException).code ?? 'unreadable'})`);
  }
  return parseRosterCsv(text, roster);
}
