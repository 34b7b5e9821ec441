/**
 * Scope checks on a verified principal.
 *
 * @module
 */
import { InsufficientScopeError } from './errors.ts';
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
