import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { withSettings, type LabConfig } from '../core/config.ts';

/** Where a classroom keeps its Keycloak admin password: the lab's state folder, this user only. */
export function adminPasswordPath(config: LabConfig): string {
  return path.join(config.stateDir, 'keycloak-admin-password');
}

/**
 * In a classroom the tutorial's admin / admin would let any student into the admin console, so the
 * admin gets a random password — made by `lab up`, kept in the state folder (mode 0600), shown by
 * `npm run lab -- admin-password` — unless KEYCLOAK_ADMIN_PASSWORD is set. The other commands
 * read it when it is there (on the instructor's machine); a learner's own lab (loopback only)
 * keeps the tutorial's.
 */
export function withClassroomAdminPassword(config: LabConfig, { create = false }: { create?: boolean } = {}): LabConfig {
  if (!config.inClassroom || config.keycloak.adminPasswordIsSet) return config;
  const file = adminPasswordPath(config);
  if (existsSync(file)) {
    // `mode` applies only when a file is created; a copied-in file gets it too.
    chmodSync(file, 0o600);
    return withSettings(config, { KEYCLOAK_ADMIN_PASSWORD: readFileSync(file, 'utf8').trim() });
  }
  if (!create) return config;
  mkdirSync(config.stateDir, { recursive: true });
  const password = randomBytes(18).toString('base64url');
  writeFileSync(file, `${password}\n`, { mode: 0o600, flag: 'wx' });
  return withSettings(config, { KEYCLOAK_ADMIN_PASSWORD: password });
}
