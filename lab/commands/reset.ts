import type { LabConfig } from '../../core/config.ts';
import { t } from '../../core/messages.ts';
import { readClassroom } from '../classroom-state.ts';
import { step } from '../progress.ts';
import { connectToKeycloak, provisionLab } from '../../provisioning/provision.ts';
import { countActions, provisionStudents } from '../../provisioning/provision-students.ts';
import { removeRegisteredClients } from '../../provisioning/registered-clients.ts';

/**
 * `lab reset`: between two sessions of a workshop, without restarting Keycloak — realm, client and
 * accounts back to their provisioned state (passwords restored, users re-enabled), brute-force
 * lock-outs cleared, the clients that registered themselves (dynamic registration, metadata
 * documents) removed, then every session signed out.
 */
export async function reset(config: LabConfig): Promise<number> {
  const students = readClassroom(config);
  const admin = await step(
    t('cli.reset.connecting'),
    () => connectToKeycloak(config),
    () => t('cli.reset.connected', { url: config.keycloak.adminUrl }),
  );
  await step(
    t('cli.reset.restoring-realm', { realm: config.realm.name }),
    () => provisionLab(admin, config),
    (changes) => t('cli.reset.realm-restored', { realm: config.realm.name, actions: countActions(changes) }),
  );
  if (students.length > 0) {
    await step(
      t('cli.reset.restoring-students', { count: String(students.length) }),
      () => provisionStudents(admin, students, config),
      (changes) => t('cli.reset.students-restored', { count: String(changes.length), actions: countActions(changes) }),
    );
  }
  // After the accounts: checking a password that a student changed counts as a failed login.
  await step(
    t('cli.reset.clearing-lock-outs'),
    () => admin.attackDetection.delAll({ realm: config.realm.name }),
    () => t('cli.reset.lock-outs-cleared', { realm: config.realm.name }),
  );
  await step(
    t('cli.reset.removing-clients'),
    () => removeRegisteredClients(admin, config.realm.name),
    (count) => t('cli.reset.clients-removed', { count }),
  );
  // Last, because checking a password logs in and so opens a session.
  await step(
    t('cli.reset.signing-out'),
    () => admin.realms.logoutAll({ realm: config.realm.name }),
    () => t('cli.reset.signed-out', { realm: config.realm.name }),
  );
  return 0;
}
