/**
 * What a process tree listens on, read from the kernel rather than trusted from settings:
 * /proc/<pid>/fd names each socket's inode; /proc/net/tcp and tcp6 give each listening socket's
 * address, port and inode (Linux).
 */
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

export interface ListeningSocket {
  address: string;
  port: number;
  pid: number;
  /** The program, e.g. java, nginx, node server/whoami.ts. */
  command: string;
}

/** The listening TCP sockets of `rootPid` and every process below it. */
export function listeningSocketsOf(rootPid: number): ListeningSocket[] {
  const pids = processTree(rootPid);
  const ownerOfInode = new Map<string, number>();
  for (const pid of pids) {
    for (const fd of safeReaddir(`/proc/${pid}/fd`)) {
      const target = safeReadlink(`/proc/${pid}/fd/${fd}`);
      const inode = /^socket:\[(\d+)\]$/.exec(target ?? '')?.[1];
      if (inode && !ownerOfInode.has(inode)) ownerOfInode.set(inode, pid);
    }
  }
  const sockets: ListeningSocket[] = [];
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of readFileSync(table, 'utf8').trim().split('\n').slice(1)) {
      const [, local, , state, , , , , , inode] = line.trim().split(/\s+/);
      const pid = ownerOfInode.get(inode!);
      if (state !== '0A' || pid === undefined) continue; // 0A: LISTEN
      const [hexAddress, hexPort] = local!.split(':');
      sockets.push({ address: decodeAddress(hexAddress!), port: parseInt(hexPort!, 16), pid, command: processName(pid) });
    }
  }
  return sockets.sort((a, b) => a.port - b.port);
}

/** 127.0.0.0/8, ::1, and IPv4 loopback mapped into IPv6. */
export function isLoopbackAddress(address: string): boolean {
  return address.startsWith('127.') || address === '::1' || address.startsWith('::ffff:127.');
}

/** One line per socket, for the test's output: "127.0.0.1:8080 java". */
export function describeSockets(sockets: ListeningSocket[]): string {
  return sockets.map(({ address, port, command }) => `${address.includes(':') ? `[${address}]` : address}:${port} ${command}`).join('\n');
}

function processTree(rootPid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of safeReaddir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = safeRead(`/proc/${entry}/stat`);
    if (!stat) continue;
    // pid (comm) state ppid …; comm may contain spaces and parentheses.
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
  }
  const tree: number[] = [];
  const pending = [rootPid];
  while (pending.length > 0) {
    const pid = pending.pop()!;
    tree.push(pid);
    pending.push(...(children.get(pid) ?? []));
  }
  return tree;
}

/** /proc/net's hex: IPv4 as one little-endian word, IPv6 as four. */
function decodeAddress(hex: string): string {
  const words = hex.match(/.{8}/g)!.map((word) => Buffer.from(word, 'hex').reverse());
  const bytes = Buffer.concat(words);
  if (bytes.length === 4) return [...bytes].join('.');
  if (bytes.subarray(0, 10).every((byte) => byte === 0) && bytes[10] === 0xff && bytes[11] === 0xff)
    return `::ffff:${[...bytes.subarray(12)].join('.')}`;
  const groups = [...Array(8).keys()].map((index) => bytes.readUInt16BE(index * 2).toString(16));
  return groups
    .join(':')
    .replace(/(^|:)0(:0)+(:|$)/, '::')
    .replace(/^:::?$/, '::');
}

function processName(pid: number): string {
  const [program = '?', ...args] = (safeRead(`/proc/${pid}/cmdline`) ?? '').split('\0');
  // Node calls its main thread "MainThread" in /proc/<pid>/comm: name its script (past its flags) instead.
  const script = args.find((arg) => !arg.startsWith('-'));
  if (program.split('/').at(-1) === 'node' && script) return `node ${script.split('/').slice(-2).join('/')}`;
  return safeRead(`/proc/${pid}/comm`)?.trim() ?? '?';
}

function safeReaddir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

function safeReadlink(file: string): string | undefined {
  try {
    return readlinkSync(file);
  } catch {
    return undefined;
  }
}

function safeRead(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}
