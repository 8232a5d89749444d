import type { LabConfig } from '../../core/config.ts';
import { escapeHtml } from '../escape-html.ts';

/**
 * The room's progress, for a projector: one row per student, one column per checkpoint. It asks
 * /progress.json every 2 seconds and redraws itself; no framework, nothing to install.
 */
export function renderProgressPage(config: LabConfig): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>MCP Auth Lab — the room's progress</title>
<style>
  body { font-family: system-ui, sans-serif; margin: 2rem; font-size: 1.2rem; }
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
<h1>Who am I? — the room's progress</h1>
<p class="summary" id="summary">Waiting for the first report…</p>
<table aria-label="Progress">
  <thead><tr><th>Student</th><th>Checkpoint 1</th><th>Checkpoint 2</th></tr></thead>
  <tbody id="students"></tbody>
</table>
<p><small>Students report with <code>npm run lab -- check --report</code> against ${escapeHtml(config.classroom.progressUrl)}. This page updates by itself.</small></p>
<script>
  const cell = (checkpoint) => {
    if (!checkpoint) return '<td class="none">—</td>';
    const failed = checkpoint.failed.map((f) => f.diagnosis || f.name).join(', ');
    return checkpoint.passed ? '<td class="passed">✓ passed</td>' : '<td class="failed">✗ ' + escape(failed) + '</td>';
  };
  const escape = (text) => String(text).replace(/[&<>"']/g, (c) => '&#' + c.charCodeAt(0) + ';');
  async function refresh() {
    try {
      const { students } = await (await fetch('progress.json')).json();
      document.getElementById('students').innerHTML = students.map((s) =>
        '<tr data-student="' + escape(s.username) + '"><td>' + escape(s.username) + '</td>' + cell(s.checkpoints['1']) + cell(s.checkpoints['2']) + '</tr>').join('');
      const done = students.filter((s) => s.checkpoints['2'] && s.checkpoints['2'].passed).length;
      document.getElementById('summary').textContent = done + ' of ' + students.length + ' students have passed checkpoint 2.';
    } catch {
      document.getElementById('summary').textContent = 'The lab does not answer; retrying…';
    }
  }
  refresh();
  setInterval(refresh, 2000);
</script>
</body>
</html>
`;
}
