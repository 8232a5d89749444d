/**
 * The lab's words in the learner's language: one ICU MessageFormat catalogue per language,
 * `core/messages/<locale>/*.json` (a file per area of the lab, keys prefixed with the area), formatted
 * with intl-messageformat. The CLI chooses the language once per process, at its entry
 * (`useLocale(config.locale.tag)`), the way a terminal's LANG applies to the whole program; what is
 * printed for machines (`--json`) or kept in logs is rendered with `inLocale('en', …)`.
 */
import { IntlMessageFormat, type Formatters } from 'intl-messageformat';
import enCheck from './messages/en/check.json' with { type: 'json' };
import enClassroom from './messages/en/classroom.json' with { type: 'json' };
import enCli from './messages/en/cli.json' with { type: 'json' };
import enConfig from './messages/en/config.json' with { type: 'json' };
import enDoctor from './messages/en/doctor.json' with { type: 'json' };
import enProviders from './messages/en/providers.json' with { type: 'json' };
import enProvisioning from './messages/en/provisioning.json' with { type: 'json' };
import enUp from './messages/en/up.json' with { type: 'json' };
import zhCheck from './messages/zh-CN/check.json' with { type: 'json' };
import zhClassroom from './messages/zh-CN/classroom.json' with { type: 'json' };
import zhCli from './messages/zh-CN/cli.json' with { type: 'json' };
import zhConfig from './messages/zh-CN/config.json' with { type: 'json' };
import zhDoctor from './messages/zh-CN/doctor.json' with { type: 'json' };
import zhProviders from './messages/zh-CN/providers.json' with { type: 'json' };
import zhProvisioning from './messages/zh-CN/provisioning.json' with { type: 'json' };
import zhUp from './messages/zh-CN/up.json' with { type: 'json' };

export const locales = ['en', 'zh-CN'] as const;
export type Locale = (typeof locales)[number];

const en = { ...enCheck, ...enClassroom, ...enCli, ...enConfig, ...enDoctor, ...enProviders, ...enProvisioning, ...enUp };
export type MessageKey = keyof typeof en;
/** A message's placeholders: `{name}` → its value. A missing one throws (intl-messageformat's MissingValueError). */
export type MessageValues = Record<string, string | number>;

/**
 * Every language's catalogue. A key missing from one is a type error here; a key in one only, or a
 * placeholder that differs, is the catalogue test's (e2e/unit/messages.test.ts).
 */
export const catalogues: Record<Locale, Record<MessageKey, string>> = {
  en,
  'zh-CN': { ...zhCheck, ...zhClassroom, ...zhCli, ...zhConfig, ...zhDoctor, ...zhProviders, ...zhProvisioning, ...zhUp },
};

let active: Locale = 'en';

/**
 * Numbers print as the lab always printed them: no digit grouping (a port is 8080, not 8,080),
 * whether the number stands alone or as a plural's `#`.
 */
const formatters: Formatters = {
  getNumberFormat: (locale, options) => new Intl.NumberFormat(locale, { ...(options as Intl.NumberFormatOptions), useGrouping: false }),
  getDateTimeFormat: (...args) => new Intl.DateTimeFormat(...args),
  getPluralRules: (...args) => new Intl.PluralRules(...args),
};
const compiled = new Map<string, IntlMessageFormat>();

/** The language the CLI prints in, from here on (called once, at the CLI's entry). */
export function useLocale(locale: Locale): void {
  active = locale;
}

export function activeLocale(): Locale {
  return active;
}

/** A message in the active language. */
export function t(key: MessageKey, values: MessageValues = {}): string {
  return inLocale(active, key, values);
}

/** A message in a given language: `--json` and logs are English whatever the learner reads. */
export function inLocale(locale: Locale, key: MessageKey, values: MessageValues = {}): string {
  const id = `${locale}\0${key}`;
  let message = compiled.get(id);
  if (!message) {
    message = new IntlMessageFormat(catalogues[locale][key], locale, undefined, { ignoreTag: true, formatters });
    compiled.set(id, message);
  }
  return String(message.format(values));
}

/** Runs `work` with another active language (tests, and `--json`, which is English). */
export function withLocale<T>(locale: Locale, work: () => T): T {
  const before = active;
  active = locale;
  try {
    return work();
  } finally {
    active = before;
  }
}

/** The environment variables the language comes from, strongest first. */
export const localeVariables = ['LAB_LOCALE', 'LC_ALL', 'LC_MESSAGES', 'LANG'] as const;

/**
 * LAB_LOCALE (`en` or `zh-CN`) wins. Otherwise the first of LC_ALL, LC_MESSAGES and LANG that is set
 * (POSIX's order) decides: Simplified Chinese (zh_CN, zh_SG, zh_Hans…) gives zh-CN, anything else
 * (C, en_US, zh_TW…) English. A learner whose terminal is Chinese gets Chinese with no setting.
 * `undefined` for a LAB_LOCALE the lab does not speak (the caller says so).
 */
export function localeFrom(env: Readonly<Record<string, string | undefined>>): { tag: Locale; source: string } | undefined {
  const chosen = env.LAB_LOCALE?.trim();
  if (chosen) {
    const tag = locales.find((locale) => locale.toLowerCase() === chosen.toLowerCase().replace('_', '-'));
    return tag ? { tag, source: 'LAB_LOCALE' } : undefined;
  }
  for (const name of localeVariables.slice(1)) {
    const value = env[name];
    if (!value) continue;
    return { tag: /^zh[_-](CN|SG|Hans)(?![a-z])/i.test(value) ? 'zh-CN' : 'en', source: `${name}=${value}` };
  }
  return { tag: 'en', source: 'default' };
}
