/**
 * DPoP proofs (RFC 9449) as a resource server checks them (§4.3, §7.1): the
 * proof JWT is verified with jose against its embedded public JWK; its
 * `typ`, `htm`, `htu`, `iat`, `ath` and `jti` are checked, and the key's
 * SHA-256 JWK thumbprint is returned for comparison with the token's
 * `cnf.jkt`. Also the replay store (single use of `jti`).
 *
 * @module
 */
import { createHmac, hash, timingSafeEqual } from 'node:crypto';
import { calculateJwkThumbprint, EmbeddedJWK, errors as joseErrors, jwtVerify, type JWK } from 'jose';
import { DpopNonceError, DpopProofError, ResourceServerError } from './errors.ts';

/** How an API treats DPoP: accept Bearer and DPoP (`allowed`), only DPoP (`required`), or only Bearer (`off`). */
export type DpopMode = 'allowed' | 'required' | 'off';

/**
 * Where proof identifiers (`jti`) are remembered so that each proof is used
 * once. The default is in memory, per process; APIs running several
 * instances behind one address plug in a shared store (e.g. Redis
 * `SET key 1 NX PXAT expiresAt`).
 */
export interface DpopReplayStore {
  /**
   * Records `id` until `expiresAt` (epoch milliseconds). Resolves to `true`
   * when it was not recorded yet (the proof is fresh), `false` when it was
   * (a replay). Must be atomic across the instances that share the store.
   *
   * @param id An opaque key derived from the proof's `jti` and key.
   */
  add(id: string, expiresAt: number): boolean | Promise<boolean>;
}

/** Checks of DPoP proofs. Every default is given where declared. */
export interface DpopProofOptions {
  /**
   * Signature algorithms accepted for proofs; asymmetric ones only (a
   * symmetric or `none` algorithm is a `TypeError`). Also listed in the
   * challenge's `algs`. Default {@link DEFAULT_DPOP_ALGORITHMS}.
   */
  algorithms?: readonly string[];
  /** How old (by `iat`) a proof may be, in seconds. Default `60`. Also how long its `jti` is remembered. */
  maxAgeSeconds?: number;
  /** Allowed clock skew in seconds for `iat` (either way). Default `5`. */
  clockTolerance?: number;
  /** Where `jti`s are remembered. Default: an in-memory store of at most {@link DpopProofOptions.replayCacheMax} entries. */
  replayStore?: DpopReplayStore;
  /**
   * Bound of the default in-memory replay store. Default `100000`. When it is
   * full of live entries the oldest is dropped, so size it above the number
   * of proofs the API accepts within `maxAgeSeconds + clockTolerance`.
   */
  replayCacheMax?: number;
  /**
   * Server-supplied nonces (RFC 9449 §9), off by default. When set, every
   * proof must carry a `nonce` this API issued: a proof without one, or with
   * a stale one, is refused with 401 `use_dpop_nonce` and the nonce to use in
   * the `DPoP-Nonce` response header (clients such as openid-client retry by
   * themselves). Nonces are derived from `secret` and the time, so instances
   * sharing the secret accept each other's, with no shared state.
   */
  nonce?: DpopNonceOptions;
}

/** Server-supplied DPoP nonces; see {@link DpopProofOptions.nonce}. */
export interface DpopNonceOptions {
  /** Key of the nonces: at least 32 bytes (a string is taken as UTF-8). Keep it secret; share it between instances. */
  secret: string | Uint8Array;
  /** How long one nonce is current, in seconds; the previous one is still accepted. Default `60`. */
  lifetimeSeconds?: number;
}

/** Asymmetric JWS algorithms accepted by default for proofs. */
export const DEFAULT_DPOP_ALGORITHMS: readonly string[] = Object.freeze([
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'Ed25519',
  'PS256',
  'PS384',
  'PS512',
  'RS256',
  'RS384',
  'RS512',
]);

const ASYMMETRIC = /^(?:ES(?:256|384|512)|PS(?:256|384|512)|RS(?:256|384|512)|EdDSA|Ed25519|Ed448|ML-DSA-(?:44|65|87))$/;

/** The checked proof settings of one verifier. */
export interface DpopSettings {
  readonly algorithms: readonly string[];
  readonly maxAgeSeconds: number;
  readonly clockTolerance: number;
  readonly replayStore: DpopReplayStore;
  readonly nonces: NonceIssuer | undefined;
}

/** Stateless nonces: HMAC-SHA-256 of the current time window under the secret. */
export class NonceIssuer {
  readonly #secret: Buffer;
  readonly #lifetimeMs: number;

