import type KeycloakAdminClient from '@keycloak/keycloak-admin-client';
import type { LabConfig } from '../core/config.ts';
import { LabError } from '../core/errors.ts';
import { t } from '../core/messages.ts';
import { toAdminError } from './admin-client.ts';
import type { Change } from './change.ts';
import { ensureUser } from './ensure-user.ts';
import type { Student } from './roster.ts';

/** One account per student, each able to log in straight away (see ensureUser). */
export async function provisionStudents(admin: KeycloakAdminClient, students: Student[], lab: LabConfig): Promise<Change[]> {
  const changes: Change[] = [];
  for (const student of students) {
    try {
      changes.push(await ensureUser(admin, lab.realm.name, lab.keycloak.adminUrl, student));
    } catch (error) {
      const translated = toAdminError(error, lab.keycloak.adminUrl, lab.keycloak.adminUsername);
      if (translated instanceof LabError) throw translated;
      throw new LabError(
        'ERR_PROVISIONING',
        t('provisioning.student.failed', { username: student.username, reason: (error as Error).message }),
        { cause: error },
      );
    }
  }
  return changes;
}

/** "12 created, 28 unchanged" */
export function countActions(changes: Change[]): string {
  const counts = new Map<string, number>();
  for (const { action } of changes) counts.set(action, (counts.get(action) ?? 0) + 1);
  return [...counts]
    .map(([action, count]) => t('provisioning.change.count', { action, count: String(count) }))
    .join(t('config.list.separator'));
}
