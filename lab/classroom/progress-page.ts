import type { LabConfig } from '../../core/config.ts';
import { inLocale, type MessageKey, type MessageValues } from '../../core/messages.ts';
import { escapeHtml } from '../escape-html.ts';
import { roomFontFamily } from '../handout.ts';

/**
 * The room's progress, for a projector: one row per student, one column per checkpoint. It asks
 * /progress.json every 2 seconds and redraws itself; no framework, nothing to install. In the
 * room's language (`config.locale`): its texts are rendered here, and the line that counts who
 * passed comes ready-made in /progress.json (`summary`), so the browser formats no message. The
 * catalogue's texts go in as they are (they hold no markup); the values are escaped.
 */
export function renderProgressPage(config: LabConfig): string {
  const locale = config.locale.tag;
  const text = (key: MessageKey, values?: MessageValues) => inLocale(locale, key, values);
  // For the script: JSON, with no `<` that could end the script element.
  const texts = JSON.stringify({ passed: text('classroom.page.passed'), unreachable: text('classroom.page.unreachable') }).replace(
    /</g,
    '\\u003c',
  );
  return `<!doctype html>
<html lang="${locale}">
<head>
<meta charset="utf-8">
<title>${text('classroom.page.title')}</title>
<style>
  body { font-family: ${roomFontFamily(locale)}; margin: 2rem; font-size: 1.2rem; }
  h1 { font-size: 1.6rem; margin-bottom: 0.2rem; }
  p.summary { color: #555; margin-top: 0; }
  table { border-collapse: collapse; min-width: 40rem; }
  th, td { padding: 0.35rem 1rem; border-bottom: 1px solid #ddd; text-align: left; }
  td.passed { color: #0a7d28; font-weight: 600; }
  td.failed { color: #b3261e; }
  td.none { color: #999; }
  small { color: #666; }
</style>
</head>
<body>
<h1>${text('classroom.page.heading')}</h1>
<p class="summary" id="summary">${text('classroom.page.waiting')}</p>
<table aria-label="${escapeHtml(text('classroom.page.table'))}">
  <thead><tr><th>${text('classroom.page.column.student')}</th><th>${text('classroom.page.column.checkpoint', { number: '1' })}</th><th>${text('classroom.page.column.checkpoint', { number: '2' })}</th></tr></thead>
  <tbody id="students"></tbody>
</table>
<p><small>${text('classroom.page.footer', {
    command: '<code>npm run lab -- check --report</code>',
    url: escapeHtml(config.classroom.progressUrl),
  })}</small></p>
<script>
  const texts = ${texts};
  const cell = (checkpoint) => {
    if (!checkpoint) return '<td class="none">—</td>';
    const failed = checkpoint.failed.map((f) => f.diagnosis || f.name).join(', ');
    return checkpoint.passed ? '<td class="passed">' + escape(texts.passed) + '</td>' : '<td class="failed">✗ ' + escape(failed) + '</td>';
  };
  const escape = (text) => String(text).replace(/[&<>"']/g, (c) => '&#' + c.charCodeAt(0) + ';');
  async function refresh() {
    try {
      const { students, summary } = await (await fetch('progress.json')).json();
      document.getElementById('students').innerHTML = students.map((s) =>
        '<tr data-student="' + escape(s.username) + '"><td>' + escape(s.username) + '</td>' + cell(s.checkpoints['1']) + cell(s.checkpoints['2']) + '</tr>').join('');
      document.getElementById('summary').textContent = summary;
    } catch {
      document.getElementById('summary').textContent = texts.unreachable;
    }
  }
  refresh();
  setInterval(refresh, 2000);
</script>
</body>
</html>
`;
}
