import { lookup } from 'node:dns/promises';
import os from 'node:os';
import { LabError } from '../core/errors.ts';

/**
 * A classroom's LAB_PUBLIC_HOST must name this machine: the students' side of the lab listens on
 * that address only. Checked before anything starts, so a typo is one line, not a failed bind.
 */
export async function assertAddressOfThisMachine(publicHost: string): Promise<void> {
  const host = publicHost.replace(/^\[(.*)\]$/, '$1');
  let resolved: string[];
  try {
    resolved = (await lookup(host, { all: true })).map(({ address }) => address);
  } catch (error) {
    throw new LabError(
      'ERR_CONFIG',
      `LAB_PUBLIC_HOST=${publicHost} does not resolve (${(error as NodeJS.ErrnoException).code ?? 'no answer'})`,
      {
        hint: "set it to this machine's address on the room's network (`ip -br addr`)",
      },
    );
  }
  const local = new Set(Object.values(os.networkInterfaces()).flatMap((addresses) => (addresses ?? []).map(({ address }) => address)));
  // All of 127.0.0.0/8 is this machine's, though only 127.0.0.1 is listed.
  if (!resolved.some((address) => local.has(address) || address.startsWith('127.'))) {
    throw new LabError(
      'ERR_CONFIG',
      `LAB_PUBLIC_HOST=${publicHost} (${resolved.join(', ')}) is not an address of this machine, so nothing could listen there for the students`,
      {
        hint: "set it to this machine's address on the room's network (`ip -br addr`)",
      },
    );
  }
}
