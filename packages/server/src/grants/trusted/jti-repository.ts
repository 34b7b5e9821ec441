// TrustedJtiRepository: single use of trusted-grant JWTs. The grant handler records each accepted
// (iss, jti) atomically; storage keeps the record until the JWT's `exp` (then it may be swept).

export interface TrustedJtiRepository {
  /** @returns true if recorded now, false if this (issuer, jti) was already present (a replay). */
  recordOnce(issuer: string, jti: string, expiresAt: Date): Promise<boolean>;
}

/** Alias kept for readers who look for the usual name. */
export type ReplayCache = TrustedJtiRepository;
