import { connectAndProvision, describeChange } from '../../provisioning/provision.ts';

/** `lab provision`: (re)applies realm, user and client to a running Keycloak. */
export async function provision(): Promise<number> {
  for (const change of await connectAndProvision()) console.log(describeChange(change));
  return 0;
}
