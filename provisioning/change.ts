/** What one `ensure*` step did; provisioning prints one line each. */
export interface Change {
  item: string;
  action: 'created' | 'updated' | 'unchanged' | 'deleted';
  /** For `updated`: which settings drifted and were put back. */
  fields?: string[];
}

/**
 * The names of `desired`'s settings that differ in `actual` (deep, order-insensitive for arrays
 * of strings, because Keycloak does not keep the order of redirect URIs).
 */
export function driftedFields(desired: object, actual: object): string[] {
  const actualSettings = actual as Record<string, unknown>;
  return Object.entries(desired)
    .filter(([key, value]) => !sameValue(value, actualSettings[key]))
    .map(([key]) => key);
}

function sameValue(desired: unknown, actual: unknown): boolean {
  if (Array.isArray(desired) && Array.isArray(actual)) {
    return desired.length === actual.length && [...desired].sort().join('\n') === [...actual].sort().join('\n');
  }
  if (desired && typeof desired === 'object') {
    const actualObject = (actual ?? {}) as Record<string, unknown>;
    return Object.entries(desired).every(([key, value]) => sameValue(value, actualObject[key]));
  }
  return desired === actual;
}
