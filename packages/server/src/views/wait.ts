/**
 * How long to wait, as a person reads it: "15 minutes", "1 minute", "40 seconds"; in Russian with
 * the case a "через …" phrase needs ("через 1 минуту", "через 3 минуты", "через 15 минут").
 * Seconds are rounded up to whole minutes from one minute on.
 */
import type { Locale } from './i18n/locale.ts';

const UNITS: Readonly<Record<Locale, Record<'minute' | 'second', Partial<Record<Intl.LDMLPluralRule, string>>>>> = {
  en: { minute: { one: 'minute', other: 'minutes' }, second: { one: 'second', other: 'seconds' } },
  ru: { minute: { one: 'минуту', few: 'минуты', many: 'минут', other: 'минуты' }, second: { one: 'секунду', few: 'секунды', many: 'секунд', other: 'секунды' } },
};

const rules: Readonly<Record<Locale, Intl.PluralRules>> = { en: new Intl.PluralRules('en'), ru: new Intl.PluralRules('ru') };

export function waitText(locale: Locale, seconds: number): string {
  const whole = Math.max(1, Math.ceil(seconds));
  const [count, unit] = whole < 60 ? [whole, 'second' as const] : [Math.ceil(whole / 60), 'minute' as const];
  const forms = UNITS[locale][unit];
  return `${count} ${forms[rules[locale].select(count)] ?? forms.other}`;
}

/** A lifetime in whole hours when it is one (`24 hours`, `24 часа`), else in minutes (`30 minutes`). */
export function lifetimeText(locale: Locale, seconds: number): string {
  const [value, unit] = seconds % 3600 === 0 ? [seconds / 3600, 'hour'] : [Math.max(1, Math.round(seconds / 60)), 'minute'];
  return new Intl.NumberFormat(locale, { style: 'unit', unit, unitDisplay: 'long' }).format(value);
}
