import type { LabConfig } from '../../core/config.ts';
import { connectToKeycloak } from '../../provisioning/provision.ts';
import { removeRealm } from '../../provisioning/remove-realm.ts';

/** `lab teardown`: removes the realm and everything in it. The handout files stay. */
export async function teardown(config: LabConfig): Promise<number> {
  const { action } = await removeRealm(await connectToKeycloak(config), config.realm.name);
  console.log(action === 'deleted' ? `Realm ${config.realm.name} removed.` : `Realm ${config.realm.name} does not exist; nothing to remove.`);
  return 0;
}
