/**
 * Errors with stable codes (jose style: `static code` on the class, `code` on
 * the instance) that also know their HTTP answer: status, the OAuth `error`
 * value and the `WWW-Authenticate` challenge (`Bearer`, RFC 6750; `DPoP`,
 * RFC 9449 §7).
 *
 * @module
 */

/** Every code a {@link ResourceServerError} can carry. Codes are stable; messages are not. */
export type ResourceServerErrorCode =
  | 'ERR_TOKEN_MISSING'
  | 'ERR_TOKEN_MALFORMED'
  | 'ERR_TOKEN_INVALID'
  | 'ERR_TOKEN_INACTIVE'
  | 'ERR_TOKEN_EXPIRED'
  | 'ERR_AUDIENCE'
  | 'ERR_INSUFFICIENT_SCOPE'
  | 'ERR_INSUFFICIENT_USER_AUTHENTICATION'
  | 'ERR_ISSUER_UNAVAILABLE'
  | 'ERR_DPOP_PROOF_INVALID'
  | 'ERR_DPOP_NONCE';

/** HTTP statuses the library answers with. */
export type ResourceServerErrorStatus = 400 | 401 | 403 | 503;

/** The OAuth 2.0 `error` value of the answer (RFC 6750 §3.1), or our own for the non-RFC cases. */
export type OAuthErrorValue =
  | 'invalid_request'
  | 'invalid_token'
  | 'insufficient_scope'
  | 'insufficient_user_authentication'
  | 'invalid_dpop_proof'
  | 'use_dpop_nonce'
  | 'unauthorized'
  | 'temporarily_unavailable';

/** Options every error constructor accepts. */
export interface ResourceServerErrorOptions {
  /** The underlying error, kept for logs. */
  cause?: unknown;
  /**
   * Text sent to the client as `error_description`. Defaults to the message.
   * Use it when the message carries detail meant for operators only.
   */
  description?: string;
}

/**
 * Base class of every error the library throws on purpose.
 *
 * `message` is for logs; `description` is what goes on the wire.
 * Assert on `code` (or `instanceof` the subclass), never on the text.
 */
export class ResourceServerError extends Error {
  /** Code of the class; overridden by each subclass. */
  static code: ResourceServerErrorCode | 'ERR_RESOURCE_SERVER' = 'ERR_RESOURCE_SERVER';
  /** Stable machine-readable code. */
  code: ResourceServerErrorCode | 'ERR_RESOURCE_SERVER' = 'ERR_RESOURCE_SERVER';
  /** HTTP status of the answer. */
  status: ResourceServerErrorStatus = 401;
  /**
   * RFC 6750 `error` attribute of the `WWW-Authenticate` challenge;
   * `undefined` when the challenge carries none (missing token, 503).
   */
  challengeError:
    | 'invalid_request'
    | 'invalid_token'
    | 'insufficient_scope'
    | 'insufficient_user_authentication'
    | 'invalid_dpop_proof'
    | 'use_dpop_nonce'
    | undefined = 'invalid_token';
  /** Value of `error` in the JSON body. */
  bodyError: OAuthErrorValue = 'invalid_token';
  /** Text safe to send to the client as `error_description`. */
  readonly description: string;

  /**
   * @param message Human-readable message (logs).
   * @param options Cause and public description.
   */
  constructor(message: string, options?: ResourceServerErrorOptions) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.description = options?.description ?? message;
  }

  /**
   * The `WWW-Authenticate` header value for this error, or `undefined` when
   * the answer carries none (503).
   *
   * @param realm Protection space shown to the client (`realm="…"`).
   */
  wwwAuthenticate(realm: string): string | undefined {
    let params = `realm="${quote(realm)}"`;
    if (this.challengeError !== undefined) {
      params += `, error="${this.challengeError}", error_description="${quote(this.description)}"`;
    }
    params += this.challengeParams();
    const dpop = this.dpopChallenge;
    if (dpop === undefined) return `Bearer ${params}`;
    const algs = `algs="${quote(dpop.algs.join(' '))}"`;
    if (dpop.scheme === 'DPoP') return `DPoP ${params}, ${algs}`;
    return `Bearer ${params}, DPoP realm="${quote(realm)}", ${algs}`;
  }

  /**
   * How the challenge names DPoP (RFC 9449 §7.1), set by the library for the
   * request at hand: `undefined` renders the Bearer challenge alone;
   * `scheme: 'DPoP'` renders a `DPoP` challenge (the request used DPoP, or
   * the API requires it) with `algs`; `scheme: 'Bearer'` renders the Bearer
   * challenge followed by a bare `DPoP` one.
   */
  dpopChallenge: { readonly scheme: 'Bearer' | 'DPoP'; readonly algs: readonly string[] } | undefined;

  /** Extra attributes after `error_description` (e.g. `scope`). */
  protected challengeParams(): string {
    return '';
  }
}

