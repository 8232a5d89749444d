/**
 * Provisioning on its own, for docker compose's `provision` container: realm, user, client and
 * client scope from the environment's settings, one line per item; a failure is one line and exit 1.
 */
import { loadConfig } from '../core/config.ts';
import { LabError } from '../core/errors.ts';
import { localeFrom, t, useLocale } from '../core/messages.ts';
import { connectAndProvision, describeChange } from './provision.ts';

// Compose sets LAB_LOCALE (`en` unless the .env says otherwise); loadConfig refuses one the lab does not speak.
useLocale(localeFrom(process.env)?.tag ?? 'en');
try {
  for (const change of await connectAndProvision(loadConfig(process.env))) console.log(describeChange(change));
} catch (error) {
  if (!(error instanceof LabError)) throw error;
  console.error(t('provisioning.failed', { line: error.toLine() }));
  process.exit(1);
}
