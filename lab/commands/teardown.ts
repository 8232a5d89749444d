import type { LabConfig } from '../../core/config.ts';
import { t } from '../../core/messages.ts';
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
  console.log(action === 'deleted' ? t('cli.teardown.removed', { realm, count: registered }) : t('cli.teardown.absent', { realm }));
  return 0;
}
