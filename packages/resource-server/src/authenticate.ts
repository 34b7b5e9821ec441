/**
 * The framework-neutral core of the middleware: from request headers (and,
 * for DPoP, the request's method and URL) to a principal, or a
 * {@link ResourceServerError} that knows its HTTP answer.
 *
 * @module
 */
import {
  authorizationFromHeaders,
  headerFromHeaders,
  parseCredentials,
  type AuthorizationValue,
  type Credentials,
  type HeadersLike,
} from './bearer.ts';
import type { DpopRequest } from './dpop.ts';
import { ResourceServerError, withDpopChallenge } from './errors.ts';
import type { Principal } from './principal.ts';
import type { Verifier } from './verifier.ts';
import type { AuthenticationRequirement } from './scopes.ts';

/** Options of {@link authenticateRequest} and of every adapter. */
export interface AuthenticateOptions extends AuthenticationRequirement {
  /** Scopes the token must all hold (403 `insufficient_scope` otherwise). Default: none. */
  scopes?: readonly string[];
  /** `realm` of the `WWW-Authenticate` challenge. Default: the verifier's audience. */
  realm?: string;
  /**
   * The adapters only: this API's external base URL as clients call it
   * (scheme, host and an optional path prefix), e.g. `https://api.example.com`
   * behind a TLS-terminating proxy. A DPoP proof's `htu` must equal this base
   * followed by the request path (query and fragment ignored). Default:
   * `https://` (TLS socket) or `http://`, then the request's `Host` header.
   * Set it in production: the `Host` header is whatever the client sent.
   */
  externalUrl?: string;
}

/** The parts of a request authentication reads, framework-neutral. */
export interface RequestCredentials {
  /** `Authorization` value(s). */
  readonly authorization: AuthorizationValue;
  /** `DPoP` proof header value(s). */
  readonly dpop: AuthorizationValue;
  /** Method and absolute URL, needed for DPoP; absent: a DPoP request is a 500 (a wiring bug). */
  readonly request: DpopRequest | undefined;
}

/**
 * Authenticates a request from its headers: reads the single `Authorization`
 * header (`Bearer`, or `DPoP` with its `DPoP` proof header unless the
 * verifier's `dpop` is `off`), verifies the token, checks scopes.
 *
 * @param headers Fetch `Headers`, Node's `req.headersDistinct` (detects a
 *   repeated header) or `req.headers`, or a plain record.
 * @param request The request's method and absolute URL as the client called
 *   it; needed to check DPoP proofs (without it a DPoP request rejects with a
 *   plain `Error`, i.e. a 500).
 * @returns The principal; rejects with a {@link ResourceServerError} otherwise
 *   (render it with {@link errorResponse}).
 */
export function authenticateRequest(
  verifier: Verifier,
  headers: HeadersLike,
  options?: AuthenticateOptions,
  request?: DpopRequest,
): Promise<Principal> {
  let credentials: RequestCredentials;
  try {
    credentials = {
      authorization: authorizationFromHeaders(headers),
      dpop: verifier.dpop === undefined || verifier.dpop === 'off' ? undefined : headerFromHeaders(headers, 'dpop'),
      request,
    };
  } catch (error) {
    return Promise.reject(error);
  }
  return authenticateCredentials(verifier, credentials, options);
}

/**
 * {@link authenticateRequest} from the `Authorization` value(s) directly
 * (Bearer only); kept for callers that have nothing else.
 */
export function authenticateAuthorization(
  verifier: Verifier,
  authorization: AuthorizationValue,
  options?: AuthenticateOptions,
): Promise<Principal> {
  return authenticateCredentials(verifier, { authorization, dpop: undefined, request: undefined }, options);
}

/** The core every entry point and adapter goes through. */
export function authenticateCredentials(
  verifier: Verifier,
  credentials: RequestCredentials,
  options?: AuthenticateOptions,
): Promise<Principal> {
  const mode = verifier.verifyDpop === undefined ? 'off' : (verifier.dpop ?? 'off');
  let parsed: Credentials;
  try {
    parsed = parseCredentials(credentials.authorization, mode !== 'off');
  } catch (error) {
    if (mode === 'required' && error instanceof ResourceServerError) {
      return Promise.reject(withDpopChallenge(error, { scheme: 'DPoP', algs: verifier.dpopAlgorithms ?? [] }));
    }
    return Promise.reject(error);
  }
  if (parsed.scheme === 'Bearer') return verifier.verify(parsed.token, options);
  if (credentials.request === undefined) {
    return Promise.reject(new Error('A DPoP request needs its method and URL: pass them to authenticateRequest'));
  }
  return verifier.verifyDpop!(parsed.token, credentials.dpop, credentials.request, options);
}
