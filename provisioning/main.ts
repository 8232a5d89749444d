/**
 * Provisioning on its own, for docker compose's `provision` container: realm, user, client and
 * client scope from the environment's settings, one line per item; a failure is one line and exit 1.
 */
import { loadConfig } from '../core/config.ts';
import { LabError } from '../core/errors.ts';
import { connectAndProvision, describeChange } from './provision.ts';

try {
  for (const change of await connectAndProvision(loadConfig(process.env))) console.log(describeChange(change));
} catch (error) {
  if (!(error instanceof LabError)) throw error;
  console.error(`provisioning failed: ${error.toLine()}`);
  process.exit(1);
}
