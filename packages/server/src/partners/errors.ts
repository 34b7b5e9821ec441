// PartnerKeyError: why a partner certificate or key was refused at registration; `code` is stable.

import { CodedError } from '../shared/errors.ts';

export const PartnerKeyErrorCode = {
  /** Not a PEM certificate / public key, JWK or JWKS, or malformed. */
  FORMAT: 'ERR_KEY_FORMAT',
  /** Not an RSA key (EC, OKP, symmetric, RSA-PSS-restricted …). */
  NOT_RSA: 'ERR_KEY_NOT_RSA',
  /** RSA modulus shorter than the minimum (2048 bits). */
  TOO_SMALL: 'ERR_KEY_TOO_SMALL',
  /** RSA public exponent that is even or below 3. */
  WEAK_EXPONENT: 'ERR_KEY_WEAK_EXPONENT',
  /** JWK `use`/`alg`/`key_ops` forbid signing with RS256/PS256. */
  USAGE: 'ERR_KEY_USAGE',
  /** Certificate notBefore is in the future. */
  CERT_NOT_YET_VALID: 'ERR_CERT_NOT_YET_VALID',
  /** Certificate notAfter is in the past. */
  CERT_EXPIRED: 'ERR_CERT_EXPIRED',
  /** The input contains private (or secret) key material, which is never stored. */
  PRIVATE: 'ERR_KEY_PRIVATE',
} as const;
export type PartnerKeyErrorCode = (typeof PartnerKeyErrorCode)[keyof typeof PartnerKeyErrorCode];

export class PartnerKeyError extends CodedError<PartnerKeyErrorCode> {
  override readonly name = 'PartnerKeyError';
}
