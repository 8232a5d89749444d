import { existsSync, readFileSync } from 'node:fs';
import type { LabConfig } from '../../core/config.ts';
import { adminPasswordPath } from '../admin-password.ts';

/** `lab admin-password`: the Keycloak admin's credentials, for the person at this machine. */
export async function adminPassword(config: LabConfig): Promise<number> {
  const { adminUsername, adminPassword: password, adminConsoleUrl, adminPasswordIsSet } = config.keycloak;
  const file = adminPasswordPath(config);
  const kept = existsSync(file) && readFileSync(file, 'utf8').trim() === password;
  const source = !config.inClassroom
    ? "the tutorial's: Keycloak listens on loopback only"
    : kept
      ? `kept in ${file}, readable by you only`
      : adminPasswordIsSet
        ? 'set by KEYCLOAK_ADMIN_PASSWORD'
        : `the default: no classroom \`lab up\` made one in ${config.stateDir} (docker compose takes KEYCLOAK_ADMIN_PASSWORD from .env)`;
  console.log(`Keycloak admin console ${adminConsoleUrl}/admin: user ${adminUsername}, password ${password} (${source})`);
  return 0;
}
