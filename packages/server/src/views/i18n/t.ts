/** Message lookup `t(locale, key, params)` with `{name}` placeholders; `tHtml` does the same but lets params be markup. */
import { SafeHtml, escapeHtml, type HtmlValue, html } from '../html.ts';
import { en } from './en.ts';
import type { Locale } from './locale.ts';
import { ru, type MessageKey, type Messages } from './ru.ts';

/** All dictionaries by locale. */
export const dictionaries: { readonly [L in Locale]: Messages } = { ru, en };

/** Placeholder values for `t`. */
export type MessageParams = Readonly<Record<string, string | number>>;

const PLACEHOLDER = /\{([a-zA-Z0-9_]+)\}/g;

/** True when `key` is a known message key (for keys built at run time, e.g. `scope.${name}`). */
export function isMessageKey(key: string): key is MessageKey {
  return Object.hasOwn(ru, key);
}

/** Plain-text message; unknown placeholders are left as is. The result is text: `html` escapes it on interpolation. */
export function t(locale: Locale, key: MessageKey, params?: MessageParams): string {
  const template = dictionaries[locale][key];
  if (!params) return template;
  return template.replace(PLACEHOLDER, (whole, name: string) =>
    Object.hasOwn(params, name) ? String(params[name]) : whole,
  );
}

/** Message as markup: the template text is escaped, params are interpolated like `html` values (so `SafeHtml` stays markup). */
export function tHtml(locale: Locale, key: MessageKey, params: Readonly<Record<string, HtmlValue>> = {}): SafeHtml {
  const template = dictionaries[locale][key];
  let out = '';
  let last = 0;
  for (const match of template.matchAll(PLACEHOLDER)) {
    const name = match[1] ?? '';
    out += escapeHtml(template.slice(last, match.index));
    out += Object.hasOwn(params, name) ? html`${params[name]}`.toString() : escapeHtml(match[0]);
    last = match.index + match[0].length;
  }
  out += escapeHtml(template.slice(last));
  return SafeHtml.trust(out);
}
