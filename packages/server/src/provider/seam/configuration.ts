/**
 * Seam: oidc-provider's private configuration and grant registry. Signing keys replaced after a
 * rotation in another process, API scopes added after start, the helpers oidc-provider binds to its
 * own grant handlers, and re-registering one of its grant handlers wrapped.
 */
import type Provider from 'oidc-provider';
import type { KoaContextWithOIDC } from 'oidc-provider';
import type { JWK } from 'jose';
// @ts-expect-error -- deep import without type declarations
import initializeKeystore from 'oidc-provider/lib/helpers/initialize_keystore.js';
// @ts-expect-error -- deep import without type declarations
import instance from 'oidc-provider/lib/helpers/weak_cache.js';
import * as grantHelperFunctions from 'oidc-provider/lib/helpers/grants.js';
import type { GrantHelpers } from '../../grants/helpers.ts';
import { localSigningKeys, type LocalSigningKey, type SignatureObserver } from '../signing-keys.ts';
import type { Assumption } from './assumption.ts';

/**
 * oidc-provider's private per-instance state, as far as the seam reads it.
 * Upstream: lib/helpers/weak_cache.js:11 (reads the state lib/provider.js keeps per instance).
 */
interface Internals {
  configuration: { scopes: Set<string> };
  grantTypeHandlers: Map<string, BoundGrantHandler>;
  grantTypeParams: Map<string, Set<string>>;
  grantTypeDupes: Map<string, Set<string>>;
}
const internals = instance as (provider: Provider) => Internals;

/**
 * Replaces the provider's signing keys (after a rotation in any process) without a restart.
 * Upstream: lib/helpers/initialize_keystore.js:282, the function the constructor calls with `jwks`.
 * Remove when oidc-provider can replace its keystore through its API.
 */
export function replaceSigningKeys(provider: Provider, jwks: { keys: JWK[] }, observe?: SignatureObserver): void {
  (initializeKeystore as (this: Provider, jwks: { keys: LocalSigningKey[] }) => void).call(provider, localSigningKeys(jwks, observe));
}

/**
 * Adds scopes created after start (new API resources) to what the provider accepts and advertises.
 * Upstream: lib/helpers/configuration.js:441 makes `configuration.scopes` a Set, read per request.
 * Remove when `scopes` can be a function or be changed through the API.
 */
export function addSupportedScopes(provider: Provider, scopes: Iterable<string>): void {
  const { configuration } = internals(provider);
  for (const s of scopes) configuration.scopes.add(s);
}

/**
 * The helpers oidc-provider binds to the provider for its own grant handlers (resource
 * resolution, client scope checks, the token response); `registerGrantType` does not pass them.
 * Upstream: lib/helpers/grants.js:26 and :33 (typed by @types/oidc-provider, marked experimental).
 * Remove when `registerGrantType` hands its helpers to custom grant handlers.
 */
export function grantHelpers(provider: Provider): GrantHelpers {
  return {
    resolveRequestedResources: (ctx) => grantHelperFunctions.resolveRequestedResources(provider, ctx),
    validateClientScope: (ctx, scopes) => grantHelperFunctions.validateClientScope(provider, ctx, scopes),
    buildTokenResponse: (options) => grantHelperFunctions.buildTokenResponse(provider, options),
  };
}

/** A token-endpoint grant handler as oidc-provider stores it (already bound to the provider and its helpers). */
export type BoundGrantHandler = (ctx: KoaContextWithOIDC) => Promise<void>;

/**
 * Replaces one of oidc-provider's own grant handlers with `wrap(original)`, re-registered under the
 * same grant type with the same parameters and allowed duplicates.
 * Upstream: lib/provider.js:174, the private `grantTypeHandlers` / `grantTypeParams` /
 * `grantTypeDupes` maps `registerGrantType` fills.
 * Remove when oidc-provider offers a hook around its grant handlers.
 */
export function wrapGrantHandler(provider: Provider, grantType: string, wrap: (original: BoundGrantHandler) => BoundGrantHandler): void {
  const internal = internals(provider);
  const original = internal.grantTypeHandlers.get(grantType);
  const parameters = internal.grantTypeParams.get(grantType);
  if (!original || !parameters) throw new Error(`oidc-provider has no ${grantType} grant handler to wrap`);
  provider.registerGrantType(grantType, wrap(original), new Set(parameters), internal.grantTypeDupes.get(grantType));
}

export const assumptions: Assumption[] = [
  {
    name: 'weak_cache: the default export reads a provider’s private state',
    file: 'lib/helpers/weak_cache.js',
    line: 11,
    text: 'export default get;',
    holds: ({ provider }) => typeof internals(provider) === 'object' && internals(provider) !== null,
    why: 'the scopes and the grant registry below are private state of the provider instance',
    removeWhen: 'nothing below needs private state',
  },
  {
    name: 'initialize_keystore: the default export loads a JWKS into the provider',
    file: 'lib/helpers/initialize_keystore.js',
    line: 282,
    text: 'export default function initialize(jwks) {',
    holds: () => typeof initializeKeystore === 'function',
    why: 'signing keys rotated by another process are applied without a restart',
    removeWhen: 'oidc-provider can replace its keystore through its API',
  },
  {
    name: 'weak_cache: configuration.scopes is a Set read per request',
    file: 'lib/helpers/configuration.js',
    line: 441,
    text: "'scopes'",
    holds: ({ provider }) => internals(provider).configuration.scopes instanceof Set,
    why: 'API scopes created after start are accepted and advertised at once',
    removeWhen: 'oidc-provider accepts a function for `scopes` or changes to it through its API',
  },
  {
    name: 'grants.js: resolveRequestedResources and validateClientScope exported',
    file: 'lib/helpers/grants.js',
    line: 26,
    text: 'resolveRequestedResources,',
    holds: () => typeof grantHelperFunctions.resolveRequestedResources === 'function' && typeof grantHelperFunctions.validateClientScope === 'function',
    why: 'our own grants resolve resources and check scopes exactly as oidc-provider’s grants do',
    removeWhen: '`registerGrantType` passes its helpers to custom handlers',
  },
  {
    name: 'grants.js: buildTokenResponse exported',
    file: 'lib/helpers/grants.js',
    line: 33,
    text: 'buildTokenResponse',
    holds: () => typeof grantHelperFunctions.buildTokenResponse === 'function',
    why: 'our own grants answer with oidc-provider’s token response',
    removeWhen: '`registerGrantType` passes its helpers to custom handlers',
  },
  {
    name: 'provider.js: registerGrantType keeps handlers, parameters and duplicates in private maps',
    file: 'lib/provider.js',
    line: 174,
    text: 'const { grantTypeHandlers, grantTypeParams, grantTypeDupes } = this.#int;',
    holds: ({ provider }) => {
      const i = internals(provider);
      return i.grantTypeHandlers instanceof Map && i.grantTypeParams instanceof Map && i.grantTypeDupes instanceof Map && i.grantTypeHandlers.has('authorization_code');
    },
    why: 'device polls are paced and lost consume races revoked around oidc-provider’s own grant handlers',
    removeWhen: 'oidc-provider offers a hook around its grant handlers',
  },
];
