// verifyTrustedAssertion: check the partner-signed JWT of the `trusted` grant (`token` parameter)
// against the calling client's registered partner keys and the rules of the trusted flow:
// RSA only, iss = client_id, exp/sub/jti/iss required, lifetime <= 24 h, jti <= 36 bytes, and
// `aud`, when present (or required for the partner), names us: the issuer or the token endpoint URL.
// Replay (single use) is not checked here: the caller records the jti (TrustedJtiRepository).
import { decodeProtectedHeader, errors, importJWK, jwtVerify } from 'jose';
import type { CryptoKey, JWTPayload, ProtectedHeaderParameters } from 'jose';
import type { PartnerKey } from '../../partners/types.ts';
import { PARTNER_KEY_ALGORITHMS } from '../../partners/types.ts';
import type { PartnerKeyAlgorithm } from '../../partners/types.ts';
import { TrustedAssertionError, TrustedAssertionErrorCode as Code } from './errors.ts';

export { TrustedAssertionError, TrustedAssertionErrorCode } from './errors.ts';
export type { TrustedJtiRepository, ReplayCache } from './jti-repository.ts';

/** Allowed clock skew between the partner and us, in seconds. Default 30. */
export const DEFAULT_CLOCK_TOLERANCE_SECONDS = 30;
/** Maximum total lifetime of an assertion, in seconds. Default 86400 (24 hours, per the flow's rules). */
export const DEFAULT_MAX_LIFETIME_SECONDS = 86_400;
/** Maximum `jti` length in UTF-8 bytes. Default 36 (a GUID), per the flow's rules. */
export const DEFAULT_MAX_JTI_BYTES = 36;
/** Longest accepted assertion, in characters; protects the parser from oversized input. */
export const MAX_ASSERTION_LENGTH = 16 * 1024;
/** Claims the flow requires, in the order they are reported when missing. */
export const REQUIRED_CLAIMS = ['exp', 'sub', 'jti', 'iss'] as const;

export interface VerifyTrustedAssertionContext {
  /** The authenticated client calling the token endpoint; `iss` must equal it. */
  clientId: string;
  /** The client's registered partner keys (keys of other clients are ignored). */
  keys: PartnerKey[];
  /** Current time. Default: `new Date()`. */
  now?: Date;
  /** Default DEFAULT_CLOCK_TOLERANCE_SECONDS (30). */
  clockToleranceSeconds?: number;
  /** Default DEFAULT_MAX_LIFETIME_SECONDS (86400). */
  maxLifetimeSeconds?: number;
  /** Default DEFAULT_MAX_JTI_BYTES (36). */
  maxJtiBytes?: number;
  /** Values `aud` may hold (the issuer, the token endpoint URL); a present `aud` must contain one. Default: none, so a present `aud` is refused. */
  audiences?: readonly string[];
  /** The partner requires `aud`. Default false. */
  requireAud?: boolean;
}

export interface VerifiedTrustedAssertion {
  /** The user's id in the partner's system (an external link's serviceUserId). */
  sub: string;
  jti: string;
  /** Seconds since the epoch; keep the replay record at least until then. */
  exp: number;
  iss: string;
  /** `PartnerKey.id` of the key that verified the signature. */
  keyId: string;
}

/** @throws TrustedAssertionError */
export async function verifyTrustedAssertion(
  jwt: string,
  ctx: VerifyTrustedAssertionContext,
): Promise<VerifiedTrustedAssertion> {
  const now = ctx.now ?? new Date();
  const tolerance = ctx.clockToleranceSeconds ?? DEFAULT_CLOCK_TOLERANCE_SECONDS;
  const maxLifetime = ctx.maxLifetimeSeconds ?? DEFAULT_MAX_LIFETIME_SECONDS;
  const maxJtiBytes = ctx.maxJtiBytes ?? DEFAULT_MAX_JTI_BYTES;

  const header = readHeader(jwt);
  const alg = header.alg as PartnerKeyAlgorithm;
  const candidates = selectKeys(header, ctx.clientId, ctx.keys, now);

  let payload: JWTPayload | undefined;
  let keyId: string | undefined;
  for (const key of candidates) {
    try {
      ({ payload } = await jwtVerify(jwt, await importKey(key, alg), {
        algorithms: [...PARTNER_KEY_ALGORITHMS],
        currentDate: now,
        clockTolerance: tolerance,
      }));
      keyId = key.id;
      break;
    } catch (error) {
      if (error instanceof errors.JWSSignatureVerificationFailed) continue;
      throw fromJoseError(error);
    }
  }
  if (payload === undefined || keyId === undefined) {
    throw new TrustedAssertionError(Code.SIGNATURE, 'assertion signature is invalid');
  }
  const verified = checkClaims(payload, ctx.clientId, Math.floor(now.getTime() / 1000), tolerance, maxLifetime, maxJtiBytes);
  checkAudience(payload.aud, ctx.audiences ?? [], ctx.requireAud ?? false);
  return { ...verified, keyId };
}

