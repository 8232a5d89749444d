import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { findInCode, findInLogs, oidcDiscoveryFailedInLog, oidcDiscoveryInCode } from '../../lab/check/learner-code.ts';
import { expect, test } from '@playwright/test';

function project(dir: string, files: Record<string, string>): string {
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  }
  return dir;
}

test("the OIDC tab's metadata call is found in the learner's code, Node.js or Python, with its line (not in a comment)", ({}, testInfo) => {
  const node = project(testInfo.outputPath('node'), {
    'whoami.js':
      "// The OIDC tab's code: fetchServerConfig(issuer, { type: 'oidc' })\nconst authIssuer = 'http://localhost:8082';\nconst mcpAuth = new MCPAuth({\n  server: await fetchServerConfig(authIssuer, { type: 'oidc' }),\n});\n",
  });
  const python = project(testInfo.outputPath('python'), {
    'whoami.py': 'mcp_auth = MCPAuth(server=fetch_server_config(auth_issuer, type=AuthServerType.OIDC))\n',
  });
  const oauth = project(testInfo.outputPath('oauth'), { 'whoami.js': "fetchServerConfig(authIssuer, { type: 'oauth' })\n" });

  expect(findInCode(node, oidcDiscoveryInCode)).toEqual({
    file: 'whoami.js',
    line: 4,
    text: "server: await fetchServerConfig(authIssuer, { type: 'oidc' }),",
  });
  expect(findInCode(python, oidcDiscoveryInCode)?.file).toBe('whoami.py');
  expect(findInCode(oauth, oidcDiscoveryInCode)).toBeUndefined();
});

test("installed packages, environments and hidden folders are not the learner's code; src/ is", ({}, testInfo) => {
  const dir = project(testInfo.outputPath('project'), {
    'node_modules/mcp-auth/lib/index.js': "fetchServerConfig(issuer, { type: 'oidc' })\n",
    '.venv/lib/mcpauth.py': 'AuthServerType.OIDC\n',
    'README.md': "{ type: 'oidc' }\n",
  });
  expect(findInCode(dir, oidcDiscoveryInCode)).toBeUndefined();
  project(dir, { 'src/auth.ts': '  type: "oidc",\n' });
  expect(findInCode(dir, oidcDiscoveryInCode)).toMatchObject({ file: 'src/auth.ts', line: 1 });
});

test("the log a learner kept of their server's start says discovery failed", ({}, testInfo) => {
  const dir = project(testInfo.outputPath('logged'), {
    'server.log':
      'file:///home/ada/mcp-server/node_modules/mcp-auth/lib/utils/fetch-server-config.js:37\n' +
      'MCPAuthConfigError: Failed to fetch server config from http://localhost:8082/.well-known/openid-configuration: Not Found\n',
  });
  expect(findInLogs(dir, oidcDiscoveryFailedInLog)).toMatchObject({ file: 'server.log', line: 2 });
  expect(findInCode(dir, oidcDiscoveryInCode)).toBeUndefined();
});
