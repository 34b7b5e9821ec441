/**
 * Scope checks on a verified principal.
 *
 * @module
 */
import { InsufficientScopeError, InsufficientUserAuthenticationError } from './errors.ts';
import type { Principal } from './principal.ts';

/**
 * Checks that the principal holds every one of `scopes`.
 *
 * @example
 * ```ts
 * const principal = await verifier.verify(token);
 * requireScopes(principal, 'extern.api');
 * ```
 * @throws {InsufficientScopeError} (`ERR_INSUFFICIENT_SCOPE`, 403) naming all
 *   required scopes when any one is missing.
 */
export function requireScopes(principal: Principal, ...scopes: string[]): void {
  assertScopes(principal, scopes);
}

/**
 * {@link requireScopes} taking the scopes as an array (no rest-argument copy).
 *
 * @throws {InsufficientScopeError} when any scope is missing.
 */
export function assertScopes(principal: Principal, scopes: readonly string[]): void {
  const granted = principal.scopes;
  for (let i = 0; i < scopes.length; i++) {
    if (!granted.includes(scopes[i] as string)) {
      throw new InsufficientScopeError(scopes);
    }
  }
}

/** What a request needs of the person's sign-in (RFC 9470). */
export interface AuthenticationRequirement {
  /** Acceptable `acr` values, e.g. `'urn:propusk:acr:mfa'`. Default: any (or none). */
  requireAcr?: string | readonly string[];
  /** The sign-in must be at most this many seconds old (`auth_time`). Default: any age. */
  maxAge?: number;
}

/**
 * Checks that the principal's sign-in meets `requirement` (RFC 9470): its
 * `acr` is one of `requireAcr`, and its `auth_time` is at most `maxAge`
 * seconds old. A token without a person (client credentials) has neither and
 * fails either check.
 *
 * @example
 * ```ts
 * requireAuthentication(principal, { requireAcr: 'urn:propusk:acr:mfa' });
 * ```
 * @throws {InsufficientUserAuthenticationError} (`ERR_INSUFFICIENT_USER_AUTHENTICATION`,
 *   401) naming the acceptable values and the maximum age.
 */
export function requireAuthentication(principal: Principal, requirement: AuthenticationRequirement, now = Date.now()): void {
  const acrValues = requirement.requireAcr === undefined ? [] : typeof requirement.requireAcr === 'string' ? [requirement.requireAcr] : requirement.requireAcr;
  const { maxAge } = requirement;
  const acrOk = acrValues.length === 0 || (principal.acr !== undefined && acrValues.includes(principal.acr));
  const ageOk = maxAge === undefined || (principal.authTime !== undefined && now / 1000 - principal.authTime <= maxAge);
  if (!acrOk || !ageOk) {
    throw new InsufficientUserAuthenticationError(
      { acrValues, maxAge },
      !acrOk ? `The access token's sign-in is not ${acrValues.join(' or ')}` : `The access token's sign-in is older than ${maxAge} s`,
    );
  }
}

/** The checks of a verification's options: scopes, then the sign-in (only what is asked). */
export function assertRequirements(principal: Principal, options: { scopes?: readonly string[] | undefined } & AuthenticationRequirement): void {
  const scopes = options.scopes;
  if (scopes !== undefined && scopes.length !== 0) assertScopes(principal, scopes);
  if (options.requireAcr !== undefined || options.maxAge !== undefined) requireAuthentication(principal, options);
}
