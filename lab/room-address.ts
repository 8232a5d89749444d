import { lookup } from 'node:dns/promises';
import os from 'node:os';
import { LabError } from '../core/errors.ts';
import { t } from '../core/messages.ts';

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
      t('classroom.room-address.unresolved', { host: publicHost, code: (error as NodeJS.ErrnoException).code ?? 'none' }),
      { hint: t('classroom.room-address.hint') },
    );
  }
  const local = new Set(Object.values(os.networkInterfaces()).flatMap((addresses) => (addresses ?? []).map(({ address }) => address)));
  // All of 127.0.0.0/8 is this machine's, though only 127.0.0.1 is listed.
  if (!resolved.some((address) => local.has(address) || address.startsWith('127.'))) {
    throw new LabError('ERR_CONFIG', t('classroom.room-address.not-this-machine', { host: publicHost, addresses: resolved.join(', ') }), {
      hint: t('classroom.room-address.hint'),
    });
  }
}
