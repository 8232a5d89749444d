import type { Locale } from './messages.ts';

/**
 * The font families of the lab's HTML pages (the room's handout and progress page, the sign-in
 * pages of its own authorization servers), first choice first: in Chinese, fonts with Han
 * characters on macOS, Windows and Linux before the system's, which may have none. A page joins
 * them as its CSS is written (`', '` or `','`).
 */
export function pageFonts(locale: Locale): readonly string[] {
  return locale === 'zh-CN'
    ? ['"PingFang SC"', '"Microsoft YaHei"', '"Noto Sans CJK SC"', '"WenQuanYi Micro Hei"', 'system-ui', 'sans-serif']
    : ['system-ui', 'sans-serif'];
}
