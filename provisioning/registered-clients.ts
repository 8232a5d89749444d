import type KeycloakAdminClient from '@keycloak/keycloak-admin-client';
import type ClientRepresentation from '@keycloak/keycloak-admin-client/lib/defs/clientRepresentation.js';

/** Where a client came from, when not from the admin API. */
export type RegisteredBy = 'dynamic registration' | 'metadata document';

/**
 * Clients that registered themselves: by dynamic registration (Keycloak gives them a UUID that is
 * both their `id` and their `clientId`, and no marker) or by a client ID metadata document (their
 * `clientId` is the document's URL, and Keycloak keeps the document's cache expiry as an attribute).
 */
export function registeredBy(client: ClientRepresentation): RegisteredBy | undefined {
  if (client.id && client.clientId === client.id) return 'dynamic registration';
  if (client.attributes?.['cimd.cache.expiry.time.in.sec'] !== undefined) return 'metadata document';
  return undefined;
}

export async function listRegisteredClients(admin: KeycloakAdminClient, realm: string): Promise<ClientRepresentation[]> {
  // The admin API pages clients (100 by default); a classroom can register more.
  const clients: ClientRepresentation[] = [];
  for (let first = 0; ; first += 500) {
    const page = await admin.clients.find({ realm, first, max: 500 });
    clients.push(...page.filter((client) => registeredBy(client) !== undefined));
    if (page.length < 500) return clients;
  }
}

/** Deletes every client that registered itself; returns how many. */
export async function removeRegisteredClients(admin: KeycloakAdminClient, realm: string): Promise<number> {
  const clients = await listRegisteredClients(admin, realm);
  for (const { id } of clients) await admin.clients.del({ realm, id: id! });
  return clients.length;
}
