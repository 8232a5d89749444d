import type KeycloakAdminClient from '@keycloak/keycloak-admin-client';
import type { LabConfig } from '../core/config.ts';
import { driftedFields, type Change } from './change.ts';

/**
 * The realm the tutorial creates by hand ("Create Realm" → `mcp-realm`), enabled. In a classroom
 * also: brute-force detection on (a student cannot guess another's password), and plain HTTP from
 * any address — Keycloak's default `sslRequired: external` refuses it ("HTTPS required") to a
 * student whose address is not a private one, and the lab serves no HTTPS (docs/security.md).
 * A learner's own lab keeps Keycloak's defaults for both. With LAB_LOCALE=zh-CN the realm speaks
 * Chinese: internationalization on, zh-CN its default (Keycloak's code on every 26.x; 26.5+ maps it
 * to its zh-Hans messages) and English offered in the page's language menu. A browser asking for
 * English in Accept-Language still gets English: Keycloak puts the request's language before the
 * realm's default.
 */
/** The realm's language settings for the lab's language (`lab doctor` compares the realm with them). */
export function realmLanguage(lab: LabConfig) {
  return lab.locale.tag === 'zh-CN'
    ? { internationalizationEnabled: true, supportedLocales: ['zh-CN', 'en'], defaultLocale: 'zh-CN' }
    : { internationalizationEnabled: false };
}

export async function ensureRealm(admin: KeycloakAdminClient, lab: LabConfig): Promise<Change> {
  const realm = lab.realm.name;
  const item = `realm ${realm}`;
  const bruteForce = lab.realm.bruteForce;
  const desired = {
    ...(bruteForce
      ? { enabled: true, sslRequired: 'none', bruteForceProtected: true, permanentLockout: false, ...bruteForce }
      : { enabled: true, sslRequired: 'external', bruteForceProtected: false }),
    ...realmLanguage(lab),
  };
  const existing = await admin.realms.findOne({ realm });
  if (!existing) {
    await admin.realms.create({ realm, ...desired });
    return { item, action: 'created' };
  }
  const fields = driftedFields(desired, existing);
  if (fields.length === 0) return { item, action: 'unchanged' };
  await admin.realms.update({ realm }, { ...existing, ...desired });
  return { item, action: 'updated', fields };
}
