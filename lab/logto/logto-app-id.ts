/**
 * Logto chooses the App ID of the Single-page application provisioning makes, so the lab keeps it
 * where its other commands find it: `lab check`, `lab doctor` and the Inspector's settings need it
 * as the tab's Client ID, and LOGTO_APP_ID (when set) wins.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { type LabConfig, withSettings } from '../../core/config.ts';

const appIdPath = (config: LabConfig) => path.join(config.stateDir, 'logto', 'provisioned.json');

export function saveLogtoAppId(config: LabConfig, appId: string): void {
  mkdirSync(path.dirname(appIdPath(config)), { recursive: true });
  writeFileSync(appIdPath(config), `${JSON.stringify({ appId }, null, 2)}\n`);
}

/** The config with the App ID the last provisioning saved, unless LOGTO_APP_ID names one. */
export function withSavedLogtoAppId(config: LabConfig): LabConfig {
  if (config.provider.kind !== 'logto' || config.logto.appId || !existsSync(appIdPath(config))) return config;
  try {
    const { appId } = JSON.parse(readFileSync(appIdPath(config), 'utf8')) as { appId?: unknown };
    return typeof appId === 'string' && appId ? withSettings(config, { LOGTO_APP_ID: appId }) : config;
  } catch {
    return config;
  }
}
