/**
 * Device-flow user codes as people type them: 8 letters from a 20-consonant alphabet without
 * vowels or look-alikes (oidc-provider's `base-20`), e.g. `BDWPHQPK`. Case, spaces and dashes are
 * ignored; anything else makes the input malformed, so it is never looked up or echoed.
 */

/** oidc-provider's `base-20` alphabet, the one `features.deviceFlow.charset` uses. */
export const USER_CODE_ALPHABET = 'BCDFGHJKLMNPQRSTVWXZ';
export const USER_CODE_LENGTH = 8;
/** `features.deviceFlow.mask`: the code as generated and stored, without separators. */
export const USER_CODE_MASK = '*'.repeat(USER_CODE_LENGTH);

const WELL_FORMED = new RegExp(`^[${USER_CODE_ALPHABET}]{${USER_CODE_LENGTH}}$`);
/** Longest input considered at all (a code with generous separators). */
const MAX_INPUT = 32;

/** The canonical code (`bdwp-hqpk` → `BDWPHQPK`), or undefined when the input cannot be a user code. */
export function normalizeUserCode(input: unknown): string | undefined {
  if (typeof input !== 'string' || input.length > MAX_INPUT) return undefined;
  const compact = input.replace(/[\s-]/g, '').toUpperCase();
  return WELL_FORMED.test(compact) ? compact : undefined;
}

/** `verification_uri_complete` (docs/api-documentation.md): the page URL with the code as `user-code`. */
export function verificationUriComplete(verificationUri: string, userCode: string): string {
  const url = new URL(verificationUri);
  url.searchParams.set('user-code', userCode);
  return url.href;
}
