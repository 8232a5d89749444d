import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * A hosts file that knows only localhost, for the tests' Keycloaks' resolver: the registration
 * policies resolve their trusted host names (github.com, for the Inspector's client URI), and no
 * query may leave this machine.
 */
export function localhostOnlyHostsFile(cacheDir: string): string {
  const file = path.join(cacheDir, 'keycloak-hosts-localhost-only');
  mkdirSync(cacheDir, { recursive: true });
  writeFileSync(file, '127.0.0.1 localhost\n');
  return file;
}
