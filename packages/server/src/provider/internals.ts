/**
 * The only module that reaches into oidc-provider beyond its public API. Everything here is
 * pinned to oidc-provider 9 and checked by the tests that exercise it.
 */
import type Provider from 'oidc-provider';
import type { JWK } from 'jose';
// @ts-expect-error -- deep import without type declarations
import initializeKeystore from 'oidc-provider/lib/helpers/initialize_keystore.js';

/** Replaces the provider's signing keys (after a rotation in any process) without a restart. */
export function replaceSigningKeys(provider: Provider, jwks: { keys: JWK[] }): void {
  (initializeKeystore as (this: Provider, jwks: { keys: JWK[] }) => void).call(provider, structuredClone(jwks));
}

/**
 * Replaces how a client's secret is checked: `compareClientSecret` is the method oidc-provider's
 * client authentication calls for client_secret_post and client_secret_basic.
 */
export function setClientSecretCheck(provider: Provider, check: (clientId: string, presented: string) => Promise<boolean>): void {
  const proto = provider.Client.prototype as unknown as { compareClientSecret(this: { clientId: string }, actual: string): Promise<boolean> };
  proto.compareClientSecret = function compareClientSecret(actual: string) {
    return check(this.clientId, actual);
  };
}

// @ts-expect-error -- deep import without type declarations
import instance from 'oidc-provider/lib/helpers/weak_cache.js';

/** Adds scopes created after start (new API resources) to what the provider accepts and advertises. */
export function addSupportedScopes(provider: Provider, scopes: Iterable<string>): void {
  const configuration = (instance as (p: Provider) => { configuration: { scopes: Set<string> } })(provider).configuration;
  for (const s of scopes) configuration.scopes.add(s);
}

/**
 * oidc-provider answers a grant type the client is not registered for with `invalid_request`;
 * RFC 6749 §5.2 names that case `unauthorized_client`. This rewrites exactly that error.
 */
export function unauthorizedClientForDisallowedGrant(): import('koa').Middleware {
  return async (ctx, next) => {
    await next();
    const body = ctx.body as { error?: string; error_description?: string } | undefined;
    if (ctx.status === 400 && body?.error === 'invalid_request' && body.error_description === 'requested grant type is not allowed for this client') {
      body.error = 'unauthorized_client';
    }
  };
}
