/** Invitation lifetimes written like `30m`, `12h` or `7d` (minutes, hours, days). */
import { invalid } from '../shared/errors.ts';

/** Default lifetime of an invitation link: 7 days. */
export const DEFAULT_INVITATION_TTL_MS = 7 * 24 * 3600_000;
/** Longest lifetime accepted: 90 days. */
export const MAX_INVITATION_TTL_MS = 90 * 24 * 3600_000;

const UNIT_MS = { m: 60_000, h: 3600_000, d: 24 * 3600_000 } as const;

/** Parses `<positive integer><m|h|d>` into milliseconds (at most 90 days). */
export function parseTtl(value: string): number {
  const m = /^([1-9][0-9]{0,5})([mhd])$/.exec(value.trim());
  if (!m) throw invalid(`ttl ${JSON.stringify(value)} must be a number followed by m, h or d (e.g. 30m, 12h, 7d)`);
  const ms = Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS];
  if (ms > MAX_INVITATION_TTL_MS) throw invalid('ttl must be at most 90d');
  return ms;
}
