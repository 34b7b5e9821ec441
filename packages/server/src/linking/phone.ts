// normalizePhone: a Russian phone number as the 10 digits without country code that accounts
// store and the linking API (`Phone`) expects, tolerant of the usual ways people write it.

/** Longest input considered, in characters; anything longer is not a phone number. */
const MAX_INPUT_LENGTH = 40;
/** Separators people put between digits: whitespace (incl. no-break space), dashes, parentheses, dots. */
const SEPARATORS = /[\s\-\u2010-\u2015().]/g;

/**
 * @returns the 10 national digits, e.g. `9123456789` for `+7 (912) 345-67-89` or `8-912-345-67-89`;
 *   null for anything else (letters, other country codes, wrong length, empty).
 */
export function normalizePhone(input: string): string | null {
  if (typeof input !== 'string' || input.length > MAX_INPUT_LENGTH) return null;
  const compact = input.replace(SEPARATORS, '');
  // "+7" / "7" / "8" is a prefix only on 11-digit numbers; a bare 10-digit number has none.
  const match = /^(?:\+7|7|8)?(\d{10})$/.exec(compact);
  return match?.[1] ?? null;
}
