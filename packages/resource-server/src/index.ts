/**
 * `@propusk/resource-server`: verify Propusk access tokens in APIs —
 * opaque tokens by introspection behind a cache, RFC 9068 JWT access tokens
 * with the JWKS, Bearer or DPoP-bound (RFC 9449) — with scope checks,
 * RFC 6750 / RFC 9449 errors and node:http / Express / Koa adapters.
 *
 * @module
 */
export { createVerifier } from './verifier.ts';
export type { CacheOptions, Verifier, VerifierOptions, VerifyOptions } from './verifier.ts';
export type { Principal } from './principal.ts';
export { requireAuthentication, requireScopes } from './scopes.ts';
export type { AuthenticationRequirement } from './scopes.ts';
/** Propusk's acr values: a sign-in with the password only, and one with two factors. */
export const ACR_PWD = 'urn:propusk:acr:pwd';
export const ACR_MFA = 'urn:propusk:acr:mfa';
export { authenticateRequest } from './authenticate.ts';
export type { AuthenticateOptions } from './authenticate.ts';
export { DEFAULT_DPOP_ALGORITHMS, MemoryReplayStore } from './dpop.ts';
export type { DpopMode, DpopNonceOptions, DpopProofOptions, DpopReplayStore, DpopRequest } from './dpop.ts';
export { parseAuthorization } from './bearer.ts';
export type { AuthorizationValue, HeadersLike } from './bearer.ts';
export { errorResponse } from './response.ts';
export type { ErrorResponse } from './response.ts';
export {
  AudienceError,
  DpopNonceError,
  DpopProofError,
  InsufficientScopeError,
  InsufficientUserAuthenticationError,
  IssuerUnavailableError,
  ResourceServerError,
  TokenExpiredError,
  TokenInactiveError,
  TokenInvalidError,
  TokenMalformedError,
  TokenMissingError,
} from './errors.ts';
export type {
  OAuthErrorValue,
  ResourceServerErrorCode,
  ResourceServerErrorOptions,
  ResourceServerErrorStatus,
} from './errors.ts';
export type { FetchLike } from './issuer-fetch.ts';
export { nodeHttp } from './middleware/node.ts';
export type { NodeAuthenticator, RequestLike, ResponseLike } from './middleware/node.ts';
export { express } from './middleware/express.ts';
export type { ExpressMiddleware, ExpressRequestLike } from './middleware/express.ts';
export { koa } from './middleware/koa.ts';
export type { KoaContextLike, KoaMiddleware } from './middleware/koa.ts';
