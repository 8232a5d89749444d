import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { LabError } from '../../core/errors.ts';
import { t } from '../../core/messages.ts';
import { runCommand } from '../../core/process.ts';

export interface Certificate {
  certPath: string;
  keyPath: string;
}

/**
 * A self-signed certificate for `localhost` (and 127.0.0.1), made once with `openssl` and kept in
 * `dir`. The client ID metadata documents are served with it, and Keycloak is started to trust it
 * (`--truststore-paths`): it fetches those documents over HTTPS.
 */
export async function ensureLocalhostCertificate(dir: string): Promise<Certificate> {
  const certificate = { certPath: path.join(dir, 'localhost-cert.pem'), keyPath: path.join(dir, 'localhost-key.pem') };
  if (existsSync(certificate.certPath) && existsSync(certificate.keyPath)) return certificate;
  mkdirSync(dir, { recursive: true });
  const made = await runCommand('openssl', [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '825',
    '-subj',
    '/CN=localhost',
    '-addext',
    'subjectAltName=DNS:localhost,IP:127.0.0.1',
    '-keyout',
    certificate.keyPath,
    '-out',
    certificate.certPath,
  ]);
  if (made.exitCode !== 0) {
    const reason = made.stderr.trim().split('\n').at(-1) ?? t('up.cimd.openssl-exited', { code: String(made.exitCode) });
    throw new LabError('ERR_CERTIFICATE', t('up.cimd.certificate-failed', { reason }), { hint: t('up.cimd.certificate-failed.hint') });
  }
  return certificate;
}
