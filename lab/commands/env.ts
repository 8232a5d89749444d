import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../../core/config.ts';
import { t } from '../../core/messages.ts';
import { renderComposeEnv } from '../compose-env.ts';

/** `lab env`: writes `.env` (what docker compose reads) from the defaults in core/config.ts. */
export async function env(): Promise<number> {
  const envPath = path.join(repoRoot, '.env');
  writeFileSync(envPath, renderComposeEnv());
  console.log(t('cli.env.wrote', { file: path.relative(process.cwd(), envPath) || '.env' }));
  return 0;
}
