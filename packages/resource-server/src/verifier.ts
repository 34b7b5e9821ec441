/**
 * The verifier: configured once per API, it discovers the issuer lazily and
 * verifies access tokens — JWT access tokens locally with the JWKS, opaque
 * ones through introspection — behind an LRU+TTL cache with single-flight;
 * Bearer tokens as such, DPoP-bound ones (RFC 9449) with their proof.
 *
 * @module
 */
import { LruTtlCache, SingleFlight, tokenKey } from './cache.ts';
import { discover, type IssuerMetadata } from './discovery.ts';
import {
  IssuerUnavailableError,
  ResourceServerError,
  TokenInvalidError,
  TokenMalformedError,
  TokenMissingError,
  withDpopChallenge,
} from './errors.ts';
import {
  dpopSettings,
  recordProof,
  verifyProof,
  type DpopMode,
  type DpopProofOptions,
  type DpopRequest,
  type DpopSettings,
} from './dpop.ts';
import { basicAuthorization, introspect, type ClaimExpectations } from './introspect.ts';
import type { FetchLike } from './issuer-fetch.ts';
import { createKeyResolver, isJwtAccessToken, verifyJwtAccessToken, type KeyResolver } from './jwt.ts';
import type { Principal } from './principal.ts';
import { assertRequirements, type AuthenticationRequirement } from './scopes.ts';
import { isToken68 } from './bearer.ts';

/** Cache settings. Every default is given where declared. */
export interface CacheOptions {
  /** Maximum number of cached results (LRU bound). Default `5000`. */
  max?: number;
  /**
   * Upper bound, in seconds, on how long a positive result is reused.
   * Default `30`. An entry never outlives the token's own `exp`.
   *
   * This is the **revocation delay**: a token revoked at the issuer keeps
   * being accepted by this process for up to `ttlSeconds` after its last
   * successful introspection. Lower it (or disable the cache) when that
   * matters more than issuer load and latency.
   */
  ttlSeconds?: number;
  /**
   * How long, in seconds, a negative result (inactive, expired, wrong
   * audience, invalid) is reused, so that replayed bad tokens do not hit the
   * issuer. Default `5`. Issuer outages are never cached.
   */
  negativeTtlSeconds?: number;
}

/** Options of {@link createVerifier}. */
export interface VerifierOptions {
  /**
   * Issuer identifier, e.g. `https://id.example.com`. Discovery is fetched from
   * `<issuer>/.well-known/openid-configuration` and its `issuer` must equal
   * this value exactly.
   */
  issuer: string;
  /**
   * This API's resource identifier. A token is accepted only when its `aud`
   * (string or array) contains it. Also the default `realm` of challenges.
   */
  audience: string;
  /**
   * The API's own client credentials at the issuer, used to call the
   * introspection endpoint with `client_secret_basic`.
   */
  credentials: { clientId: string; clientSecret: string };
  /** Result cache settings, or `false` to verify every token every time. Default: enabled with the defaults of {@link CacheOptions}. */
  cache?: CacheOptions | false;
  /** Allowed clock skew in seconds when checking `exp` / `nbf`. Default `0`. */
  clockTolerance?: number;
  /**
   * Timeout in milliseconds of each request to the issuer (discovery,
   * introspection, JWKS). Default `5000`. A timeout is `ERR_ISSUER_UNAVAILABLE`.
   */
  timeout?: number;
  /** The `fetch` implementation to use. Default: the global `fetch`. */
  fetch?: FetchLike;
  /**
   * DPoP (RFC 9449) for this API. `allowed` (default): Bearer tokens and
   * DPoP-bound tokens with their proofs are both accepted, each by its own
   * rules (a DPoP-bound token sent as Bearer is refused). `required`: only
   * DPoP. `off`: only Bearer (the `DPoP` scheme is not recognised).
   */
  dpop?: DpopMode;
  /** Checks of DPoP proofs (algorithms, age, replay store). Default: see {@link DpopProofOptions}. */
  dpopProofs?: DpopProofOptions;
}

/** Options of {@link Verifier.verify}. */
export interface VerifyOptions extends AuthenticationRequirement {
  /** Scopes the token must all hold; checked like {@link requireScopes}. Default: none. */
  scopes?: readonly string[];
}

