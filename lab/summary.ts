import type { LabConfig, WhoamiSdk } from '../core/config.ts';

/** The tutorial's tab each server follows, as the lab names it. */
export const sdkNames: Record<WhoamiSdk, string> = { node: 'Node.js SDK', python: 'Python SDK' };
const serverSources: Record<WhoamiSdk, string> = { node: 'server/whoami.ts', python: 'server/python/whoami.py' };

/** What a learner needs after `lab up`: where everything is and what to type into the Inspector. */
export function labSummary(lab: LabConfig, inspectorOpenUrl?: string): string {
  const rows: Array<[string, string]> = [
    ...(inspectorOpenUrl ? [['MCP Inspector', `${inspectorOpenUrl}  (${inspectorEntries(lab)})`] as [string, string]] : []),
    ...authServerRows(lab),
    ['Test user', `${lab.user.username} / ${lab.user.password}`],
    ...serverRows(lab),
    ...inspectorRows(lab),
    ['Inspector: redirect URL', lab.client.inspectorRedirectUri],
    [
      'Check your server',
      lab.server.revision === '2026-07-28'
        ? '`npm run lab -- check --revision 2026-07-28 DIR|URL` checks it against MCP 2026-07-28; `npm run conformance` runs the official conformance suite against the lab'
        : "`npm run lab -- check DIR` (the folder `lab init` made) or `check URL` runs the tutorial's checkpoints against it",
    ],
    ["Room's progress", `${lab.classroom.progressUrl}/progress  (students report with \`npm run lab -- check --report\`)`],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  return [
    'The lab is ready.',
    ...rows.map(([label, value]) => `  ${label.padEnd(width)}  ${value}`),
    inspectorOpenUrl
      ? 'Open the MCP Inspector at the URL above and follow the tutorial.'
      : `Start the MCP Inspector with \`npx @modelcontextprotocol/inspector@${lab.inspector.version}\` and follow the tutorial.`,
  ].join('\n');
}

function inspectorEntries(lab: LabConfig): string {
  return lab.server.revision === '2026-07-28'
    ? 'whoami-2026 set up, in the modern era; switch it on'
    : 'whoami-sse and whoami-http set up; switch one on';
}

/** The whoami server: the tutorial's (both transports), or the 2026-07-28 one with its step-up user. */
function serverRows(lab: LabConfig): Array<[string, string]> {
  if (lab.server.revision === '2026-07-28') {
    return [
      [
        'Admin user',
        `${lab.adminUser.username} / ${lab.adminUser.password}  (realm role ${lab.adminUser.role}: may have ${lab.server.adminScope}, the step-up of whoami-admin)`,
      ],
      ['whoami MCP server', `${lab.server.url}/mcp (Streamable HTTP, stateless); MCP 2026-07-28, spec mode`],
      ['whoami server code', `${sdkNames.node} 2.x: server/revision-2026/whoami.ts`],
    ];
  }
  return [
    [
      'whoami MCP server',
      `${lab.server.url}/sse (SSE, as in the tutorial), ${lab.server.url}/mcp (Streamable HTTP); ${lab.server.mode} mode`,
    ],
    ['whoami server code', `${sdkNames[lab.server.sdk]}: ${serverSources[lab.server.sdk]}`],
  ];
}

/** The tab's authorization server: Keycloak's console and realm, or the lab's OIDC or OAuth 2.0 server. */
function authServerRows(lab: LabConfig): Array<[string, string]> {
  const { provider } = lab;
  if (provider.kind === 'oidc') {
    return [
      ['OIDC provider', `${provider.issuer}  (oidc-provider; discovery at ${provider.issuer}/.well-known/openid-configuration)`],
      ['Issuer', provider.issuer],
    ];
  }
  if (provider.kind === 'logto') {
    return [
      ['Logto', `${lab.logto.url}  (built from source; its PostgreSQL on 127.0.0.1:${lab.logto.dbPort})`],
      ['Logto Console', `${lab.logto.consoleUrl}  (${lab.logto.adminUsername} / ${lab.logto.adminPassword})`],
      ['Issuer', provider.issuer],
      ...(lab.server.mode === 'tutorial'
        ? [
            [
              'Note',
              `Inspector ${lab.inspector.version} sends resource=${lab.server.resourceUrl}, which Logto refuses (invalid_target): \`lab check\` passes the tutorial's code with the tutorial's client; for the Inspector use AUTH_MODE=spec (docs/providers.md#the-logto-tab)`,
            ] as [string, string],
          ]
        : []),
    ];
  }
  if (provider.kind === 'oauth') {
    return [
      [
        'OAuth 2.0 server',
        `${provider.issuer}  (oidc-provider without OpenID; metadata at ${provider.issuer}/.well-known/oauth-authorization-server)`,
      ],
      ['Issuer', provider.issuer],
      ['User endpoint', `${provider.userEndpoint}  (what the OAuth 2 tab's verifyToken calls)`],
    ];
  }
  return [
    // A classroom's console may be on a projector: its password stays off the screen.
    lab.inClassroom
      ? [
          'Keycloak admin console',
          `${lab.keycloak.adminConsoleUrl}/admin  (on this machine only; ${lab.keycloak.adminUsername}, password: \`npm run lab -- admin-password\`)`,
        ]
      : [
          'Keycloak admin console',
          `${lab.keycloak.adminConsoleUrl}/admin  (${lab.keycloak.adminUsername} / ${lab.keycloak.adminPassword})`,
        ],
    ...(lab.keycloak.gate
      ? [['Students reach Keycloak', `${lab.keycloak.url}  (through nginx: the realm's pages only)`] as [string, string]]
      : []),
    ['Issuer', lab.realm.issuer],
  ];
}

/** What the learner types into the Inspector, by registration profile (LAB_CLIENT_REGISTRATION). */
function inspectorRows(lab: LabConfig): Array<[string, string]> {
  switch (lab.client.registration) {
    case 'manual':
      return [
        [
          'Inspector: Client ID',
          lab.provider.kind === 'logto'
            ? `${lab.provider.clientId}  (the App ID of the Single-page application "${lab.logto.appName}")`
            : lab.provider.clientId,
        ],
        // Spec mode: the token must be asked for with the whoami scope, which binds it to the server.
        ['Inspector: Scope', lab.server.mode === 'spec' ? `${lab.provider.scope} ${lab.server.whoamiScope}` : lab.provider.scope],
      ];
    case 'dynamic':
      return [['Inspector: Client ID', 'none: the Inspector registers itself (dynamic client registration)']];
    case 'cimd':
      return [['Inspector: Client ID', `none: Client Settings › Client ID Metadata Document ${lab.cimd.inspectorDocumentUrl}`]];
  }
}
