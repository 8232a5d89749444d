import type { LabConfig } from '../../core/config.ts';
import { connectToKeycloak } from '../../provisioning/provision.ts';
import { removeRegisteredClients } from '../../provisioning/registered-clients.ts';
import { removeRealm } from '../../provisioning/remove-realm.ts';

/**
 * `lab teardown`: removes the clients that registered themselves, then the realm and everything
 * in it. The handout files stay.
 */
export async function teardown(config: LabConfig): Promise<number> {
  const admin = await connectToKeycloak(config);
  const realm = config.realm.name;
  const registered = (await admin.realms.findOne({ realm })) ? await removeRegisteredClients(admin, realm) : 0;
  const { action } = await removeRealm(admin, realm);
  const clients =
    registered === 0
      ? ''
      : registered === 1
        ? ' (with 1 client that registered itself)'
        : ` (with ${registered} clients that registered themselves)`;
  console.log(action === 'deleted' ? `Realm ${realm} removed${clients}.` : `Realm ${realm} does not exist; nothing to remove.`);
  return 0;
}