/** A configured token verifier; see {@link createVerifier}. */
export interface Verifier {
  /** The configured issuer. */
  readonly issuer: string;
  /** The configured audience (this API). */
  readonly audience: string;
  /**
   * How this API treats DPoP; see {@link VerifierOptions.dpop}. Optional so
   * that other implementations of this interface stay valid; absent means
   * `off`.
   */
  readonly dpop?: DpopMode;
  /** Algorithms accepted for DPoP proofs (the challenge's `algs`); required unless `dpop` is `off`. */
  readonly dpopAlgorithms?: readonly string[];
  /**
   * Verifies a bearer token and returns its principal.
   *
   * A cached result is answered with one hash, one map lookup and one
   * already-settled promise.
   *
   * A DPoP-bound token is refused (`ERR_TOKEN_INVALID`), and with `dpop:
   * 'required'` every token is (`ERR_TOKEN_MISSING` with a DPoP challenge).
   *
   * @param token The bare token (without `Bearer `).
   * @throws {ResourceServerError} with code `ERR_TOKEN_MISSING`,
   *   `ERR_TOKEN_MALFORMED`, `ERR_TOKEN_INVALID`, `ERR_TOKEN_INACTIVE`,
   *   `ERR_TOKEN_EXPIRED`, `ERR_AUDIENCE`, `ERR_INSUFFICIENT_SCOPE` or
   *   `ERR_ISSUER_UNAVAILABLE` (as a rejected promise).
   */
  verify(token: string, options?: VerifyOptions): Promise<Principal>;
  /**
   * Verifies a DPoP-bound token sent as `Authorization: DPoP <token>` with
   * its `DPoP` proof header (RFC 9449 §7.1): the proof (signature with its
   * embedded public key, `typ`, `htm`, `htu`, `iat`, `ath`, single-use
   * `jti`), the token (as {@link verify}), and that the token's `cnf.jkt` is
   * the proof key's thumbprint. Errors carry a `DPoP` challenge.
   *
   * @param token The bare token (without `DPoP `).
   * @param proof The `DPoP` header value(s).
   * @param request The method and absolute URL the client called.
   * @throws {ResourceServerError} the codes of {@link verify}, plus
   *   `ERR_DPOP_PROOF_INVALID`; a Bearer (unbound) token or a key that does
   *   not match `cnf.jkt` is `ERR_TOKEN_INVALID`.
   */
  verifyDpop?(
    token: string,
    proof: string | readonly string[] | undefined,
    request: DpopRequest,
    options?: VerifyOptions,
  ): Promise<Principal>;
  /**
   * Runs discovery now, so that a misconfigured issuer fails at start-up
   * instead of at the first request. Optional: discovery otherwise happens on
   * the first verification that needs it (and is retried after a failure).
   *
   * @throws {IssuerUnavailableError} discovery failed.
   */
  ready(): Promise<void>;
}

/** Defaults, documented on the option types. */
const DEFAULT_CACHE_MAX = 5000;
const DEFAULT_TTL_SECONDS = 30;
const DEFAULT_NEGATIVE_TTL_SECONDS = 5;
const DEFAULT_TIMEOUT_MS = 5000;
const DEFAULT_CLOCK_TOLERANCE = 0;

/**
 * Creates a verifier for one API. Nothing is fetched until the first
 * verification (or {@link Verifier.ready}).
 *
 * @example
 * ```ts
 * const verifier = createVerifier({
 *   issuer: 'https://id.example.com',
 *   audience: 'urn:propusk:api:extern.api',
 *   credentials: { clientId: 'extern.api', clientSecret: process.env.API_SECRET! },
 * });
 * const principal = await verifier.verify(token, { scopes: ['extern.api'] });
 * ```
 * @throws {TypeError} invalid options.
 */
export function createVerifier(options: VerifierOptions): Verifier {
  return new TokenVerifier(options);
}

class TokenVerifier implements Verifier {
  readonly issuer: string;
  readonly audience: string;
  readonly dpop: DpopMode;
  readonly dpopAlgorithms: readonly string[];
  readonly #dpop: DpopSettings;
  readonly #dpopChallenge: { readonly scheme: 'DPoP'; readonly algs: readonly string[] };
  readonly #expect: ClaimExpectations;
  readonly #authorization: string;
  readonly #fetch: FetchLike;
  readonly #timeoutMs: number;
  readonly #cache: LruTtlCache<Principal | ResourceServerError> | undefined;
  readonly #ttlMs: number;
  readonly #negativeTtlMs: number;
  readonly #flight = new SingleFlight<Principal>();
  #metadata: Promise<IssuerMetadata> | undefined;
  #keys: KeyResolver | undefined;

