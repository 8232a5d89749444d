import type { LabConfig } from '../core/config.ts';
import type { Student } from '../provisioning/roster.ts';
import { escapeHtml } from './escape-html.ts';

/** A printable page, one card per student: credentials, URLs, and what to type into the Inspector. */
export function renderHandoutHtml(students: Student[], lab: LabConfig): string {
  const settings: Array<[string, string]> = [
    // Each student's own Inspector, on their laptop: the instructor's listens on loopback only.
    ['MCP Inspector', `${lab.inspector.url} (on your laptop: npx @modelcontextprotocol/inspector@${lab.inspector.version})`],
    ['Server URL', `${lab.server.url}/mcp (Streamable HTTP) · ${lab.server.url}/sse (SSE)`],
    ['OAuth Client ID', lab.client.id],
    ['Scopes', lab.client.scope],
    ['Issuer', lab.realm.issuer],
  ];
  const settingRows = settings.map(([label, value]) => `<tr><th>${escapeHtml(label)}</th><td>${escapeHtml(value)}</td></tr>`).join('');
  const cards = students
    .map(
      (student) => `
  <section class="card">
    <h2>${escapeHtml(student.firstName)} ${escapeHtml(student.lastName)}</h2>
    <table>
      <tr><th>Username</th><td class="secret">${escapeHtml(student.username)}</td></tr>
      <tr><th>Password</th><td class="secret">${escapeHtml(student.password)}</td></tr>
      ${settingRows}
    </table>
  </section>`,
    )
    .join('');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>MCP Auth Lab — student accounts</title>
<style>
  body { font-family: system-ui, sans-serif; margin: 1.5rem; }
  h1 { font-size: 1.3rem; }
  main { display: grid; grid-template-columns: repeat(auto-fill, minmax(22rem, 1fr)); gap: 1rem; }
  .card { border: 1px dashed #888; padding: 0.8rem 1rem; break-inside: avoid; page-break-inside: avoid; }
  .card h2 { font-size: 1rem; margin: 0 0 0.5rem; }
  th { text-align: left; padding-right: 0.8rem; font-weight: 600; white-space: nowrap; vertical-align: top; }
  td { word-break: break-all; }
  .secret { font-family: ui-monospace, monospace; font-size: 1.05rem; }
  @media print { body { margin: 0; } h1 { display: none; } }
</style>
</head>
<body>
<h1>MCP Auth Lab — "Who am I?" — ${students.length} student accounts (cut along the dashed lines)</h1>
<main>${cards}
</main>
</body>
</html>
`;
}