  /** @throws {TypeError} a secret under 32 bytes or a non-positive lifetime. */
  constructor(options: DpopNonceOptions) {
    const secret = typeof options.secret === 'string' ? Buffer.from(options.secret, 'utf8') : Buffer.from(options.secret);
    if (secret.length < 32) throw new TypeError('dpopProofs.nonce.secret must be at least 32 bytes');
    const lifetime = options.lifetimeSeconds ?? 60;
    if (!Number.isFinite(lifetime) || lifetime <= 0) throw new TypeError('dpopProofs.nonce.lifetimeSeconds must be a positive number');
    this.#secret = secret;
    this.#lifetimeMs = lifetime * 1000;
  }

  /** The nonce clients should use now. */
  current(now = Date.now()): string {
    return this.#nonce(Math.floor(now / this.#lifetimeMs));
  }

  /** Whether `nonce` is the current or the previous one. */
  accepts(nonce: unknown, now = Date.now()): boolean {
    if (typeof nonce !== 'string') return false;
    const given = Buffer.from(nonce);
    if (given.length !== 43) return false;
    const window = Math.floor(now / this.#lifetimeMs);
    return [window, window - 1].some((w) => timingSafeEqual(given, Buffer.from(this.#nonce(w))));
  }

  #nonce(window: number): string {
    return createHmac('sha256', this.#secret).update(`dpop-nonce:${window}`).digest('base64url');
  }
}

/**
 * Validates {@link DpopProofOptions} and fills in defaults.
 *
 * @throws {TypeError} invalid options.
 */
export function dpopSettings(options: DpopProofOptions | undefined): DpopSettings {
  const algorithms = options?.algorithms ?? DEFAULT_DPOP_ALGORITHMS;
  if (!Array.isArray(algorithms) || algorithms.length === 0) {
    throw new TypeError('dpopProofs.algorithms must be a non-empty array');
  }
  for (const alg of algorithms) {
    if (typeof alg !== 'string' || !ASYMMETRIC.test(alg)) {
      throw new TypeError(`dpopProofs.algorithms: ${String(alg)} is not an asymmetric JWS algorithm`);
    }
  }
  const maxAgeSeconds = options?.maxAgeSeconds ?? 60;
  const clockTolerance = options?.clockTolerance ?? 5;
  if (!Number.isFinite(maxAgeSeconds) || maxAgeSeconds <= 0) throw new TypeError('dpopProofs.maxAgeSeconds must be a positive number');
  if (!Number.isFinite(clockTolerance) || clockTolerance < 0) throw new TypeError('dpopProofs.clockTolerance must be a non-negative number');
  const replayStore = options?.replayStore ?? new MemoryReplayStore(options?.replayCacheMax ?? 100_000);
  if (typeof replayStore.add !== 'function') throw new TypeError('dpopProofs.replayStore must have an add(id, expiresAt) method');
  const nonces = options?.nonce === undefined ? undefined : new NonceIssuer(options.nonce);
  return { algorithms: Object.freeze([...algorithms]), maxAgeSeconds, clockTolerance, replayStore, nonces };
}

/**
 * The default replay store: a bounded map from id to expiry, in insertion
 * (roughly `iat`) order; expired entries are swept from the oldest end.
 */
export class MemoryReplayStore implements DpopReplayStore {
  readonly #max: number;
  readonly #seen = new Map<string, number>();

  /** @param max Upper bound on remembered ids (a positive integer). */
  constructor(max: number) {
    if (!Number.isInteger(max) || max < 1) throw new TypeError('dpopProofs.replayCacheMax must be a positive integer');
    this.#max = max;
  }

  /** Number of ids remembered, including not-yet-swept expired ones. */
  get size(): number {
    return this.#seen.size;
  }

  add(id: string, expiresAt: number): boolean {
    const seen = this.#seen;
    const now = Date.now();
    const known = seen.get(id);
    if (known !== undefined && known > now) return false;
    // Sweep a few expired entries from the oldest end on every insert.
    for (let swept = 0; swept < 8; swept++) {
      const oldest = seen.entries().next();
      if (oldest.done === true || oldest.value[1] > now) break;
      seen.delete(oldest.value[0]);
    }
    seen.delete(id);
    seen.set(id, expiresAt);
    if (seen.size > this.#max) {
      const oldest = seen.keys().next();
      if (oldest.done !== true) seen.delete(oldest.value);
    }
    return true;
  }
}

/** The request a proof must be for. */
export interface DpopRequest {
  /** HTTP method, e.g. `GET` (compared case-sensitively after upper-casing, as RFC 9110 methods are). */
  readonly method: string;
  /** Absolute URL of the request as the client addressed it; query and fragment are ignored. */
  readonly url: string;
}

/** What a verified proof yields. */
export interface VerifiedProof {
  /** SHA-256 JWK thumbprint (RFC 7638) of the proof's public key. */
  readonly jkt: string;
  /** The proof's `jti`, to be recorded once the token is known to be bound to {@link jkt}. */
  readonly jti: string;
  /** Epoch milliseconds until which the `jti` must be remembered. */
  readonly replayUntil: number;
}

/**
 * Verifies a DPoP proof for `request` and `accessToken`, without recording
 * its `jti` (see {@link recordProof}).
 *
 * @throws {DpopProofError} any failure but the nonce.
 * @throws {DpopNonceError} nonces are on and the proof has none, or a stale one.
 */
export async function verifyProof(
  proof: string | readonly string[] | undefined,
  request: DpopRequest,
  accessToken: string,
  settings: DpopSettings,
): Promise<VerifiedProof> {
  if (proof === undefined || (typeof proof !== 'string' && proof.length === 0)) {
    throw new DpopProofError('No DPoP proof header');
  }
  if (typeof proof !== 'string') {
    if (proof.length > 1) throw new DpopProofError('More than one DPoP proof header');
    proof = proof[0] as string;
  }
  let payload: Record<string, unknown>;
  let jwk: JWK;
  try {
    const result = await jwtVerify(proof, EmbeddedJWK, {
      typ: 'dpop+jwt',
      algorithms: settings.algorithms as string[],
      maxTokenAge: settings.maxAgeSeconds,
      clockTolerance: settings.clockTolerance,
      requiredClaims: ['iat', 'jti', 'htm', 'htu'],
    });
    payload = result.payload;
    jwk = result.protectedHeader.jwk as JWK;
  } catch (cause) {
    if (cause instanceof ResourceServerError) throw cause;
    if (cause instanceof joseErrors.JOSEError) {
      throw new DpopProofError(`Invalid DPoP proof: ${cause.message}`, { cause });
    }
    throw new DpopProofError('Invalid DPoP proof', { cause });
  }
  const { htm, htu, jti, ath } = payload;
  if (typeof jti !== 'string' || jti === '' || jti.length > 512) throw new DpopProofError('The DPoP proof has no valid "jti"');
  if (htm !== request.method.toUpperCase()) throw new DpopProofError('The DPoP proof is for another HTTP method (htm)');
  const expectedHtu = normalizeHtu(request.url);
  if (expectedHtu === undefined) throw new TypeError(`The request URL ${JSON.stringify(request.url)} is not absolute`);
  if (typeof htu !== 'string' || normalizeHtu(htu) !== expectedHtu) {
    throw new DpopProofError('The DPoP proof is for another URL (htu)');
  }
  if (ath === undefined) throw new DpopProofError('The DPoP proof has no "ath" (hash of the access token)');
  if (ath !== hash('sha256', accessToken, 'base64url')) {
    throw new DpopProofError('The DPoP proof is for another access token (ath)');
  }
  const nonces = settings.nonces;
  if (nonces !== undefined && !nonces.accepts(payload.nonce)) {
    throw new DpopNonceError(
      nonces.current(),
      payload.nonce === undefined ? 'The DPoP proof must carry a nonce from this API' : 'The DPoP proof nonce is stale or unknown',
    );
  }
  const jkt = await calculateJwkThumbprint(jwk, 'sha256');
  const iat = payload.iat as number;
  const replayUntil = (iat + settings.maxAgeSeconds + 2 * settings.clockTolerance) * 1000;
  return { jkt, jti, replayUntil };
}

/**
 * Records the proof's `jti` in the replay store.
 *
 * @throws {DpopProofError} the proof was used before.
 */
export async function recordProof(proof: VerifiedProof, store: DpopReplayStore): Promise<void> {
  const fresh = await store.add(hash('sha256', `${proof.jkt}:${proof.jti}`, 'base64url'), proof.replayUntil);
  if (!fresh) throw new DpopProofError('The DPoP proof was already used (jti replay)');
}

/**
 * `htu` comparison form (RFC 9449 §4.3 point 9): the URL without query and
 * fragment, parsed and serialised (so scheme and host case and default ports
 * do not matter); an unparsable value never matches.
 */
function normalizeHtu(value: string): string | undefined {
  const url = URL.parse(value);
  if (url === null) return undefined;
  url.search = '';
  url.hash = '';
  return url.href;
}