  constructor(options: VerifierOptions) {
    const { issuer, audience, credentials } = options;
    if (typeof issuer !== 'string' || !URL.canParse(issuer)) throw new TypeError('issuer must be an absolute URL');
    if (typeof audience !== 'string' || audience === '') throw new TypeError('audience must be a non-empty string');
    if (
      typeof credentials?.clientId !== 'string' ||
      credentials.clientId === '' ||
      typeof credentials.clientSecret !== 'string' ||
      credentials.clientSecret === ''
    ) {
      throw new TypeError('credentials.clientId and credentials.clientSecret must be non-empty strings');
    }
    const clockTolerance = options.clockTolerance ?? DEFAULT_CLOCK_TOLERANCE;
    nonNegative(clockTolerance, 'clockTolerance');
    const timeout = options.timeout ?? DEFAULT_TIMEOUT_MS;
    if (!Number.isInteger(timeout) || timeout <= 0) throw new TypeError('timeout must be a positive integer (ms)');

    const dpop = options.dpop ?? 'allowed';
    if (dpop !== 'allowed' && dpop !== 'required' && dpop !== 'off') {
      throw new TypeError("dpop must be 'allowed', 'required' or 'off'");
    }

    this.issuer = issuer;
    this.audience = audience;
    this.dpop = dpop;
    this.#dpop = dpopSettings(options.dpopProofs);
    this.dpopAlgorithms = this.#dpop.algorithms;
    this.#dpopChallenge = Object.freeze({ scheme: 'DPoP' as const, algs: this.dpopAlgorithms });
    this.#expect = { issuer, audience, clockTolerance };
    this.#authorization = basicAuthorization(credentials.clientId, credentials.clientSecret);
    this.#fetch = options.fetch ?? fetch;
    this.#timeoutMs = timeout;

    const cache = options.cache ?? {};
    if (cache === false) {
      this.#cache = undefined;
      this.#ttlMs = 0;
      this.#negativeTtlMs = 0;
    } else {
      const ttl = cache.ttlSeconds ?? DEFAULT_TTL_SECONDS;
      const negativeTtl = cache.negativeTtlSeconds ?? DEFAULT_NEGATIVE_TTL_SECONDS;
      nonNegative(ttl, 'cache.ttlSeconds');
      nonNegative(negativeTtl, 'cache.negativeTtlSeconds');
      this.#cache = new LruTtlCache(cache.max ?? DEFAULT_CACHE_MAX);
      this.#ttlMs = ttl * 1000;
      this.#negativeTtlMs = negativeTtl * 1000;
    }
  }

  verify(token: string, options?: VerifyOptions): Promise<Principal> {
    if (this.dpop === 'required') {
      return Promise.reject(
        withDpopChallenge(new TokenMissingError('This API accepts only DPoP-bound tokens'), this.#dpopChallenge),
      );
    }
    if (typeof token !== 'string' || token === '') {
      return Promise.reject(new TokenMissingError('No bearer token'));
    }
    const key = tokenKey(token);
    const cache = this.#cache;
    if (cache !== undefined) {
      const hit = cache.get(key, Date.now());
      if (hit !== undefined) {
        if (hit instanceof ResourceServerError) return Promise.reject(hit);
        if (hit.jkt !== undefined) return Promise.reject(this.#boundAsBearer());
        if (options !== undefined) {
          try {
            assertRequirements(hit, options);
          } catch (error) {
            return Promise.reject(error);
          }
        }
        return Promise.resolve(hit);
      }
    }
    return this.#flight.run(key, () => this.#load(token, key)).then((principal) => {
      if (principal.jkt !== undefined) throw this.#boundAsBearer();
      if (options !== undefined) assertRequirements(principal, options);
      return principal;
    });
  }

