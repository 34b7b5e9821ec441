/**
 * Rendering an authentication failure as an HTTP answer (RFC 6750 §3):
 * status, `WWW-Authenticate` challenge, and a JSON body
 * `{ error, error_description }`.
 *
 * @module
 */
import { DpopNonceError, ResourceServerError } from './errors.ts';

/** A framework-neutral HTTP error answer. */
export interface ErrorResponse {
  /** 400, 401, 403, 503, or 500 for an unexpected (non-library) error. */
  readonly status: number;
  /**
   * Header names in lower case: `www-authenticate` (when any), `content-type`, `cache-control`,
   * and `dpop-nonce` for `ERR_DPOP_NONCE`.
   */
  readonly headers: Readonly<Record<string, string>>;
  /** The JSON body. */
  readonly body: { readonly error: string; readonly error_description: string };
}

/**
 * The HTTP answer for `error`. Errors that are not a
 * {@link ResourceServerError} (bugs) become a 500 `server_error` whose body
 * reveals nothing.
 *
 * @param realm `realm` of the challenge.
 */
export function errorResponse(error: unknown, realm: string): ErrorResponse {
  if (!(error instanceof ResourceServerError)) {
    return {
      status: 500,
      headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
      body: { error: 'server_error', error_description: 'Internal server error' },
    };
  }
  const challenge = error.wwwAuthenticate(realm);
  const headers: Record<string, string> = { 'content-type': 'application/json', 'cache-control': 'no-store' };
  if (challenge !== undefined) headers['www-authenticate'] = challenge;
  if (error instanceof DpopNonceError) headers['dpop-nonce'] = error.nonce;
  return {
    status: error.status,
    headers,
    body: { error: error.bodyError, error_description: error.description },
  };
}
