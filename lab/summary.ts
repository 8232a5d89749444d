import type { LabConfig, WhoamiSdk } from '../core/config.ts';
import { displayWidth, padEndDisplay } from '../core/display-width.ts';
import { t } from '../core/messages.ts';

/** The tutorial's tab each server follows, as the lab names it. */
export const sdkNames: Record<WhoamiSdk, string> = { node: 'Node.js SDK', python: 'Python SDK' };
const serverSources: Record<WhoamiSdk, string> = { node: 'server/whoami.ts', python: 'server/python/whoami.py' };

/**
 * What a learner needs after `lab up`: where everything is and what to type into the Inspector,
 * in the active language; the values start at one column however wide the labels are (a Han
 * character takes two).
 */
export function labSummary(lab: LabConfig, inspectorOpenUrl?: string): string {
  const rows: Array<[string, string]> = [
    ...(inspectorOpenUrl ? [[t('up.summary.label.inspector'), inspectorRow(lab, inspectorOpenUrl)] as [string, string]] : []),
    ...authServerRows(lab),
    [t('up.summary.label.test-user'), `${lab.user.username} / ${lab.user.password}`],
    ...serverRows(lab),
    ...inspectorRows(lab),
    [t('up.summary.label.redirect-url'), lab.client.inspectorRedirectUri],
    [
      t('up.summary.label.check'),
      lab.server.revision === '2026-07-28' ? t('up.summary.check.revision-2026') : t('up.summary.check.tutorial'),
    ],
    [t('up.summary.label.progress'), t('up.summary.progress', { url: lab.classroom.progressUrl })],
    [
      t('up.summary.label.language'),
      t('up.summary.language', { language: lab.locale.tag === 'zh-CN' ? 'zh' : 'en', source: lab.locale.source }),
    ],
  ];
  const width = Math.max(...rows.map(([label]) => displayWidth(label)));
  return [
    t('up.summary.ready'),
    ...rows.map(([label, value]) => `  ${padEndDisplay(label, width)}  ${value}`),
    inspectorOpenUrl ? t('up.summary.open-inspector') : t('up.summary.start-inspector', { version: lab.inspector.version }),
  ].join('\n');
}

function inspectorRow(lab: LabConfig, url: string): string {
  return lab.server.revision === '2026-07-28'
    ? t('up.summary.inspector.revision-2026', { url })
    : t('up.summary.inspector.tutorial', { url });
}

/** The whoami server: the tutorial's (both transports), or the 2026-07-28 one with its step-up user. */
function serverRows(lab: LabConfig): Array<[string, string]> {
  if (lab.server.revision === '2026-07-28') {
    return [
      [
        t('up.summary.label.admin-user'),
        t('up.summary.admin-user', {
          username: lab.adminUser.username,
          password: lab.adminUser.password,
          role: lab.adminUser.role,
          scope: lab.server.adminScope,
        }),
      ],
      [t('up.summary.label.server'), t('up.summary.server.revision-2026', { url: lab.server.url })],
      [
        t('up.summary.label.server-code'),
        t('up.summary.server-code', { sdk: `${sdkNames.node} 2.x`, file: 'server/revision-2026/whoami.ts' }),
      ],
    ];
  }
  return [
    [t('up.summary.label.server'), t('up.summary.server.tutorial', { url: lab.server.url, mode: lab.server.mode })],
    [
      t('up.summary.label.server-code'),
      t('up.summary.server-code', { sdk: sdkNames[lab.server.sdk], file: serverSources[lab.server.sdk] }),
    ],
  ];
}

/** The tab's authorization server: Keycloak's console and realm, or the lab's OIDC or OAuth 2.0 server. */
function authServerRows(lab: LabConfig): Array<[string, string]> {
  const { provider } = lab;
  if (provider.kind === 'oidc') {
    return [
      [t('up.summary.label.oidc'), t('up.summary.oidc', { issuer: provider.issuer })],
      [t('up.summary.label.issuer'), provider.issuer],
    ];
  }
  if (provider.kind === 'logto') {
    return [
      [t('up.summary.label.logto'), t('up.summary.logto', { url: lab.logto.url, port: String(lab.logto.dbPort) })],
      [
        t('up.summary.label.logto-console'),
        t('up.summary.logto-console', { url: lab.logto.consoleUrl, username: lab.logto.adminUsername, password: lab.logto.adminPassword }),
      ],
      [t('up.summary.label.issuer'), provider.issuer],
      ...(lab.server.mode === 'tutorial'
        ? [
            [
              t('up.summary.label.note'),
              t('up.summary.logto-note', { version: lab.inspector.version, resource: lab.server.resourceUrl }),
            ] as [string, string],
          ]
        : []),
    ];
  }
  if (provider.kind === 'oauth') {
    return [
      [t('up.summary.label.oauth'), t('up.summary.oauth', { issuer: provider.issuer })],
      [t('up.summary.label.issuer'), provider.issuer],
      [t('up.summary.label.user-endpoint'), t('up.summary.user-endpoint', { url: provider.userEndpoint ?? '' })],
    ];
  }
  const consoleUrl = `${lab.keycloak.adminConsoleUrl}/admin`;
  return [
    // A classroom's console may be on a projector: its password stays off the screen.
    lab.inClassroom
      ? [
          t('up.summary.label.keycloak-console'),
          t('up.summary.keycloak-console.classroom', { url: consoleUrl, username: lab.keycloak.adminUsername }),
        ]
      : [
          t('up.summary.label.keycloak-console'),
          t('up.summary.keycloak-console', { url: consoleUrl, username: lab.keycloak.adminUsername, password: lab.keycloak.adminPassword }),
        ],
    ...(lab.keycloak.gate ? [[t('up.summary.label.gate'), t('up.summary.gate', { url: lab.keycloak.url })] as [string, string]] : []),
    [t('up.summary.label.issuer'), lab.realm.issuer],
  ];
}

/** What the learner types into the Inspector, by registration profile (LAB_CLIENT_REGISTRATION). */
function inspectorRows(lab: LabConfig): Array<[string, string]> {
  switch (lab.client.registration) {
    case 'manual':
      return [
        [
          t('up.summary.label.client-id'),
          lab.provider.kind === 'logto'
            ? t('up.summary.client-id.logto', { clientId: lab.provider.clientId, app: lab.logto.appName })
            : lab.provider.clientId,
        ],
        // Spec mode: the token must be asked for with the whoami scope, which binds it to the server.
        [t('up.summary.label.scope'), lab.server.mode === 'spec' ? `${lab.provider.scope} ${lab.server.whoamiScope}` : lab.provider.scope],
      ];
    case 'dynamic':
      return [[t('up.summary.label.client-id'), t('up.summary.client-id.dynamic')]];
    case 'cimd':
      return [[t('up.summary.label.client-id'), t('up.summary.client-id.cimd', { url: lab.cimd.inspectorDocumentUrl })]];
  }
}