  async verifyDpop(
    token: string,
    proof: string | readonly string[] | undefined,
    request: DpopRequest,
    options?: VerifyOptions,
  ): Promise<Principal> {
    if (this.dpop === 'off') throw new TokenMissingError('This API does not accept DPoP');
    const challenge = this.#dpopChallenge;
    try {
      if (typeof token !== 'string' || token === '') throw new TokenMissingError('No DPoP-bound token');
      if (!isToken68(token)) throw new TokenMalformedError('Malformed access token');
      const verified = await verifyProof(proof, request, token, this.#dpop);
      const principal = await this.#principal(token);
      if (principal.jkt === undefined) {
        throw new TokenInvalidError('A Bearer access token must not be sent with the DPoP scheme');
      }
      if (principal.jkt !== verified.jkt) throw new TokenInvalidError('Invalid DPoP key binding');
      await recordProof(verified, this.#dpop.replayStore);
      if (options !== undefined) assertRequirements(principal, options);
      return principal;
    } catch (error) {
      throw error instanceof ResourceServerError ? withDpopChallenge(error, challenge) : error;
    }
  }

  /** The principal of `token` from the cache or a verification, with no binding or scope check. */
  #principal(token: string): Promise<Principal> {
    const key = tokenKey(token);
    const hit = this.#cache?.get(key, Date.now());
    if (hit !== undefined) return hit instanceof ResourceServerError ? Promise.reject(hit) : Promise.resolve(hit);
    return this.#flight.run(key, () => this.#load(token, key));
  }

  #boundAsBearer(): TokenInvalidError {
    const error = new TokenInvalidError('A DPoP-bound access token must be sent with the DPoP scheme, not Bearer');
    if (this.dpop === 'off') return error;
    return withDpopChallenge(error, { scheme: 'Bearer', algs: this.dpopAlgorithms });
  }

  async ready(): Promise<void> {
    await this.#getMetadata();
  }

  /** Verifies without the cache, then records the outcome in it. */
  async #load(token: string, key: string): Promise<Principal> {
    const cache = this.#cache;
    try {
      if (!isToken68(token)) throw new TokenMalformedError('Malformed bearer token');
      const principal = isJwtAccessToken(token) ? await this.#verifyJwt(token) : await this.#introspect(token);
      if (cache !== undefined && this.#ttlMs > 0) {
        const now = Date.now();
        cache.set(key, principal, Math.min(now + this.#ttlMs, principal.expiresAt.getTime()), now);
      }
      return principal;
    } catch (error) {
      if (
        cache !== undefined &&
        this.#negativeTtlMs > 0 &&
        error instanceof ResourceServerError &&
        !(error instanceof IssuerUnavailableError) &&
        !(error instanceof TokenMalformedError)
      ) {
        const now = Date.now();
        cache.set(key, error, now + this.#negativeTtlMs, now);
      }
      throw error;
    }
  }

  async #introspect(token: string): Promise<Principal> {
    const { introspectionEndpoint } = await this.#getMetadata();
    if (introspectionEndpoint === undefined) {
      throw new IssuerUnavailableError('The issuer advertises no introspection_endpoint');
    }
    return introspect(
      token,
      {
        endpoint: introspectionEndpoint,
        authorization: this.#authorization,
        fetch: this.#fetch,
        timeoutMs: this.#timeoutMs,
      },
      this.#expect,
    );
  }

  async #verifyJwt(token: string): Promise<Principal> {
    let keys = this.#keys;
    if (keys === undefined) {
      const { jwksUri } = await this.#getMetadata();
      if (jwksUri === undefined) throw new IssuerUnavailableError('The issuer advertises no jwks_uri');
      keys = this.#keys ??= createKeyResolver(jwksUri, this.#fetch, this.#timeoutMs);
    }
    return verifyJwtAccessToken(token, keys, this.#expect);
  }

  /** Discovery, shared by concurrent callers; forgotten after a failure so the next call retries. */
  #getMetadata(): Promise<IssuerMetadata> {
    let metadata = this.#metadata;
    if (metadata === undefined) {
      metadata = this.#metadata = discover(this.issuer, this.#fetch, this.#timeoutMs);
      const current = metadata;
      current.catch(() => {
        if (this.#metadata === current) this.#metadata = undefined;
      });
    }
    return metadata;
  }
}

function nonNegative(value: number, name: string): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new TypeError(`${name} must be a non-negative number`);
  }
}