/** RFC 7523 §3: `aud` identifies the authorization server; one of its values must be ours. */
function checkAudience(aud: unknown, audiences: readonly string[], required: boolean): void {
  if (aud === undefined) {
    if (required) throw new TrustedAssertionError(Code.AUDIENCE, 'claim "aud" is required for this partner: set it to the issuer or the token endpoint URL', 'aud');
    return;
  }
  const values = typeof aud === 'string' ? [aud] : Array.isArray(aud) && aud.every((v) => typeof v === 'string') ? (aud as string[]) : undefined;
  if (values === undefined || values.length === 0) throw new TrustedAssertionError(Code.CLAIM_INVALID, 'claim "aud" must be a string or an array of strings', 'aud');
  if (!values.some((v) => audiences.includes(v))) {
    throw new TrustedAssertionError(Code.AUDIENCE, 'claim "aud" names another audience: it must be the issuer or the token endpoint URL', 'aud');
  }
}

function readHeader(jwt: string): ProtectedHeaderParameters & { alg: string } {
  if (typeof jwt !== 'string' || jwt.length === 0) {
    throw new TrustedAssertionError(Code.MALFORMED, 'assertion is missing');
  }
  if (jwt.length > MAX_ASSERTION_LENGTH) {
    throw new TrustedAssertionError(Code.MALFORMED, `assertion is too long (more than ${MAX_ASSERTION_LENGTH} characters)`);
  }
  if (jwt.split('.').length !== 3) {
    throw new TrustedAssertionError(Code.MALFORMED, 'assertion is not a compact signed JWT');
  }
  let header: ProtectedHeaderParameters;
  try {
    header = decodeProtectedHeader(jwt);
  } catch (cause) {
    throw new TrustedAssertionError(Code.MALFORMED, 'assertion header is not valid base64url JSON', undefined, { cause });
  }
  if (typeof header.alg !== 'string') {
    throw new TrustedAssertionError(Code.MALFORMED, 'assertion header has no "alg"');
  }
  if (!(PARTNER_KEY_ALGORITHMS as readonly string[]).includes(header.alg)) {
    throw new TrustedAssertionError(
      Code.ALGORITHM,
      `assertion algorithm "${header.alg}" is not allowed; sign with ${PARTNER_KEY_ALGORITHMS.join(' or ')}`,
    );
  }
  for (const member of ['kid', 'x5t', 'x5t#S256'] as const) {
    if (header[member] !== undefined && (typeof header[member] !== 'string' || header[member] === '')) {
      throw new TrustedAssertionError(Code.MALFORMED, `assertion header "${member}" must be a non-empty string`);
    }
  }
  return header as ProtectedHeaderParameters & { alg: string };
}

/** Header `kid` selects by kid, else `x5t#S256` / `x5t` by certificate thumbprint, else every key is a candidate. */
function selectKeys(header: ProtectedHeaderParameters, clientId: string, all: PartnerKey[], now: Date): PartnerKey[] {
  const keys = all.filter((k) => k.clientId === clientId);
  if (keys.length === 0) {
    throw new TrustedAssertionError(Code.NO_KEYS, 'no partner key is registered for this client');
  }
  let selected = keys;
  if (header.kid !== undefined) {
    selected = keys.filter((k) => k.kid === header.kid);
    if (selected.length === 0) throw unknownKey(`kid "${header.kid}"`);
  } else if (header['x5t#S256'] !== undefined) {
    selected = keys.filter((k) => k.x5tS256 === header['x5t#S256']);
    if (selected.length === 0) throw unknownKey(`x5t#S256 "${header['x5t#S256']}"`);
  } else if (header.x5t !== undefined) {
    selected = keys.filter((k) => k.x5t === header.x5t);
    if (selected.length === 0) throw unknownKey(`x5t "${header.x5t}"`);
  }
  const usable = selected.filter((k) => isWithinValidity(k, now));
  if (usable.length === 0) {
    const which = selected.length === 1 ? `partner key "${selected[0]!.kid}" is` : 'every registered partner key is';
    throw new TrustedAssertionError(Code.KEY_NOT_VALID, `${which} outside its certificate validity period`);
  }
  return usable;
}

