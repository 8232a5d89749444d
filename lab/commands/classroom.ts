import { readFileSync } from 'node:fs';
import type { LabConfig } from '../../core/config.ts';
import { displayWidth, padEndDisplay } from '../../core/display-width.ts';
import { LabError } from '../../core/errors.ts';
import { t } from '../../core/messages.ts';
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
    t('classroom.step.connecting'),
    () => connectToKeycloak(config),
    () => t('classroom.step.connected', { url: config.keycloak.adminUrl }),
  );
  await step(
    t('classroom.step.provisioning-realm', { realm: config.realm.name }),
    () => provisionLab(admin, config),
    (changes) => t('classroom.step.realm-ready', { realm: config.realm.name, actions: countActions(changes) }),
  );
  await step(
    t('classroom.step.provisioning-students', { count: String(studentAccounts.length) }),
    () => provisionStudents(admin, studentAccounts, config),
    (result) => t('classroom.step.students-ready', { count: String(result.length), actions: countActions(result) }),
  );

  writeClassroom(config, studentAccounts, renderHandoutHtml(studentAccounts, config), formatRosterCsv(studentAccounts));
  const paths = classroomPaths(config);
  console.log(t('classroom.handout-written', { html: paths.handoutHtml, csv: paths.handoutCsv }));
  if (showPasswords) {
    const width = Math.max(...studentAccounts.map(({ username }) => displayWidth(username)));
    for (const { username, password } of studentAccounts) console.log(`  ${padEndDisplay(username, width)}  ${password}`);
  } else {
    console.log(t('classroom.passwords-in-handout'));
  }
  return 0;
}

function readRoster(roster: string): Student[] {
  let text: string;
  try {
    text = readFileSync(roster, 'utf8');
  } catch (error) {
    throw new LabError(
      'ERR_USAGE',
      t('classroom.roster-unreadable', { file: roster, code: (error as NodeJS.ErrnoException).code ?? 'none' }),
    );
  }
  return parseRosterCsv(text, roster);
}
