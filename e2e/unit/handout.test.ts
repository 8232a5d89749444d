import { loadConfig } from '../../core/config.ts';
import type { Student } from '../../provisioning/roster.ts';
import { renderHandoutHtml } from '../../lab/handout.ts';
import { expect, test } from '@playwright/test';

const room = loadConfig({ LAB_PUBLIC_HOST: '10.0.0.5' });
const students: Student[] = [
  { username: 'ann', password: 'pw-ann-1', email: 'ann@example.com', firstName: 'Ann', lastName: 'Lee' },
  { username: 'bob', password: 'pw-bob-2', email: 'bob@example.com', firstName: 'Bob', lastName: 'Ray' },
];

test("the handout has one card per student, with their own credentials and the room's settings", () => {
  const html = renderHandoutHtml(students, room);
  const cards = html.split('<section class="card">').slice(1);

  expect(html).toContain('2 student accounts');
  expect(cards).toHaveLength(2);
  expect(cards[0]).toContain('<h2>Ann Lee</h2>');
  expect(cards[0]).toContain('<td class="secret">ann</td>');
  expect(cards[0]).toContain('<td class="secret">pw-ann-1</td>');
  expect(cards[0]).not.toContain('pw-bob-2');
  for (const card of cards) {
    expect(card).toContain(
      '<tr><th>Server URL</th><td>http://10.0.0.5:3001/mcp (Streamable HTTP) · http://10.0.0.5:3001/sse (SSE)</td></tr>',
    );
    expect(card).toContain('<tr><th>OAuth Client ID</th><td>mcp-inspector</td></tr>');
    expect(card).toContain('<tr><th>Scopes</th><td>openid profile email</td></tr>');
    expect(card).toContain('<tr><th>Issuer</th><td>http://10.0.0.5:8080/realms/mcp-realm</td></tr>');
    // Each student runs their own Inspector, on their laptop.
    expect(card).toContain(
      '<tr><th>MCP Inspector</th><td>http://localhost:6274 (on your laptop: npx @modelcontextprotocol/inspector@2.12.0)</td></tr>',
    );
  }
});

test('what a roster says is text on the handout, never markup', () => {
  const html = renderHandoutHtml(
    [{ username: 'eve', password: 'a&b', email: 'eve@example.com', firstName: '<script>alert(1)</script>', lastName: '"O\'Neil"' }],
    room,
  );

  expect(html).not.toContain('<script>');
  expect(html).toContain('<h2>&#60;script&#62;alert(1)&#60;/script&#62; &#34;O&#39;Neil&#34;</h2>');
  expect(html).toContain('<td class="secret">a&#38;b</td>');
});
