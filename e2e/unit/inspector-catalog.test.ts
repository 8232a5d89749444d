import { loadConfig } from '../../core/config.ts';
import { labInspectorServers } from '../../lab/inspector-catalog.ts';
import { expect, test } from '@playwright/test';

test("the Inspector's catalog has the tutorial's two entries, with the manual profile's OAuth settings", () => {
  expect(labInspectorServers(loadConfig({ AUTH_MODE: 'spec' }))).toEqual({
    'whoami-sse': {
      type: 'sse',
      url: 'http://localhost:3001/sse',
      oauth: { clientId: 'mcp-inspector', scopes: 'openid profile email', requestRefreshToken: false },
    },
    'whoami-http': {
      type: 'streamable-http',
      url: 'http://localhost:3001/mcp',
      oauth: { clientId: 'mcp-inspector', scopes: 'openid profile email', requestRefreshToken: false },
    },
  });
});

test('with MCP_REVISION=2026-07-28 it has one Streamable HTTP entry in the modern era (no handshake, no session): the 2.x server has no SSE', () => {
  expect(labInspectorServers(loadConfig({ AUTH_MODE: 'spec', MCP_REVISION: '2026-07-28' }))).toEqual({
    'whoami-2026': {
      type: 'streamable-http',
      url: 'http://localhost:3001/mcp',
      protocolEra: 'modern',
      oauth: { clientId: 'mcp-inspector', scopes: 'openid profile email mcp:whoami', requestRefreshToken: false },
    },
  });
});
