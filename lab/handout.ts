import type { LabConfig } from '../core/config.ts';
import { inLocale, type Locale, type MessageKey, type MessageValues } from '../core/messages.ts';
import type { Student } from '../provisioning/roster.ts';
import { escapeHtml } from './escape-html.ts';
import { pageFonts } from '../core/page-fonts.ts';

/** The CSS font-family of the room's pages (the handout, the progress page) in `locale`. */
export function roomFontFamily(locale: Locale): string {
  return pageFonts(locale).join(', ');
}

/**
 * A printable page, one card per student: credentials, URLs, and what to type into the Inspector.
 * In the room's language (`config.locale`). The catalogue's texts go in as they are (they hold no
 * markup); the values are escaped.
 */
export function renderHandoutHtml(students: Student[], lab: LabConfig): string {
  const locale = lab.locale.tag;
  const text = (key: MessageKey, values?: MessageValues) => inLocale(locale, key, values);
  const settings: Array<[string, string]> = [
    // Each student's own Inspector, on their laptop: the instructor's listens on loopback only.
    [
      text('classroom.handout.inspector'),
      text('classroom.handout.inspector-value', {
        url: lab.inspector.url,
        command: `npx @modelcontextprotocol/inspector@${lab.inspector.version}`,
      }),
    ],
    [text('classroom.handout.server-url'), `${lab.server.url}/mcp (Streamable HTTP) · ${lab.server.url}/sse (SSE)`],
    [text('classroom.handout.client-id'), lab.client.id],
    [text('classroom.handout.scopes'), lab.client.scope],
    [text('classroom.handout.issuer'), lab.realm.issuer],
  ];
  const settingRows = settings.map(([label, value]) => `<tr><th>${escapeHtml(label)}</th><td>${escapeHtml(value)}</td></tr>`).join('');
  const cards = students
    .map(
      (student) => `
  <section class="card">
    <h2>${escapeHtml(student.firstName)} ${escapeHtml(student.lastName)}</h2>
    <table>
      <tr><th>${escapeHtml(text('classroom.handout.username'))}</th><td class="secret">${escapeHtml(student.username)}</td></tr>
      <tr><th>${escapeHtml(text('classroom.handout.password'))}</th><td class="secret">${escapeHtml(student.password)}</td></tr>
      ${settingRows}
    </table>
  </section>`,
    )
    .join('');
  return `<!doctype html>
<html lang="${locale}">
<head>
<meta charset="utf-8">
<title>${text('classroom.handout.title')}</title>
<style>
  body { font-family: ${roomFontFamily(locale)}; margin: 1.5rem; }
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
<h1>${text('classroom.handout.heading', { count: String(students.length) })}</h1>
<main>${cards}
</main>
</body>
</html>
`;
}
