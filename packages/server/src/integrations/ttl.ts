/** Invitation lifetimes written like `30m`, `12h` or `7d` (minutes, hours, days; config/duration.ts). */
import { parseDuration } from '../config/duration.ts';
import { invalid } from '../shared/errors.ts';

/** Default lifetime of an invitation link: 7 days. */
export const DEFAULT_INVITATION_TTL_MS = 7 * 24 * 3600_000;
/** Longest lifetime accepted: 90 days. */
export const MAX_INVITATION_TTL_MS = 90 * 24 * 3600_000;

/** Parses `<positive integer><m|h|d>` into milliseconds (at most 90 days). */
export function parseTtl(value: string): number {
  const ms = parseDuration(value, ['m', 'h', 'd']);
  if (ms === undefined || ms === 0) throw invalid(`ttl ${JSON.stringify(value)} must be a number followed by m, h or d (e.g. 30m, 12h, 7d)`);
  if (ms > MAX_INVITATION_TTL_MS) throw invalid('ttl must be at most 90d');
  return ms;
}
