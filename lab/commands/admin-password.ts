import { existsSync, readFileSync } from 'node:fs';
import type { LabConfig } from '../../core/config.ts';
import { t } from '../../core/messages.ts';
import { adminPasswordPath } from '../admin-password.ts';

/** `lab admin-password`: the Keycloak admin's credentials, for the person at this machine. */
export async function adminPassword(config: LabConfig): Promise<number> {
  const { adminUsername, adminPassword: password, adminConsoleUrl, adminPasswordIsSet } = config.keycloak;
  const file = adminPasswordPath(config);
  const kept = existsSync(file) && readFileSync(file, 'utf8').trim() === password;
  const source = !config.inClassroom ? 'loopback' : kept ? 'kept' : adminPasswordIsSet ? 'set' : 'default';
  console.log(t('cli.admin-password', { url: adminConsoleUrl, user: adminUsername, password, source, file, stateDir: config.stateDir }));
  return 0;
}
