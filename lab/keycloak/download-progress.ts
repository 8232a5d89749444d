/**
 * The Keycloak download's progress as a learner reads it — bytes, percent and rate — taken from
 * Maven's transfer output. Maven, when not in batch mode, ends each progress line with \r:
 * "Progress (1): 45/155 MB" (3.8) or "Progress (1): keycloak-quarkus-dist-26.2.4.zip (45/155 MB)" (3.9).
 */
import type { Writable } from 'node:stream';
import { t } from '../../core/messages.ts';

export interface Transferred {
  done: number;
  total: number;
}

const bytesPer = { B: 1, kB: 1e3, MB: 1e6, GB: 1e9 } as const;

/** The largest transfer in one of Maven's progress lines (several run side by side, " | " between). */
export function parseProgressLine(line: string): Transferred | undefined {
  if (!line.includes('Progress (')) return undefined;
  let largest: Transferred | undefined;
  for (const [, done, total, unit] of line.matchAll(/([\d.]+)\/([\d.]+) (B|kB|MB|GB)\b/g)) {
    const scale = bytesPer[unit as keyof typeof bytesPer];
    const transfer = { done: Number(done) * scale, total: Number(total) * scale };
    if (!largest || transfer.total > largest.total) largest = transfer;
  }
  return largest;
}

export function formatProgress(label: string, { done, total }: Transferred, seconds: number): string {
  const percent = Math.floor((done / total) * 100);
  return t('up.download.progress', {
    label,
    done: megabytes(done),
    total: megabytes(total),
    percent: String(percent),
    rate: rate(done, seconds),
  });
}

/**
 * Reads Maven's output while it downloads `fileName` and writes progress to `out`: one line kept
 * up to date on a terminal, a line per fifth of the download in a log.
 */
export class DownloadProgress {
  private pending = '';
  private startedAt: number | undefined;
  /** When Maven last reported the transfer (it copies the file after, which is no part of it). */
  private lastReportAt: number | undefined;
  private lastShown = 0;
  private lastFifth = 0;
  private inPlace = false;
  private readonly label: string;
  private readonly fileName: string;
  private readonly out: Writable & { isTTY?: boolean };
  private readonly now: () => number;

  constructor(label: string, fileName: string, out: Writable & { isTTY?: boolean } = process.stderr, now: () => number = Date.now) {
    this.label = label;
    this.fileName = fileName;
    this.out = out;
    this.now = now;
  }

  /** Maven's standard output, piece by piece. */
  readonly read = (chunk: string): void => {
    const lines = (this.pending + chunk).split(/[\r\n]/);
    this.pending = lines.pop()!;
    for (const line of lines) this.readLine(line);
  };

  /** After Maven exits: how the file came, in one line. */
  finish(bytes: number): void {
    if (this.inPlace) this.out.write('\n');
    if (this.startedAt === undefined) {
      this.out.write(`${t('up.download.from-local-repository', { label: this.label, size: megabytes(bytes) })}\n`);
      return;
    }
    const seconds = ((this.lastReportAt ?? this.now()) - this.startedAt) / 1000;
    // Maven's last report may stop short of the whole (it rounds): the log still reaches 100%.
    if (!this.out.isTTY && this.lastFifth < 5) this.out.write(`${formatProgress(this.label, { done: bytes, total: bytes }, seconds)}\n`);
    this.out.write(
      `${t('up.download.done', { label: this.label, size: megabytes(bytes), seconds: seconds.toFixed(1), rate: rate(bytes, seconds) })}\n`,
    );
  }

  private readLine(line: string): void {
    if (this.startedAt === undefined) {
      if (/Downloading\b/.test(line) && line.includes(this.fileName)) this.startedAt = this.now();
      return;
    }
    const transfer = parseProgressLine(line);
    if (!transfer || transfer.total === 0) return;
    this.lastReportAt = this.now();
    const seconds = (this.now() - this.startedAt) / 1000;
    if (this.out.isTTY) {
      if (this.now() - this.lastShown < 100 && transfer.done < transfer.total) return;
      this.lastShown = this.now();
      this.out.write(`\r${formatProgress(this.label, transfer, seconds)}\x1b[K`);
      this.inPlace = true;
      return;
    }
    const fifth = Math.floor((transfer.done / transfer.total) * 5);
    if (fifth > this.lastFifth) {
      this.lastFifth = fifth;
      this.out.write(`${formatProgress(this.label, transfer, seconds)}\n`);
    }
  }
}

function megabytes(bytes: number): string {
  return (bytes / 1e6).toFixed(1);
}

function rate(bytes: number, seconds: number): string {
  return seconds > 0 ? `${megabytes(bytes / seconds)} MB/s` : '— MB/s';
}
