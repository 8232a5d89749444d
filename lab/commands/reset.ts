import type { LabConfig } from '../../core/config.ts';
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
    'connecting to Keycloak',
    () => connectToKeycloak(config),
    () => `connected to Keycloak at ${config.keycloak.adminUrl}`,
  );
  await step(
    `restoring realm ${config.realm.name}`,
    () => provisionLab(admin, config),
    (changes) => `realm ${config.realm.name} restored (${countActions(changes)})`,
  );
  if (students.length > 0) {
    await step(
      `restoring ${students.length} student accounts`,
      () => provisionStudents(admin, students, config),
      (changes) => `${changes.length} student accounts restored (${countActions(changes)})`,
    );
  }
  // After the accounts: checking a password that a student changed counts as a failed login.
  await step(
    'clearing lock-outs',
    () => admin.attackDetection.delAll({ realm: config.realm.name }),
    () => `every lock-out in ${config.realm.name} cleared`,
  );
  await step(
    'removing clients that registered themselves',
    () => removeRegisteredClients(admin, config.realm.name),
    (count) => `${count} registered client${count === 1 ? '' : 's'} removed`,
  );
  // Last, because checking a password logs in and so opens a session.
  await step(
    'signing everyone out',
    () => admin.realms.logoutAll({ realm: config.realm.name }),
    () => `every session in ${config.realm.name} signed out`,
  );
  return 0;
}
