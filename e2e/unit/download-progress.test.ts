import { Writable } from 'node:stream';
import { DownloadProgress, formatProgress, parseProgressLine } from '../../lab/keycloak/download-progress.ts';
import { expect, test } from '@playwright/test';

/** A stream that keeps what is written to it; a terminal when `isTTY`. */
function capture(isTTY: boolean) {
  const out = Object.assign(
    new Writable({
      write(chunk, _encoding, done) {
        out.text += String(chunk);
        done();
      },
    }),
    { isTTY, text: '' },
  );
  return out;
}

test("progress on a terminal is one line kept up to date, in a log a line per fifth; Maven 3.9's lines name the file", () => {
  let written = '';
  const terminal = Object.assign(
    new Writable({
      write(chunk, _encoding, done) {
        written += String(chunk);
        done();
      },
    }),
    { isTTY: true },
  );
  let clock = 0;
  const progress = new DownloadProgress('Keycloak 9.9.9', 'keycloak-quarkus-dist-9.9.9.zip', terminal, () => clock);

  progress.read('Downloading from a-mirror: file:///repo/org/keycloak/keycloak-quarkus-dist/9.9.9/keycloak-quarkus-dist-9.9.9.zip\n');
  for (const done of [50, 100, 150]) {
    clock += 1000;
    progress.read(`Progress (1): keycloak-quarkus-dist-9.9.9.zip (${done}/150 MB)\r`);
  }
  progress.finish(150e6);

  expect(written).toBe(
    [
      '\rKeycloak 9.9.9: 50.0/150.0 MB (33%) at 50.0 MB/s\x1b[K',
      '\rKeycloak 9.9.9: 100.0/150.0 MB (66%) at 50.0 MB/s\x1b[K',
      '\rKeycloak 9.9.9: 150.0/150.0 MB (100%) at 50.0 MB/s\x1b[K',
      '\nKeycloak 9.9.9: 150.0 MB in 3.0 s (50.0 MB/s)\n',
    ].join(''),
  );
  // In a log: a line per fifth, and 100% even when Maven's last report stops short of the whole.
  let logged = '';
  const log = new Writable({
    write(chunk, _encoding, done) {
      logged += String(chunk);
      done();
    },
  });
  clock = 0;
  const inLog = new DownloadProgress('Keycloak 9.9.9', 'keycloak-quarkus-dist-9.9.9.zip', log, () => clock);
  inLog.read('Downloading from a-mirror: file:///repo/keycloak-quarkus-dist-9.9.9.zip\n');
  for (const done of [10, 36, 71, 107, 142, 176]) {
    clock += 500;
    inLog.read(`Progress (1): ${done}/177 MB\r`);
  }
  inLog.finish(176.7e6);
  expect(
    logged
      .trim()
      .split('\n')
      .map((line) => /\((\d+)%\)/.exec(line)?.[1] ?? line),
  ).toEqual(['20', '40', '60', '80', '100', 'Keycloak 9.9.9: 176.7 MB in 3.0 s (58.9 MB/s)']);

  // Several transfers side by side: the largest is the one that counts.
  expect(parseProgressLine('Progress (3): 89 kB | 4.1/35 kB | 12/155 MB')).toEqual({ done: 12e6, total: 155e6 });
  expect(parseProgressLine('[INFO] Copying keycloak-quarkus-dist-9.9.9.zip')).toBeUndefined();
});

test('a line split across chunks is read once it is whole', () => {
  const out = capture(false);
  let clock = 0;
  const progress = new DownloadProgress('Keycloak 9.9.9', 'keycloak-quarkus-dist-9.9.9.zip', out, () => clock);

  progress.read('Downloading from central: https://repo/keycloak-quarkus-dist-9.9.9.zip\nProgress (1): 100/1');
  clock += 2000;
  expect(out.text).toBe('');
  progress.read('00 MB\r');

  expect(out.text).toBe('Keycloak 9.9.9: 100.0/100.0 MB (100%) at 50.0 MB/s\n');
});

test('on a terminal, updates closer than a tenth of a second apart are skipped, but never the last one', () => {
  const out = capture(true);
  let clock = 0;
  const progress = new DownloadProgress('Keycloak 9.9.9', 'keycloak-quarkus-dist-9.9.9.zip', out, () => clock);
  progress.read('Downloading from central: https://repo/keycloak-quarkus-dist-9.9.9.zip\n');

  for (const done of [10, 20, 30]) {
    clock += 200;
    progress.read(`Progress (1): ${done}/40 MB\r`);
    clock += 10;
    progress.read(`Progress (1): ${done + 5}/40 MB\r`);
  }
  clock += 10;
  progress.read('Progress (1): 40/40 MB\r');

  expect(
    out.text
      .split('\r')
      .filter(Boolean)
      .map((line) => /: ([\d.]+)\//.exec(line)![1]),
  ).toEqual(['10.0', '20.0', '30.0', '40.0']);
});

test("progress before Maven names the file, or of another file, is not the download's", () => {
  const out = capture(false);
  const progress = new DownloadProgress('Keycloak 9.9.9', 'keycloak-quarkus-dist-9.9.9.zip', out, () => 0);

  progress.read('Progress (1): 5/10 MB\rDownloading from central: https://repo/keycloak-parent-9.9.9.pom\nProgress (1): 10/10 MB\r');

  expect(out.text).toBe('');
});

test('a zip Maven already had is said to come from its local repository', () => {
  const out = capture(false);
  const progress = new DownloadProgress('Keycloak 9.9.9', 'keycloak-quarkus-dist-9.9.9.zip', out, () => 0);

  progress.read('[INFO] Copying keycloak-quarkus-dist-9.9.9.zip to /cache/keycloak-quarkus-dist-9.9.9.zip\n');
  progress.finish(176.7e6);

  expect(out.text).toBe("Keycloak 9.9.9: 176.7 MB, from Maven's local repository\n");
});

test("Maven's units from bytes to gigabytes are read; a progress line without a transfer is nothing", () => {
  expect(parseProgressLine('Progress (1): 512/1024 B')).toEqual({ done: 512, total: 1024 });
  expect(parseProgressLine('Progress (1): 4.1/35 kB')).toEqual({ done: 4100, total: 35000 });
  expect(parseProgressLine('Progress (1): 1.2/1.5 GB')).toEqual({ done: 1.2e9, total: 1.5e9 });
  expect(parseProgressLine('Progress (1): 12 MB')).toBeUndefined();
  expect(parseProgressLine('12/155 MB')).toBeUndefined();
});

test('the rate is a dash before any time has passed', () => {
  expect(formatProgress('Keycloak 9.9.9', { done: 1e6, total: 4e6 }, 0)).toBe('Keycloak 9.9.9: 1.0/4.0 MB (25%) at — MB/s');
});
