/**
 * Tokens for the failure matrix, minted honestly: real Keycloak tokens through direct grants of
 * test-only clients, and forged ones made with jose — either signed by nobody Keycloak knows, or by
 * a key pair the test owns and registers in the realm as a passive key (Keycloak publishes it in
 * its key set but never signs with it), for claims Keycloak would never issue, such as `nbf`.
 */
import { randomBytes } from 'node:crypto';
import type KeycloakAdminClient from '@keycloak/keycloak-admin-client';
import { directGrantToken } from '../../lab/conformance/access-token.ts';
import { SignJWT, decodeJwt, decodeProtectedHeader, exportJWK, exportPKCS8, generateKeyPair, type CryptoKey, type JWTPayload } from 'jose';
import { withSettings } from '../../core/config.ts';
import { ensureRealm } from '../../provisioning/ensure-realm.ts';
import { ensureUser, type LabUser } from '../../provisioning/ensure-user.ts';
import { testLabConfig } from '../test-target.ts';

const lab = testLabConfig();

/** Direct-grant clients in the lab realm; only tests use them. */
export const matrixClients = Object.freeze({
  /** Carries the spec servers' audiences itself, so a token without `mcp:whoami` still has the right `aud`. */
  audienceBound: 'e2e-matrix',
  /** The same, with 1-second access tokens. */
  shortLived: 'e2e-matrix-short-lived',
  /** A client of the realm with nothing to do with the whoami server: its tokens carry no such audience. */
  unrelated: 'e2e-matrix-unrelated',
});

/** A realm of its own with a user and a client: its tokens are real, but from another issuer. */
export const otherRealm = Object.freeze({ name: 'e2e-other-realm', clientId: 'e2e-matrix' });

/** Creates (or finds) the test clients and the other realm; global-setup runs it once. */
export async function ensureMatrixClients(admin: KeycloakAdminClient, audiences: string[]): Promise<void> {
  const realm = lab.realm.name;
  const scope = await admin.clientScopes.findOneByName({ realm, name: lab.server.whoamiScope });
  const withAudiences = async (clientId: string, lifespanSeconds: number | undefined) => {
    const id = await ensureDirectGrantClient(admin, realm, clientId, {
      protocolMappers: audiences.map((audience, index) => ({
        name: `audience-${index}`,
        protocol: 'openid-connect',
        protocolMapper: 'oidc-audience-mapper',
        config: { 'included.custom.audience': audience, 'access.token.claim': 'true' },
      })),
      attributes: lifespanSeconds ? { 'access.token.lifespan': String(lifespanSeconds) } : {},
    });
    await admin.clients.addOptionalClientScope({ realm, id, clientScopeId: scope!.id! });
  };
  await Promise.all([
    withAudiences(matrixClients.audienceBound, undefined),
    withAudiences(matrixClients.shortLived, 1),
    ensureDirectGrantClient(admin, realm, matrixClients.unrelated, {}),
  ]);
}

/** The failure matrix's second realm, with its client and the same user: it needs nothing of the first. */
export async function ensureOtherRealm(admin: KeycloakAdminClient): Promise<void> {
  await ensureRealm(admin, withSettings(lab, { KEYCLOAK_REALM: otherRealm.name }));
  await ensureDirectGrantClient(admin, otherRealm.name, otherRealm.clientId, {});
  await ensureUser(admin, otherRealm.name, lab.keycloak.adminUrl, lab.user);
}

async function ensureDirectGrantClient(admin: KeycloakAdminClient, realm: string, clientId: string, extra: object): Promise<string> {
  const [existing] = await admin.clients.find({ realm, clientId });
  if (existing?.id) return existing.id;
  const { id } = await admin.clients.create({
    realm,
    clientId,
    publicClient: true,
    standardFlowEnabled: false,
    directAccessGrantsEnabled: true,
    ...extra,
  });
  return id;
}

/** A real access token, by the resource-owner password grant (test-only clients allow it). */
export async function passwordGrantToken({
  realm = lab.realm.name,
  clientId,
  user,
  scope,
}: {
  realm?: string;
  clientId: string;
  user: Pick<LabUser, 'username' | 'password'>;
  scope: string;
}): Promise<string> {
  return directGrantToken({
    issuer: `${lab.keycloak.internalUrl}/realms/${realm}`,
    clientId,
    username: user.username,
    password: user.password,
    scope,
  });
}

/** The same header and payload, signed by a key Keycloak never saw. */
export async function withForeignSignature(token: string): Promise<string> {
  const { privateKey } = await generateKeyPair('RS256');
  const header = decodeProtectedHeader(token);
  return new SignJWT(decodeJwt(token)).setProtectedHeader({ alg: 'RS256', kid: header.kid, typ: header.typ }).sign(privateKey);
}

/** The same payload as an unsecured JWT (`alg: none`, empty signature). */
export function unsecured(token: string): string {
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${encode({ alg: 'none', typ: 'JWT' })}.${encode(decodeJwt(token))}.`;
}

/** A key pair registered in the lab realm as a passive key: Keycloak's key set vouches for what it signs. */
export class RealmTestKey {
  private readonly privateKey: CryptoKey;
  readonly kid: string;
  readonly componentId: string;

  private constructor(privateKey: CryptoKey, kid: string, componentId: string) {
    this.privateKey = privateKey;
    this.kid = kid;
    this.componentId = componentId;
  }

  static async register(admin: KeycloakAdminClient): Promise<RealmTestKey> {
    const realm = lab.realm.name;
    const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
    const realmId = (await admin.realms.findOne({ realm }))!.id!;
    const { id } = await admin.components.create({
      realm,
      name: `e2e-test-key-${randomBytes(4).toString('hex')}`,
      providerId: 'rsa',
      providerType: 'org.keycloak.keys.KeyProvider',
      parentId: realmId,
      config: {
        priority: ['-100'],
        enabled: ['true'],
        active: ['false'],
        algorithm: ['RS256'],
        privateKey: [await exportPKCS8(privateKey)],
      },
    });
    const { n } = await exportJWK(publicKey);
    const jwks = (await (await fetch(`${lab.keycloak.internalUrl}/realms/${realm}/protocol/openid-connect/certs`)).json()) as {
      keys: Array<{ kid: string; n?: string }>;
    };
    const published = jwks.keys.find((key) => key.n === n);
    if (!published) throw new Error('Keycloak does not publish the passive test key in its key set');
    return new RealmTestKey(privateKey, published.kid, id);
  }

  sign(payload: JWTPayload): Promise<string> {
    return new SignJWT(payload).setProtectedHeader({ alg: 'RS256', kid: this.kid, typ: 'JWT' }).sign(this.privateKey);
  }

  async unregister(admin: KeycloakAdminClient): Promise<void> {
    await admin.components.del({ realm: lab.realm.name, id: this.componentId });
  }
}
