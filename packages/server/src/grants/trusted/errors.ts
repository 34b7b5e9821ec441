// TrustedAssertionError: why a trusted-grant JWT was refused. `code` is stable; the message is
// ready to be sent as the OAuth `error_description` of an `invalid_grant` response.

export const TrustedAssertionErrorCode = {
  /** Not a compact JWS JWT, undecodable header or claims, wrong header member types. */
  MALFORMED: 'ERR_ASSERTION_MALFORMED',
  /** Header `alg` is not RS256/PS256 (`none`, HMAC, EC …); refused before any key is used. */
  ALGORITHM: 'ERR_ASSERTION_ALG',
  /** The client has no registered partner key. */
  NO_KEYS: 'ERR_NO_PARTNER_KEYS',
  /** Header `kid` / `x5t` / `x5t#S256` matches no registered key of the client. */
  UNKNOWN_KEY: 'ERR_UNKNOWN_KEY',
  /** The selected (or every) partner key is outside its certificate validity period. */
  KEY_NOT_VALID: 'ERR_PARTNER_KEY_NOT_VALID',
  /** The signature does not verify with the selected key(s). */
  SIGNATURE: 'ERR_SIGNATURE',
  /** A required claim (`exp`, `sub`, `jti`, `iss`) is absent; see `claim`. */
  CLAIM_MISSING: 'ERR_CLAIM_MISSING',
  /** A claim has the wrong type or is empty; see `claim`. */
  CLAIM_INVALID: 'ERR_CLAIM_INVALID',
  /** `iss` differs from the calling client_id. */
  ISSUER: 'ERR_ISSUER',
  /** `aud` is present but names neither the issuer nor the token endpoint, or absent for a partner that requires it. */
  AUDIENCE: 'ERR_AUDIENCE',
  /** `exp` is in the past (beyond the clock tolerance). */
  EXPIRED: 'ERR_EXPIRED',
  /** `nbf` is in the future (beyond the clock tolerance). */
  NOT_YET_VALID: 'ERR_NOT_YET_VALID',
  /** `iat` is in the future (beyond the clock tolerance). */
  IAT_IN_FUTURE: 'ERR_IAT_IN_FUTURE',
  /** Total lifetime above the maximum (24 h). */
  LIFETIME: 'ERR_LIFETIME_TOO_LONG',
  /** `jti` longer than the maximum (36 UTF-8 bytes). */
  JTI_TOO_LONG: 'ERR_JTI_TOO_LONG',
} as const;
export type TrustedAssertionErrorCode = (typeof TrustedAssertionErrorCode)[keyof typeof TrustedAssertionErrorCode];

export class TrustedAssertionError extends Error {
  override readonly name = 'TrustedAssertionError';
  constructor(
    readonly code: TrustedAssertionErrorCode,
    message: string,
    /** The claim concerned, for CLAIM_MISSING / CLAIM_INVALID. */
    readonly claim?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
