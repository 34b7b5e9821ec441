/**
 * The framework-neutral core of the middleware: from request headers to a
 * principal (or a {@link ResourceServerError} that knows its HTTP answer).
 *
 * @module
 */
import {
  authorizationFromHeaders,
  parseAuthorization,
  type AuthorizationValue,
  type HeadersLike,
} from './bearer.ts';
import type { Principal } from './principal.ts';
import type { Verifier } from './verifier.ts';

/** Options of {@link authenticateRequest} and of every adapter. */
export interface AuthenticateOptions {
  /** Scopes the token must all hold (403 `insufficient_scope` otherwise). Default: none. */
  scopes?: readonly string[];
  /** `realm` of the `WWW-Authenticate` challenge. Default: the verifier's audience. */
  realm?: string;
}

/**
 * Authenticates a request from its headers: reads the single
 * `Authorization: Bearer` header, verifies the token, checks scopes.
 *
 * @param headers Fetch `Headers`, Node's `req.headersDistinct` (detects a
 *   repeated header) or `req.headers`, or a plain record.
 * @returns The principal; rejects with a {@link ResourceServerError} otherwise
 *   (render it with {@link errorResponse}).
 */
export function authenticateRequest(
  verifier: Verifier,
  headers: HeadersLike,
  options?: AuthenticateOptions,
): Promise<Principal> {
  let authorization: AuthorizationValue;
  try {
    authorization = authorizationFromHeaders(headers);
  } catch (error) {
    return Promise.reject(error);
  }
  return authenticateAuthorization(verifier, authorization, options);
}

/**
 * {@link authenticateRequest} from the `Authorization` value(s) directly; the
 * adapters use it with the values read from `rawHeaders`.
 */
export function authenticateAuthorization(
  verifier: Verifier,
  authorization: AuthorizationValue,
  options?: AuthenticateOptions,
): Promise<Principal> {
  let token: string;
  try {
    token = parseAuthorization(authorization);
  } catch (error) {
    return Promise.reject(error);
  }
  return verifier.verify(token, options);
}
