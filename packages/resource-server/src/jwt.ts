/**
 * JWT access tokens (RFC 9068, `typ: at+jwt`): shape detection, and local
 * verification against the issuer's JWKS (fetched by jose, cached, refetched
 * when a token names an unknown `kid`).
 *
 * @module
 */
import {
  createRemoteJWKSet,
  customFetch,
  decodeProtectedHeader,
  errors as joseErrors,
  jwtVerify,
  type FlattenedJWSInput,
  type JWSHeaderParameters,
} from 'jose';
import {
  AudienceError,
  IssuerUnavailableError,
  ResourceServerError,
  TokenExpiredError,
  TokenInvalidError,
} from './errors.ts';
import type { FetchLike } from './issuer-fetch.ts';
import type { ClaimExpectations } from './introspect.ts';
import { principalFromClaims, type Principal } from './principal.ts';

/** Resolves the verification key of a JWS from the issuer's JWKS. */
export type KeyResolver = (header: JWSHeaderParameters, token: FlattenedJWSInput) => ReturnType<ReturnType<typeof createRemoteJWKSet>>;

/**
 * Whether `token` is an RFC 9068 JWT access token by shape: three base64url
 * segments whose first decodes to a JSON header with `typ` `at+jwt`
 * (or `application/at+jwt`, case-insensitive). Anything else is treated as
 * opaque and introspected.
 */
export function isJwtAccessToken(token: string): boolean {
  const first = token.indexOf('.');
  if (first <= 0) return false;
  const second = token.indexOf('.', first + 1);
  if (second === first + 1 || second < 0 || second === token.length - 1) return false;
  if (token.indexOf('.', second + 1) !== -1) return false;
  if (!isBase64url(token)) return false;
  let typ: unknown;
  try {
    typ = decodeProtectedHeader(token).typ;
  } catch {
    return false;
  }
  if (typeof typ !== 'string') return false;
  const normalized = typ.toLowerCase();
  return normalized === 'at+jwt' || normalized === 'application/at+jwt';
}

/**
 * Creates the cached remote key set of the issuer. Fetch failures surface
 * from the resolver as {@link IssuerUnavailableError}; an unknown `kid`
 * (after jose's refetch) stays a jose error, i.e. an invalid token.
 *
 * @param timeoutMs Timeout of each JWKS request.
 */
export function createKeyResolver(jwksUri: string, fetchImpl: FetchLike, timeoutMs: number): KeyResolver {
  const remote = createRemoteJWKSet(new URL(jwksUri), {
    timeoutDuration: timeoutMs,
    [customFetch]: fetchImpl,
  });
  return async (header, token) => {
    try {
      return await remote(header, token);
    } catch (cause) {
      throw isKeySetUnavailable(cause)
        ? new IssuerUnavailableError(`The JWKS could not be fetched: ${String(cause)}`, { cause })
        : cause;
    }
  };
}

/**
 * Verifies a JWT access token: signature with the issuer's keys, `typ`
 * at+jwt, `iss`, `aud` containing the audience, `exp`/`nbf` (with clock
 * tolerance), presence of `exp`, `iat` and `client_id`.
 *
 * @throws {TokenExpiredError} `exp` has passed.
 * @throws {AudienceError} `aud` does not contain the audience.
 * @throws {TokenInvalidError} any other signature or claim failure.
 * @throws {IssuerUnavailableError} the JWKS could not be fetched.
 */
export async function verifyJwtAccessToken(
  token: string,
  keys: KeyResolver,
  expect: ClaimExpectations,
): Promise<Principal> {
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtVerify(token, keys, {
      typ: 'at+jwt',
      issuer: expect.issuer,
      audience: expect.audience,
      clockTolerance: expect.clockTolerance,
      requiredClaims: ['exp', 'iat', 'client_id'],
    }));
  } catch (cause) {
    throw mapJoseError(cause);
  }
  return principalFromClaims(payload);
}

function mapJoseError(cause: unknown): unknown {
  if (cause instanceof ResourceServerError) return cause;
  if (cause instanceof joseErrors.JWTExpired) {
    return new TokenExpiredError('The access token has expired', { cause });
  }
  if (cause instanceof joseErrors.JWTClaimValidationFailed && cause.claim === 'aud') {
    return new AudienceError('The access token was not issued for this API', { cause });
  }
  if (cause instanceof joseErrors.JOSEError) {
    return new TokenInvalidError(`The access token is invalid: ${cause.message}`, { cause });
  }
  return cause;
}

/** Failures of fetching the key set itself (not of finding a key in it). */
function isKeySetUnavailable(cause: unknown): boolean {
  if (!(cause instanceof joseErrors.JOSEError)) return true; // network errors (TypeError) and the like
  return (
    cause instanceof joseErrors.JWKSTimeout ||
    cause instanceof joseErrors.JWKSInvalid ||
    cause.code === joseErrors.JOSEError.code // non-200 or non-JSON JWKS response
  );
}

function isBase64url(token: string): boolean {
  for (let i = 0; i < token.length; i++) {
    const c = token.charCodeAt(i);
    const ok =
      (c >= 0x61 && c <= 0x7a) ||
      (c >= 0x41 && c <= 0x5a) ||
      (c >= 0x30 && c <= 0x39) ||
      c === 0x2d ||
      c === 0x5f ||
      c === 0x2e;
    if (!ok) return false;
  }
  return true;
}
