/**
 * oidc-provider's storage for the lab: every model in memory, and registered clients also in a
 * JSON file, so a client the Inspector registered (RFC 7591) survives a restart of `lab up`. The
 * Inspector keeps its client ID in its home between runs; without the file, its next Connect ends
 * on `invalid_client`.
 *
 * Why not oidc-provider's MemoryAdapter: it keeps all models in one LRU of 1000 entries, so a busy
 * classroom's sessions and tokens can evict registered clients; and it persists nothing.
 * Tokens, sessions and grants stay per start: tokens are opaque, so a restart only signs learners out.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Adapter, AdapterFactory, AdapterPayload } from 'oidc-provider';
import { LabError } from '../../core/errors.ts';

interface StoredEntry {
  payload: AdapterPayload;
  /** Epoch seconds; undefined for what never expires (clients). */
  expiresAt: number | undefined;
}

/** The clients file: `{ "clients": [<client metadata, client_id included>, …] }`. */
interface ClientsFileContent {
  clients: AdapterPayload[];
}

/** Expired entries nobody looks up again (abandoned logins) are dropped at most this often. */
const sweepIntervalSeconds = 60;

/**
 * An adapter factory for oidc-provider's `adapter` setting. With `clientsFile`, the `Client` model
 * starts from that file and every change to it is written back (atomically: a temporary file,
 * then a rename). Throws ERR_CONFIG when the file exists and is not a clients file.
 */
export function adapterWithClientsFile(clientsFile: string | undefined): AdapterFactory {
  const stores = new Map<string, Map<string, StoredEntry>>();
  const storeOf = (model: string) => {
    let store = stores.get(model);
    if (!store) {
      store = new Map();
      stores.set(model, store);
    }
    return store;
  };
  if (clientsFile) {
    for (const client of readClientsFile(clientsFile))
      storeOf('Client').set(String(client.client_id), { payload: client, expiresAt: undefined });
  }
  const saveClients = () => {
    if (clientsFile)
      writeClientsFile(
        clientsFile,
        [...storeOf('Client').values()].map(({ payload }) => payload),
      );
  };

  let lastSweep = epochSeconds();
  const sweepExpired = (now: number) => {
    if (now - lastSweep < sweepIntervalSeconds) return;
    lastSweep = now;
    for (const store of stores.values()) {
      for (const [id, entry] of store) if (isExpired(entry, now)) store.delete(id);
    }
  };

  return (model: string): Adapter => {
    const store = storeOf(model);
    const live = (id: string) => {
      const entry = store.get(id);
      if (entry && isExpired(entry, epochSeconds())) {
        store.delete(id);
        return undefined;
      }
      return entry;
    };
    const findBy = (field: 'uid' | 'userCode', value: string) => {
      for (const [id, entry] of store) if (entry.payload[field] === value) return live(id)?.payload;
      return undefined;
    };
    return {
      async upsert(id, payload, expiresIn) {
        const now = epochSeconds();
        store.set(id, { payload, expiresAt: expiresIn ? now + expiresIn : undefined });
        if (model === 'Client') saveClients();
        sweepExpired(now);
      },
      async find(id) {
        return live(id)?.payload;
      },
      async findByUid(uid) {
        return findBy('uid', uid);
      },
      async findByUserCode(userCode) {
        return findBy('userCode', userCode);
      },
      async consume(id) {
        const entry = live(id);
        if (entry) entry.payload.consumed = epochSeconds();
      },
      async destroy(id) {
        store.delete(id);
        if (model === 'Client') saveClients();
      },
      async revokeByGrantId(grantId) {
        // A grant's tokens and codes live in other models' stores.
        for (const other of stores.values()) {
          for (const [id, entry] of other) if (entry.payload.grantId === grantId) other.delete(id);
        }
      },
    };
  };
}

function readClientsFile(clientsFile: string): AdapterPayload[] {
  let text: string;
  try {
    text = readFileSync(clientsFile, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new LabError('ERR_CONFIG', `Cannot read the clients file ${clientsFile}: ${(error as Error).message}`, { cause: error });
  }
  const notAClientsFile = (why: string, cause?: unknown) =>
    new LabError('ERR_CONFIG', `${clientsFile} is not a clients file (${why})`, {
      hint: 'delete it: clients registered before register again',
      cause,
    });
  let content: unknown;
  try {
    content = JSON.parse(text);
  } catch (error) {
    throw notAClientsFile((error as Error).message.replace(/\s+/g, ' '), error);
  }
  const clients = (content as Partial<ClientsFileContent> | null)?.clients;
  if (!Array.isArray(clients)) throw notAClientsFile('no "clients" array');
  if (clients.some((client) => typeof client?.client_id !== 'string')) throw notAClientsFile('a client without client_id');
  return clients;
}

function writeClientsFile(clientsFile: string, clients: AdapterPayload[]): void {
  mkdirSync(path.dirname(clientsFile), { recursive: true });
  // A rename replaces the file in one step: a crash mid-write leaves the old file, never half a new one.
  const temporaryFile = `${clientsFile}.${process.pid}.tmp`;
  // This user only: a confidential client's metadata holds its secret.
  writeFileSync(temporaryFile, `${JSON.stringify({ clients } satisfies ClientsFileContent, null, 2)}\n`, { mode: 0o600 });
  renameSync(temporaryFile, clientsFile);
}

function isExpired(entry: StoredEntry, now: number): boolean {
  return entry.expiresAt !== undefined && entry.expiresAt <= now;
}

function epochSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