function unknownKey(what: string): TrustedAssertionError {
  return new TrustedAssertionError(Code.UNKNOWN_KEY, `unknown key: no partner key of this client has ${what}`);
}

function isWithinValidity(key: PartnerKey, now: Date): boolean {
  const t = now.getTime();
  return (key.notAfter === undefined || t <= key.notAfter.getTime()) && (key.notBefore === undefined || t >= key.notBefore.getTime());
}

/**
 * Imported keys by partner key and algorithm. Importing an RSA key costs about as much as verifying
 * a signature with it, and the same PartnerKey objects come back from the partner-key directory's
 * cache until a key changes; a changed or reloaded key is a new object, imported afresh.
 */
const imported = new WeakMap<PartnerKey, Map<PartnerKeyAlgorithm, Promise<CryptoKey | Uint8Array>>>();

function importKey(key: PartnerKey, alg: PartnerKeyAlgorithm): Promise<CryptoKey | Uint8Array> {
  let byAlg = imported.get(key);
  if (!byAlg) imported.set(key, (byAlg = new Map()));
  let cryptoKey = byAlg.get(alg);
  if (!cryptoKey) {
    // Only the public members are imported, whatever else the stored JWK may carry.
    const { kty, n, e } = key.publicJwk;
    const importing = (cryptoKey = importJWK({ kty, n, e }, alg));
    byAlg.set(alg, importing);
    importing.catch(() => {
      if (byAlg.get(alg) === importing) byAlg.delete(alg);
    });
  }
  return cryptoKey;
}

function fromJoseError(error: unknown): unknown {
  if (error instanceof errors.JWTExpired) {
    return new TrustedAssertionError(Code.EXPIRED, 'assertion has expired (exp)', 'exp', { cause: error });
  }
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'nbf' && error.reason === 'check_failed') {
      return new TrustedAssertionError(Code.NOT_YET_VALID, 'assertion is not valid yet (nbf is in the future)', 'nbf', { cause: error });
    }
    return new TrustedAssertionError(Code.CLAIM_INVALID, `claim "${error.claim}" is invalid: ${error.message}`, error.claim, { cause: error });
  }
  if (error instanceof errors.JOSEAlgNotAllowed) {
    return new TrustedAssertionError(Code.ALGORITHM, 'assertion algorithm is not allowed', undefined, { cause: error });
  }
  if (error instanceof errors.JWTInvalid || error instanceof errors.JWSInvalid || error instanceof errors.JOSENotSupported) {
    return new TrustedAssertionError(Code.MALFORMED, `assertion is malformed: ${error.message}`, undefined, { cause: error });
  }
  return error;
}

function checkClaims(
  payload: JWTPayload,
  clientId: string,
  now: number,
  tolerance: number,
  maxLifetime: number,
  maxJtiBytes: number,
): Omit<VerifiedTrustedAssertion, 'keyId'> {
  for (const claim of REQUIRED_CLAIMS) {
    if (payload[claim] === undefined) {
      throw new TrustedAssertionError(Code.CLAIM_MISSING, `required claim "${claim}" is missing`, claim);
    }
  }
  const { iss, sub, jti, exp, iat, nbf } = payload as Required<Pick<JWTPayload, 'exp' | 'iss' | 'sub' | 'jti'>> & JWTPayload;
  for (const [claim, value] of [['iss', iss], ['sub', sub], ['jti', jti]] as const) {
    if (typeof value !== 'string' || value === '') {
      throw new TrustedAssertionError(Code.CLAIM_INVALID, `claim "${claim}" must be a non-empty string`, claim);
    }
  }
  if (iss !== clientId) {
    throw new TrustedAssertionError(Code.ISSUER, 'claim "iss" must equal the client_id of the calling client', 'iss');
  }
  if (iat !== undefined && iat > now + tolerance) {
    throw new TrustedAssertionError(Code.IAT_IN_FUTURE, 'claim "iat" is in the future', 'iat');
  }
  const start = iat ?? nbf ?? now;
  if (exp - start > maxLifetime) {
    const basis = iat !== undefined ? 'exp - iat' : nbf !== undefined ? 'exp - nbf' : 'exp - now';
    throw new TrustedAssertionError(
      Code.LIFETIME,
      `assertion lifetime (${basis}) exceeds the maximum of ${maxLifetime} seconds`,
      'exp',
    );
  }
  if (Buffer.byteLength(jti, 'utf8') > maxJtiBytes) {
    throw new TrustedAssertionError(Code.JTI_TOO_LONG, `claim "jti" is longer than ${maxJtiBytes} bytes`, 'jti');
  }
  return { iss, sub, jti, exp };
}
