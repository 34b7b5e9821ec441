/**
 * The language of our pages: an explicit choice (`?lang=en` from the language switch, remembered in
 * a cookie) wins, then the client's `ui_locales`, then `Accept-Language`, else Russian.
 */
import type { Context } from 'koa';
import { isLocale, negotiateLocale, otherLocale, type Locale } from '../../views/index.ts';

export const LANG_COOKIE = 'propusk.lang';
const ONE_YEAR_MS = 365 * 24 * 3600 * 1000;

export function pageLocale(ctx: Context, uiLocales?: string): Locale {
  const chosen = ctx.query.lang;
  if (isLocale(chosen)) {
    ctx.cookies.set(LANG_COOKIE, chosen, { httpOnly: true, sameSite: 'lax', signed: false, overwrite: true, maxAge: ONE_YEAR_MS });
    return chosen;
  }
  const remembered = ctx.cookies.get(LANG_COOKIE, { signed: false });
  if (isLocale(remembered)) return remembered;
  return negotiateLocale({ uiLocales, acceptLanguage: ctx.get('accept-language') });
}

/** A link to `path` in the other language; `query` (e.g. the current query string) is kept. */
export function switchLocaleHref(path: string, locale: Locale, query = ''): string {
  const params = new URLSearchParams(query);
  params.set('lang', otherLocale(locale));
  return `${path}?${params.toString()}`;
}
