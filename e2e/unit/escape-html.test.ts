import { escapeHtml } from '../../lab/escape-html.ts';
import { expect, test } from '@playwright/test';

test('the five characters that mean something in HTML become character references; the rest is left as is', () => {
  expect(escapeHtml(`<a href="x" title='y'>Tom & Jerry</a>`)).toBe(
    '&#60;a href=&#34;x&#34; title=&#39;y&#39;&#62;Tom &#38; Jerry&#60;/a&#62;',
  );
  expect(escapeHtml('Zoë — 学生 01')).toBe('Zoë — 学生 01');
  expect(escapeHtml('&#60;')).toBe('&#38;#60;');
});
