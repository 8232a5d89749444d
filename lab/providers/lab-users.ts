/**
 * The accounts of the lab's own authorization servers (lab/providers/auth-server.ts): who can sign
 * in, with which password, and the claims each one's `sub` stands for.
 */
import { createHash } from 'node:crypto';
import { LabError } from '../../core/errors.ts';

/** The claims of the scopes `profile` and `email`, named as OpenID Connect Core §5.1 names them. */
export interface LabUserClaims {
  preferred_username: string;
  name: string;
  given_name: string;
  family_name: string;
  email: string;
  email_verified: boolean;
}

export interface LabUser {
  username: string;
  password: string;
  /** The subject identifier: stable across restarts, and not the user name (as Keycloak's is not). */
  sub: string;
  claims: LabUserClaims;
}

/**
 * A user of the lab's authorization servers, with the claims Keycloak gives the same account
 * (provisioning makes `testuser` / Test User there).
 */
export function labUser({
  username,
  password,
  email,
  firstName,
  lastName,
}: {
  username: string;
  password: string;
  email: string;
  firstName: string;
  lastName: string;
}): LabUser {
  return {
    username,
    password,
    sub: stableSubject(username),
    claims: {
      preferred_username: username,
      name: `${firstName} ${lastName}`,
      given_name: firstName,
      family_name: lastName,
      email,
      email_verified: true,
    },
  };
}

/**
 * The lab's own namespace for name-based UUIDs (RFC 9562 §5.5): any fixed UUID would do, this one
 * keeps the lab's subjects apart from other name-based UUIDs of the same user names.
 */
const labSubjectNamespace = '3c1f6b1e-8a4d-4f0e-9d55-2b7c6a0e9f41';

/**
 * A UUID derived from the user name (version 5: SHA-1 of namespace and name), so a user keeps the
 * same `sub` across restarts, as a Keycloak account keeps its ID, and a learner sees that `sub` is
 * not the user name.
 */
function stableSubject(username: string): string {
  const namespace = Buffer.from(labSubjectNamespace.replaceAll('-', ''), 'hex');
  const hash = createHash('sha1').update(namespace).update(username, 'utf8').digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The users in a users file (a JSON array of LabUser), checked; `source` names the file in messages. */
export function parseLabUsers(value: unknown, source: string): LabUser[] {
  if (!Array.isArray(value) || value.length === 0) {
    throw new LabError('ERR_CONFIG', `${source} must hold a non-empty JSON array of users`);
  }
  const users = value.map((entry, index) => checkedUser(entry, `${source}[${index}]`));
  const usernames = new Set<string>();
  for (const { username } of users) {
    if (usernames.has(username)) throw new LabError('ERR_CONFIG', `${source} has the user "${username}" twice`);
    usernames.add(username);
  }
  return users;
}

function checkedUser(entry: unknown, where: string): LabUser {
  const record = isRecord(entry) ? entry : {};
  const claims = isRecord(record.claims) ? record.claims : undefined;
  for (const field of ['username', 'password', 'sub'] as const) {
    if (typeof record[field] !== 'string' || record[field] === '') {
      throw new LabError('ERR_CONFIG', `${where}.${field} must be a non-empty string`);
    }
  }
  const claimNames = ['preferred_username', 'name', 'given_name', 'family_name', 'email'] as const;
  if (!claims || claimNames.some((name) => typeof claims[name] !== 'string') || typeof claims.email_verified !== 'boolean') {
    throw new LabError('ERR_CONFIG', `${where}.claims must have the strings ${claimNames.join(', ')} and the boolean email_verified`);
  }
  return entry as LabUser;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
