/**
 * A "student laptop" on this machine: a network namespace of its own, joined to the host by a
 * veth pair on a /30 from TEST-NET-2 or TEST-NET-3 (RFC 5737, documentation ranges) that overlaps
 * no address or route of this machine, picked at run time. The laptop has no default route: it
 * reaches the host's end of the link and nothing else, so everything stays on this machine.
 * Programs run inside with `ip netns exec`. Needs root (CI has it); when the namespace cannot be
 * made, creating it throws with the reason — a test using it fails, it is never skipped.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { repoRoot } from '../../core/config.ts';
import { runCommand, isProcessAlive, type CommandOptions, type CommandResult } from '../../core/process.ts';

/** TEST-NET-2 and TEST-NET-3: 64 /30 blocks each (RFC 5737 §3). */
const documentationRanges = ['198.51.100', '203.0.113'];
/** Our namespaces are named mcplab-<pid of the test process>-<random>, so a crashed run's are found. */
const namePrefix = 'mcplab-';

export interface StudentLaptop {
  /** The host's end of the link: what LAB_PUBLIC_HOST names in the classroom. */
  readonly hostAddress: string;
  /** The laptop's own address. */
  readonly laptopAddress: string;
  readonly namespace: string;
  /** Runs a program inside the laptop's namespace. */
  run(file: string, args: readonly string[], options?: CommandOptions): Promise<CommandResult>;
  /** Deletes the namespace, which takes the veth pair with it. */
  remove(): Promise<void>;
}

export async function createStudentLaptop(): Promise<StudentLaptop> {
  await removeLeftovers();
  // Another process may pick the same block at the same moment: then both see it twice, and try again.
  for (let attempt = 1; ; attempt++) {
    const laptop = await createOnFreeBlock();
    const sharing = (await ipJson<AddressInfo[]>(['-4', 'address', 'show'])).filter(
      ({ ifname, addr_info }) => ifname !== laptop.hostVeth && addr_info.some(({ local }) => sameBlock(local, laptop.hostAddress)),
    );
    if (sharing.length === 0) return laptop;
    await laptop.remove();
    if (attempt === 3)
      throw new Error(
        `cannot make a student laptop: the block of ${laptop.hostAddress} is taken by ${sharing.map(({ ifname }) => ifname).join(', ')}`,
      );
  }
}

async function createOnFreeBlock(): Promise<StudentLaptop & { hostVeth: string }> {
  const { range, base } = pickFreeBlock(
    await ipJson<AddressInfo[]>(['-4', 'address', 'show']),
    await ipJson<RouteInfo[]>(['-4', 'route', 'show', 'table', 'all']),
  );
  const suffix = randomBytes(3).toString('hex');
  const namespace = `${namePrefix}${process.pid}-${suffix}`;
  const hostVeth = `mlab${suffix}h`;
  const laptopVeth = `mlab${suffix}s`;
  const hostAddress = `${range}.${base + 1}`;
  const laptopAddress = `${range}.${base + 2}`;
  const remove = async () => {
    await runCommand('ip', ['netns', 'delete', namespace]);
    await runCommand('ip', ['link', 'delete', hostVeth]); // gone already, unless the pair never reached the namespace
  };
  try {
    await ip(['netns', 'add', namespace]);
    await ip(['link', 'add', hostVeth, 'type', 'veth', 'peer', 'name', laptopVeth, 'netns', namespace]);
    await ip(['address', 'add', `${hostAddress}/30`, 'dev', hostVeth]);
    await ip(['link', 'set', hostVeth, 'up']);
    await ip(['-n', namespace, 'address', 'add', `${laptopAddress}/30`, 'dev', laptopVeth]);
    await ip(['-n', namespace, 'link', 'set', laptopVeth, 'up']);
    await ip(['-n', namespace, 'link', 'set', 'lo', 'up']);
  } catch (error) {
    await remove();
    throw error;
  }
  return {
    hostAddress,
    laptopAddress,
    namespace,
    hostVeth,
    run: (file, args, options) => runCommand('ip', ['netns', 'exec', namespace, file, ...args], options),
    remove,
  };
}

interface AddressInfo {
  ifname: string;
  addr_info: Array<{ local: string; prefixlen: number }>;
}
interface RouteInfo {
  dst: string;
}

