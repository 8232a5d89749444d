import { readdirSync } from 'node:fs';
import path from 'node:path';
import { parse, TYPE, type MessageFormatElement } from '@formatjs/icu-messageformat-parser';
import { expect, test } from '@playwright/test';
import { catalogues, inLocale, localeFrom, locales, type MessageKey } from '../../core/messages.ts';
import { displayWidth, padEndDisplay } from '../../core/display-width.ts';
import { loadConfig, repoRoot } from '../../core/config.ts';

/** A message's placeholder names (a plural in English may be a plain `{n}` in Chinese, which has no plural forms). */
function placeholders(elements: MessageFormatElement[], found = new Set<string>()): Set<string> {
  for (const element of elements) {
    if (element.type === TYPE.literal || element.type === TYPE.pound) continue;
    if (element.type === TYPE.tag) {
      placeholders(element.children, found);
      continue;
    }
    found.add(element.value);
    if ('options' in element) for (const option of Object.values(element.options)) placeholders(option.value, found);
  }
  return found;
}

/** What is wrong between two catalogues: keys in one only, placeholders that differ. */
export function catalogueProblems(all: Record<string, Record<string, string>>): string[] {
  const problems: string[] = [];
  const names = Object.keys(all);
  const keys = new Set(Object.values(all).flatMap((catalogue) => Object.keys(catalogue)));
  for (const key of [...keys].sort()) {
    const present = names.filter((locale) => key in all[locale]!);
    if (present.length !== names.length) {
      problems.push(`${key}: only in ${present.join(', ')}`);
      continue;
    }
    const [first, ...others] = present.map((locale) => [
      locale,
      [...placeholders(parse(all[locale]![key]!, { ignoreTag: true }))].sort().join(', '),
    ]);
    for (const [locale, found] of others) {
      if (found !== first![1]) problems.push(`${key}: ${first![0]} has {${first![1]}}, ${locale} has {${found}}`);
    }
  }
  return problems;
}

test.describe('the message catalogues', () => {
  test('every language has the same keys, and each message the same placeholders', () => {
    expect(catalogueProblems(catalogues)).toEqual([]);
  });

  test('the check fails on a key in one language only and on a placeholder that differs', () => {
    const broken = {
      en: { 'cli.a': 'one {name}', 'cli.b': '{count, plural, one {# check} other {# checks}}', 'cli.c': 'c' },
      'zh-CN': { 'cli.a': '一 {nom}', 'cli.b': '{count} 项检查' },
    };
    expect(catalogueProblems(broken)).toEqual(['cli.a: en has {name}, zh-CN has {nom}', 'cli.c: only in en']);
  });

  test("each area's file holds only keys named after it", () => {
    for (const locale of locales) {
      const folder = path.join(repoRoot, 'core', 'messages', locale);
      const files = readdirSync(folder).sort();
      expect(files).toEqual(readdirSync(path.join(repoRoot, 'core', 'messages', 'en')).sort());
    }
    for (const key of Object.keys(catalogues.en))
      expect(key).toMatch(/^(check|classroom|cli|config|doctor|providers|provisioning|up)\.[\w.-]+$/);
  });

  test('every message formats in every language with its placeholders filled', () => {
    for (const locale of locales) {
      for (const [key, message] of Object.entries(catalogues[locale])) {
        const values = Object.fromEntries([...placeholders(parse(message, { ignoreTag: true }))].map((name) => [name, 2]));
        expect(() => inLocale(locale, key as MessageKey, values), `${locale} ${key}`).not.toThrow();
      }
    }
  });

  test('the Chinese catalogue says what the tutorial says: its terms, not their variants', () => {
    // (a variant the zh-CN tutorial does not use, the tutorial's word)
    const variants: [RegExp, string][] = [
      [/作用域|范围/, '权限 (Scopes)'],
      [/颁发者|签发者/, '发行者'],
      [/认证服务器|鉴权服务器/, '授权服务器'],
      [/回调地址/, '回调 URL / 重定向 URI'],
      [/存取令牌|访问token/i, '访问令牌'],
    ];
    const found = Object.entries(catalogues['zh-CN']).flatMap(([key, message]) =>
      variants.filter(([variant]) => variant.test(message)).map(([variant, word]) => `${key}: ${variant.source} → ${word}`),
    );
    expect(found).toEqual([]);
  });
});

test.describe('the language', () => {
  test('LAB_LOCALE wins; else the first of LC_ALL, LC_MESSAGES, LANG; Simplified Chinese gives zh-CN, the rest English', () => {
    expect(localeFrom({})).toEqual({ tag: 'en', source: 'default' });
    expect(localeFrom({ LANG: 'zh_CN.UTF-8' })).toEqual({ tag: 'zh-CN', source: 'LANG=zh_CN.UTF-8' });
    expect(localeFrom({ LANG: 'zh_TW.UTF-8' })?.tag).toBe('en');
    expect(localeFrom({ LANG: 'zh_Hans_CN' })?.tag).toBe('zh-CN');
    expect(localeFrom({ LANG: 'C.UTF-8' })?.tag).toBe('en');
    expect(localeFrom({ LC_ALL: 'en_US.UTF-8', LANG: 'zh_CN.UTF-8' })?.tag).toBe('en');
    expect(localeFrom({ LAB_LOCALE: 'zh-CN', LC_ALL: 'en_US.UTF-8' })).toEqual({ tag: 'zh-CN', source: 'LAB_LOCALE' });
    expect(localeFrom({ LAB_LOCALE: 'zh_cn' })?.tag).toBe('zh-CN');
    expect(localeFrom({ LAB_LOCALE: 'fr' })).toBeUndefined();
    expect(() => loadConfig({ LAB_LOCALE: 'fr' })).toThrow('LAB_LOCALE must be "en" or "zh-CN", got "fr"');
    expect(loadConfig({ LANG: 'zh_CN.UTF-8' }).locale).toEqual({ tag: 'zh-CN', source: 'LANG=zh_CN.UTF-8' });
  });

  test('numbers print without digit grouping, as the lab always printed ports and counts', () => {
    expect(inLocale('en', 'cli.error', { line: 8080 })).toBe('error: 8080');
  });

  test('Han characters take two columns when the lab pads a table', () => {
    expect(displayWidth('用户')).toBe(4);
    expect(padEndDisplay('用户', 6)).toBe('用户  ');
    expect(padEndDisplay('user', 6)).toBe('user  ');
  });
});
