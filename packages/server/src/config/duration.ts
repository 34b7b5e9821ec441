/**
 * The one way Propusk reads a duration written by a person: a whole number and a unit, `30s`,
 * `10m`, `12h`, `7d` (seconds, minutes, hours, days). Callers choose which units they accept and
 * word their own refusal.
 */

export const DURATION_UNITS_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
export type DurationUnit = keyof typeof DURATION_UNITS_MS;

/** Milliseconds of `<integer><unit>` (at most nine digits), or undefined when `value` is not one in `units`. */
export function parseDuration(value: string, units: readonly DurationUnit[] = ['s', 'm', 'h', 'd']): number | undefined {
  const m = /^(\d{1,9})([smhd])$/.exec(value.trim());
  if (!m) return undefined;
  const unit = m[2] as DurationUnit;
  return units.includes(unit) ? Number(m[1]) * DURATION_UNITS_MS[unit] : undefined;
}