/** A random /30 of the documentation ranges that no address or route of this machine touches: `${range}.${base}`. */
function pickFreeBlock(addresses: AddressInfo[], routes: RouteInfo[]): { range: string; base: number } {
  const taken = [
    ...addresses.flatMap(({ addr_info }) => addr_info.map(({ local, prefixlen }) => ({ network: toNumber(local), prefixlen }))),
    ...routes
      .filter(({ dst }) => dst !== 'default')
      .map(({ dst }) => {
        const [network, prefixlen = '32'] = dst.split('/');
        return { network: toNumber(network!), prefixlen: Number(prefixlen) };
      }),
  ];
  const overlaps = (base: number) =>
    taken.some(({ network, prefixlen }) => {
      const width = Math.min(prefixlen, 30);
      const mask = width === 0 ? 0 : (~0 << (32 - width)) >>> 0;
      return (base & mask) >>> 0 === (network & mask) >>> 0;
    });
  const free = documentationRanges
    .flatMap((range) => [...Array(64).keys()].map((index) => ({ range, base: index * 4 })))
    .filter(({ range, base }) => !overlaps(toNumber(`${range}.${base}`)));
  if (free.length === 0)
    throw new Error('cannot make a student laptop: every /30 of TEST-NET-2 and TEST-NET-3 overlaps an address or route of this machine');
  return free[randomBytes(2).readUInt16BE() % free.length]!;
}

function sameBlock(a: string, b: string): boolean {
  return toNumber(a) >>> 2 === toNumber(b) >>> 2;
}

function toNumber(address: string): number {
  return address.split('.').reduce((value, octet) => value * 256 + Number(octet), 0);
}

/** Namespaces a test process made and could not remove (it was killed): their process is gone. */
async function removeLeftovers(): Promise<void> {
  const listed = await runCommand('ip', ['netns', 'list']);
  for (const line of listed.stdout.split('\n')) {
    const name = line.split(' ')[0] ?? '';
    const pid = Number(/^mcplab-(\d+)-/.exec(name)?.[1]);
    if (pid && !isProcessAlive(pid)) await runCommand('ip', ['netns', 'delete', name]);
  }
}

async function ip(args: string[]): Promise<void> {
  const result = await runCommand('ip', args, { timeoutMs: 10_000 });
  if (result.exitCode !== 0) {
    throw new Error(
      `cannot make a student laptop: \`ip ${args.join(' ')}\` failed: ${result.stderr.trim() || `exit ${result.exitCode}`}${process.getuid?.() === 0 ? '' : ' (network namespaces need root)'}`,
    );
  }
}

async function ipJson<T>(args: string[]): Promise<T> {
  const result = await runCommand('ip', ['-json', ...args], { timeoutMs: 10_000 });
  if (result.exitCode !== 0)
    throw new Error(`cannot make a student laptop: \`ip -json ${args.join(' ')}\` failed: ${result.stderr.trim()}`);
  return JSON.parse(result.stdout) as T;
}

const onTheLaptopScript = path.join(repoRoot, 'e2e', 'support', 'on-the-laptop.ts');

/** Runs one of on-the-laptop.ts's actions inside the laptop and returns what it printed. */
export async function studentDoes<T>(laptop: StudentLaptop, action: string, parameters: object, timeoutMs = 120_000): Promise<T> {
  const result = await laptop.run(process.execPath, [onTheLaptopScript, action, JSON.stringify(parameters)], { cwd: repoRoot, timeoutMs });
  if (result.exitCode !== 0)
    throw new Error(`on the student laptop, ${action} failed (exit ${result.exitCode ?? 'killed'}): ${result.stderr.trim().slice(-3000)}`);
  return JSON.parse(result.stdout) as T;
}

export interface LabCheckOutput {
  passed: boolean;
  results: Array<{ name: string; status: 'pass' | 'fail' | 'skip'; detail: string }>;
  reportedTo?: string;
}

/**
 * `npm run lab -- check URL --user … --password … --json [--report]` as a student runs it on their
 * laptop: only the room's settings (LAB_PUBLIC_HOST and the ports) in its environment.
 */
export async function labCheckOnLaptop(
  laptop: StudentLaptop,
  url: string,
  credentials: { username: string; password: string },
  roomEnv: Record<string, string>,
  { report = true } = {},
): Promise<LabCheckOutput> {
  const args = [
    'check',
    url,
    '--user',
    credentials.username,
    '--password',
    credentials.password,
    '--json',
    ...(report ? ['--report'] : []),
  ];
  const result = await laptop.run(process.execPath, [path.join(repoRoot, 'lab', 'cli.ts'), ...args], {
    cwd: repoRoot,
    env: roomEnv,
    timeoutMs: 180_000,
  });
  if (result.exitCode === undefined || !result.stdout.trim().startsWith('{')) {
    throw new Error(
      `lab check on the student laptop printed no report (exit ${result.exitCode ?? 'killed'}): ${result.stderr.trim().slice(-3000)}`,
    );
  }
  return JSON.parse(result.stdout) as LabCheckOutput;
}
