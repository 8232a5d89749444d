import type { LabConfig } from '../../core/config.ts';
import { connectAndProvision, describeChange } from '../../provisioning/provision.ts';

/** `lab provision`: (re)applies realm, user and client to a running Keycloak. */
export async function provision(config: LabConfig): Promise<number> {
  for (const change of await connectAndProvision(config)) console.log(describeChange(change));
  return 0;
}
