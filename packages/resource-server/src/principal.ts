/**
 * The principal: who the verified token speaks for, and the shared rules that
 * turn validated claims (introspection response or JWT payload) into one.
 *
 * @module
 */
import { TokenInvalidError } from './errors.ts';

/**
 * The result of a successful verification.
 *
 * Principals are frozen and may be shared between concurrent requests (they
 * come from the cache): treat them as read-only.
 */
export interface Principal {
  /** Subject (the end user), absent for tokens issued to a client on its own behalf. */
  readonly sub?: string;
  /** The client (integrator application) the token was issued to. */
  readonly clientId: string;
  /** Granted scopes, from the space-separated `scope` claim (empty when absent). */
  readonly scopes: readonly string[];
  /** When the token expires (`exp`). */
  readonly expiresAt: Date;
  /**
   * For a DPoP-bound token (RFC 9449): `cnf.jkt`, the SHA-256 thumbprint of
   * the key its proofs are signed with; absent for a Bearer token.
   */
  readonly jkt?: string;
  /**
   * How the person signed in (`acr`): with Propusk `urn:propusk:acr:pwd` or
   * `urn:propusk:acr:mfa`; absent for a token without a person or a malformed value.
   */
  readonly acr?: string;
  /** The authentication methods of the sign-in (RFC 8176 `amr`, e.g. `["pwd", "otp", "mfa"]`); absent when missing or malformed. */
  readonly amr?: readonly string[];
  /** When the person signed in (`auth_time`, seconds since the epoch); absent when missing or malformed. */
  readonly authTime?: number;
  /** Every claim of the introspection response or of the JWT payload. */
  readonly claims: Readonly<Record<string, unknown>>;
}

/**
 * Builds a frozen {@link Principal} from claims whose issuer, audience and
 * lifetime were already checked by the caller.
 *
 * @throws {TokenInvalidError} when `exp` or `client_id` is missing or has the
 *   wrong type, or the token is sender-constrained other than by DPoP (a
 *   `cnf` without `jkt`, e.g. mTLS), which this library cannot check.
 */
export function principalFromClaims(claims: Record<string, unknown>): Principal {
  const { exp, client_id: clientId, sub, scope } = claims;
  if (typeof exp !== 'number' || !Number.isFinite(exp)) {
    throw new TokenInvalidError('The access token has no valid "exp"');
  }
  if (typeof clientId !== 'string' || clientId === '') {
    throw new TokenInvalidError('The access token has no valid "client_id"');
  }
  if (sub !== undefined && typeof sub !== 'string') {
    throw new TokenInvalidError('The access token has an invalid "sub"');
  }
  if (scope !== undefined && typeof scope !== 'string') {
    throw new TokenInvalidError('The access token has an invalid "scope"');
  }
  let jkt: string | undefined;
  if (claims.cnf !== undefined) {
    const cnf = claims.cnf as Record<string, unknown> | null;
    jkt = typeof cnf === 'object' && cnf !== null && typeof cnf.jkt === 'string' && cnf.jkt !== '' ? cnf.jkt : undefined;
    if (jkt === undefined) {
      throw new TokenInvalidError('Sender-constrained access tokens other than DPoP (cnf without jkt) are not accepted');
    }
  }
  const scopes = scope === undefined ? [] : scope.split(' ').filter((s) => s !== '');
  const { acr, amr, auth_time: authTime } = claims;
  const validAmr = Array.isArray(amr) && amr.every((m) => typeof m === 'string') ? Object.freeze([...(amr as string[])]) : undefined;
  const principal: Principal = {
    ...(sub === undefined ? {} : { sub }),
    clientId,
    scopes: Object.freeze(scopes),
    expiresAt: new Date(exp * 1000),
    ...(jkt === undefined ? {} : { jkt }),
    ...(typeof acr === 'string' && acr !== '' ? { acr } : {}),
    ...(validAmr === undefined ? {} : { amr: validAmr }),
    ...(typeof authTime === 'number' && Number.isFinite(authTime) ? { authTime } : {}),
    claims: Object.freeze({ ...claims }),
  };
  return Object.freeze(principal);
}

/**
 * Whether `aud` (a string or an array of strings) contains `audience`.
 */
export function audienceMatches(aud: unknown, audience: string): boolean {
  if (typeof aud === 'string') return aud === audience;
  return Array.isArray(aud) && aud.includes(audience);
}