/**
 * A copy of `error` (same class, code, message and cause) whose challenge
 * names DPoP as given; `error` itself may be cached and is left untouched.
 */
export function withDpopChallenge<E extends ResourceServerError>(
  error: E,
  challenge: NonNullable<ResourceServerError['dpopChallenge']>,
): E {
  const copy = Object.create(Object.getPrototypeOf(error) as object, Object.getOwnPropertyDescriptors(error)) as E;
  copy.dpopChallenge = challenge;
  return copy;
}

/** No `Authorization: Bearer` credentials at all: 401 with a bare challenge (RFC 6750 §3.1). */
export class TokenMissingError extends ResourceServerError {
  static override code = 'ERR_TOKEN_MISSING' as const;
  override code = 'ERR_TOKEN_MISSING' as const;
  override challengeError = undefined;
  override bodyError = 'unauthorized' as const;
}

/**
 * The `Authorization` header is malformed (not `Bearer <token68>`, empty, or
 * sent more than once): 400 `invalid_request` (RFC 6750 §3.1).
 */
export class TokenMalformedError extends ResourceServerError {
  static override code = 'ERR_TOKEN_MALFORMED' as const;
  override code = 'ERR_TOKEN_MALFORMED' as const;
  override status = 400 as const;
  override challengeError = 'invalid_request' as const;
  override bodyError = 'invalid_request' as const;
}

/**
 * The token is not acceptable for a reason other than inactivity, expiry or
 * audience: bad JWT signature or claims, unknown signing key, wrong issuer,
 * sender-constrained, missing `exp`/`client_id`. 401 `invalid_token`.
 */
export class TokenInvalidError extends ResourceServerError {
  static override code = 'ERR_TOKEN_INVALID' as const;
  override code = 'ERR_TOKEN_INVALID' as const;
}

/** The issuer says the token is not active (unknown, revoked, or expired there). 401 `invalid_token`. */
export class TokenInactiveError extends ResourceServerError {
  static override code = 'ERR_TOKEN_INACTIVE' as const;
  override code = 'ERR_TOKEN_INACTIVE' as const;
}

/** The token's `exp` has passed. 401 `invalid_token`. */
export class TokenExpiredError extends ResourceServerError {
  static override code = 'ERR_TOKEN_EXPIRED' as const;
  override code = 'ERR_TOKEN_EXPIRED' as const;
}

/** The token was not issued for this API (`aud` does not contain the configured audience). 401 `invalid_token`. */
export class AudienceError extends ResourceServerError {
  static override code = 'ERR_AUDIENCE' as const;
  override code = 'ERR_AUDIENCE' as const;
}

/** The token lacks a required scope: 403 `insufficient_scope` with `scope="…"`. */
export class InsufficientScopeError extends ResourceServerError {
  static override code = 'ERR_INSUFFICIENT_SCOPE' as const;
  override code = 'ERR_INSUFFICIENT_SCOPE' as const;
  override status = 403 as const;
  override challengeError = 'insufficient_scope' as const;
  override bodyError = 'insufficient_scope' as const;
  /** The scopes the request needs (all of them), as listed in the challenge. */
  readonly requiredScopes: readonly string[];

  /**
   * @param requiredScopes Scopes the request needs.
   * @param message Human-readable message.
   */
  constructor(requiredScopes: readonly string[], message?: string) {
    super(message ?? `The access token lacks a required scope (needs: ${requiredScopes.join(' ')})`);
    this.requiredScopes = requiredScopes;
  }

  protected override challengeParams(): string {
    return `, scope="${quote(this.requiredScopes.join(' '))}"`;
  }
}

/**
 * The person behind the token did not sign in strongly enough, or long enough
 * ago, for this request (RFC 9470, OAuth 2.0 Step Up Authentication
 * Challenge): 401 `insufficient_user_authentication` with `acr_values="…"`
 * (the acceptable values, space-separated) and/or `max_age=…`. The client
 * sends the person through the authorization endpoint again with these
 * `acr_values` (and `max_age`), then retries with the new token.
 */
