import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { t } from '../core/messages.ts';
import { assertPortsFree } from '../core/ports.ts';
import { startService } from '../core/process.ts';

/** One entry of the Inspector's server catalog (its `mcp.json`), with the OAuth settings. */
export interface InspectorServerEntry {
  type: 'sse' | 'streamable-http';
  url: string;
  oauth?: { clientId: string; scopes: string; requestRefreshToken: boolean };
  /** Inspector 2.12's per-server Protocol Era: `modern` speaks 2026-07-28 (no handshake, no session); its default is `legacy`. */
  protocolEra?: 'legacy' | 'auto' | 'modern';
}

/** The Inspector's Client Settings (the gear at the top), kept in its storage as client.json. */
export interface InspectorClientSettings {
  cimd: { enabled: boolean; clientMetadataUrl: string };
}

export interface InspectorOptions {
  port: number;
  sandboxPort: number;
  appOriginPort: number;
  apiToken: string;
  /** The Inspector's HOME: its catalog, settings and stored state live below it. */
  homeDir: string;
  /** The servers the catalog starts with; the learner can edit, add and remove them. */
  servers: Record<string, InspectorServerEntry>;
  clientSettings?: InspectorClientSettings;
  logPath: string;
  readyTimeoutMs?: number;
}

export interface StartedInspector {
  /** The UI's origin, http://localhost:<port>: the OAuth redirect URI is derived from it. */
  url: string;
  /** The URL to open: it carries the API token, so it works in any browser. */
  openUrl: string;
  logPath: string;
  stop(): Promise<void>;
}

/** The launcher of the pinned `@modelcontextprotocol/inspector` (its `mcp-inspector` bin). */
export function inspectorLauncherPath(): string {
  const packageJson = createRequire(import.meta.url).resolve('@modelcontextprotocol/inspector/package.json');
  return path.join(path.dirname(packageJson), 'clients', 'launcher', 'build', 'index.js');
}

/**
 * Starts the MCP Inspector's web UI (`mcp-inspector --web`) headless — no browser opened, bound to
 * localhost, with an API token — and waits for its /healthz. UI and API share one port (v2 has no
 * separate proxy); the sandbox and app-origin ports serve MCP Apps.
 */
export async function startInspector({
  port,
  sandboxPort,
  appOriginPort,
  apiToken,
  homeDir,
  servers,
  clientSettings,
  logPath,
  readyTimeoutMs = 30_000,
}: InspectorOptions): Promise<StartedInspector> {
  await assertPortsFree([
    { port, what: t('up.port.inspector'), setting: 'INSPECTOR_PORT' },
    { port: sandboxPort, what: t('up.port.inspector-sandbox'), setting: 'INSPECTOR_SANDBOX_PORT' },
    { port: appOriginPort, what: t('up.port.inspector-app-origin'), setting: 'INSPECTOR_APP_ORIGIN_PORT' },
  ]);
  mkdirSync(homeDir, { recursive: true });
  // A catalog of our own: otherwise the Inspector seeds ~/.mcp-inspector/mcp.json with samples.
  const catalogPath = path.join(homeDir, 'mcp.json');
  writeFileSync(catalogPath, `${JSON.stringify({ mcpServers: servers }, null, 2)}\n`);
  if (clientSettings) {
    const storageDir = path.join(homeDir, '.mcp-inspector', 'storage');
    mkdirSync(storageDir, { recursive: true });
    writeFileSync(path.join(storageDir, 'client.json'), `${JSON.stringify(clientSettings, null, 2)}\n`);
  }

  // localhost, not 127.0.0.1: the redirect URI Keycloak knows is http://localhost:<port>/oauth/callback.
  const url = `http://localhost:${port}`;
  const { stop } = await startService({
    description: t('up.inspector.description', { url }),
    file: process.execPath,
    args: [inspectorLauncherPath(), '--web', '--catalog', catalogPath],
    env: {
      HOME: homeDir,
      HOST: 'localhost',
      CLIENT_PORT: String(port),
      MCP_SANDBOX_PORT: String(sandboxPort),
      MCP_APP_ORIGIN_PORT: String(appOriginPort),
      MCP_INSPECTOR_API_TOKEN: apiToken,
      MCP_AUTO_OPEN_ENABLED: 'false',
      // Secrets (tokens, client secrets) in memory: no keyring on a lab machine, nothing left behind.
      MCP_INSPECTOR_SECRET_STORE: 'memory',
    },
    logPath,
    ready: `${url}/healthz`,
    readyTimeoutMs,
  });
  return { url, openUrl: `${url}/?MCP_INSPECTOR_API_TOKEN=${apiToken}`, logPath, stop };
}
