/** Picks the UI locale from OIDC `ui_locales` first, then `Accept-Language` q-values, else Russian. */
import { defaultLocale, isLocale, type Locale } from './locale.ts';

/** Inputs to locale negotiation, both raw strings as received. */
export interface LocaleSources {
  /** OIDC `ui_locales`: space-separated BCP 47 tags in order of preference. */
  uiLocales?: string | undefined;
  /** HTTP `Accept-Language` header, e.g. `en-US,en;q=0.9,ru;q=0.8`. */
  acceptLanguage?: string | undefined;
}

/** Maps a language tag (`ru`, `ru-RU`, `EN_us`) to a supported locale by its primary subtag. */
function match(tag: string): Locale | undefined {
  const primary = tag.trim().toLowerCase().split(/[-_]/)[0];
  return isLocale(primary) ? primary : undefined;
}

function fromUiLocales(value: string): Locale | undefined {
  for (const tag of value.split(/\s+/)) {
    const found = match(tag);
    if (found) return found;
  }
  return undefined;
}

function fromAcceptLanguage(value: string): Locale | undefined {
  const ranges: { tag: string; q: number; order: number }[] = [];
  value.split(',').forEach((part, order) => {
    const [tag = '', ...params] = part.split(';').map((s) => s.trim());
    if (!tag) return;
    let q = 1;
    for (const param of params) {
      const m = /^q\s*=\s*([0-9](?:\.[0-9]{0,3})?)$/i.exec(param);
      if (m) q = Number(m[1]);
      else if (/^q\s*=/i.test(param)) q = Number.NaN;
    }
    if (Number.isNaN(q) || q <= 0 || q > 1) return;
    ranges.push({ tag, q, order });
  });
  ranges.sort((a, b) => b.q - a.q || a.order - b.order);
  for (const { tag } of ranges) {
    if (tag === '*') return defaultLocale;
    const found = match(tag);
    if (found) return found;
  }
  return undefined;
}

/** `ui_locales` wins when it names a supported locale; then the best `Accept-Language` match; otherwise `'ru'`. */
export function negotiateLocale(sources: LocaleSources): Locale {
  return (
    (sources.uiLocales ? fromUiLocales(sources.uiLocales) : undefined) ??
    (sources.acceptLanguage ? fromAcceptLanguage(sources.acceptLanguage) : undefined) ??
    defaultLocale
  );
}