export class InsufficientUserAuthenticationError extends ResourceServerError {
  static override code = 'ERR_INSUFFICIENT_USER_AUTHENTICATION' as const;
  override code = 'ERR_INSUFFICIENT_USER_AUTHENTICATION' as const;
  override challengeError = 'insufficient_user_authentication' as const;
  override bodyError = 'insufficient_user_authentication' as const;
  /** The acceptable `acr` values, as listed in the challenge. */
  readonly acrValues: readonly string[];
  /** The largest acceptable age of the sign-in, in seconds, as listed in the challenge. */
  readonly maxAge: number | undefined;

  /**
   * @param requirement What the request needs: acceptable `acr` values and/or a maximum age.
   * @param message Human-readable message.
   */
  constructor(requirement: { acrValues?: readonly string[]; maxAge?: number | undefined }, message?: string) {
    super(message ?? 'The access token does not come from a strong enough or recent enough sign-in');
    this.acrValues = requirement.acrValues ?? [];
    this.maxAge = requirement.maxAge;
  }

  protected override challengeParams(): string {
    let params = '';
    if (this.acrValues.length > 0) params += `, acr_values="${quote(this.acrValues.join(' '))}"`;
    if (this.maxAge !== undefined) params += `, max_age=${this.maxAge}`;
    return params;
  }
}

/**
 * The DPoP proof (RFC 9449) is missing, repeated, malformed, badly signed,
 * signed with a symmetric or unlisted algorithm, for another method or URL,
 * too old or from the future, replayed, or does not hash the access token
 * (`ath`): 401 `invalid_dpop_proof` with a `DPoP` challenge.
 */
export class DpopProofError extends ResourceServerError {
  static override code = 'ERR_DPOP_PROOF_INVALID' as const;
  override code = 'ERR_DPOP_PROOF_INVALID' as const;
  override challengeError = 'invalid_dpop_proof' as const;
  override bodyError = 'invalid_dpop_proof' as const;
}

/**
 * The API requires a server-supplied nonce in DPoP proofs (RFC 9449 §9) and
 * the proof has none, or a stale or unknown one: 401 `use_dpop_nonce` with a
 * `DPoP` challenge and the nonce to use in the `DPoP-Nonce` header; the client
 * retries with it.
 */
export class DpopNonceError extends ResourceServerError {
  static override code = 'ERR_DPOP_NONCE' as const;
  override code = 'ERR_DPOP_NONCE' as const;
  override challengeError = 'use_dpop_nonce' as const;
  override bodyError = 'use_dpop_nonce' as const;
  /** The nonce the client must put in its next proof (sent as `DPoP-Nonce`). */
  readonly nonce: string;

  /**
   * @param nonce The current nonce.
   * @param message Human-readable message.
   */
  constructor(nonce: string, message: string) {
    super(message);
    this.nonce = nonce;
  }
}

/**
 * The token could not be checked: the issuer is unreachable, timed out,
 * answered 5xx or garbage, or rejected this API's own credentials (a
 * configuration problem). 503; the request is never let through.
 */
export class IssuerUnavailableError extends ResourceServerError {
  static override code = 'ERR_ISSUER_UNAVAILABLE' as const;
  override code = 'ERR_ISSUER_UNAVAILABLE' as const;
  override status = 503 as const;
  override challengeError = undefined;
  override bodyError = 'temporarily_unavailable' as const;

  /**
   * @param message Detailed message for logs (may name the misconfiguration).
   * @param options Cause; the public description defaults to a generic text.
   */
  constructor(message: string, options?: ResourceServerErrorOptions) {
    super(message, {
      cause: options?.cause,
      description: options?.description ?? 'The authorization server is unavailable, try again later',
    });
  }

  /** A 503 carries no Bearer challenge. */
  override wwwAuthenticate(): undefined {
    return undefined;
  }
}

/**
 * Makes a string safe inside an HTTP quoted-string attribute. RFC 6750 §3
 * restricts `error_description` and `scope` to printable ASCII without `"`
 * and `\`; other characters become `?`.
 */
function quote(value: string): string {
  return value.replace(/[^\x20\x21\x23-\x5B\x5D-\x7E]/g, '?');
}
