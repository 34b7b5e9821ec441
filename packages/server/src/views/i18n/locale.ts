/** The supported UI locales: Russian by default, English as the alternative. */

/** Supported locales, default first. */
export const locales = ['ru', 'en'] as const;

/** A supported UI locale. */
export type Locale = (typeof locales)[number];

/** Default locale: used when nothing the client asked for is supported. */
export const defaultLocale: Locale = 'ru';

/** Type guard for a supported locale tag (exact, lower-case). */
export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (locales as readonly string[]).includes(value);
}

/** The locale a language-switch link leads to. */
export function otherLocale(locale: Locale): Locale {
  return locale === 'ru' ? 'en' : 'ru';
}
