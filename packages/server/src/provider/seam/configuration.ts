/**
 * The only module that reaches into oidc-provider beyond its public API. Everything here is
 * pinned to oidc-provider 9 and checked by the tests that exercise it.
 */
import type Provider from 'oidc-provider';
import type { KoaContextWithOIDC } from 'oidc-provider';
import type { JWK } from 'jose';
import type { Middleware } from 'koa';
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

/**
 * Keeps oidc-provider's Client instance per stored client record. `Client.find` otherwise rebuilds
 * the metadata, serialises and hashes it on every request just to find its cached instance.
 * `record(id)` returns the stored client — the same object until the client changes (the client
 * directory's cache), so a changed client gets a new instance — or undefined when it is unknown or
 * disabled, which oidc-provider is then asked about as before.
 */
export function reuseClientInstances(provider: Provider, record: (clientId: string) => Promise<object | undefined>): void {
  const Client = provider.Client as unknown as { find(id: unknown): Promise<unknown> };
  const find = Client.find.bind(Client);
  const instances = new WeakMap<object, Promise<unknown>>();
  Client.find = async (id: unknown) => {
    const stored = typeof id === 'string' && id.length > 0 ? await record(id) : undefined;
    if (!stored) return find(id);
    let client = instances.get(stored);
    if (!client) {
      const creating = (client = find(id));
      instances.set(stored, creating);
      creating.catch(() => {
        if (instances.get(stored) === creating) instances.delete(stored);
      });
    }
    return client;
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
export function unauthorizedClientForDisallowedGrant(): Middleware {
  return async (ctx, next) => {
    await next();
    const body = ctx.body as { error?: string; error_description?: string } | undefined;
    if (ctx.status === 400 && body?.error === 'invalid_request' && body.error_description === 'requested grant type is not allowed for this client') {
      body.error = 'unauthorized_client';
    }
  };
}

/** oidc-provider's description of a request to a client-authenticated endpoint that names no client at all. */
const NO_CLIENT_AUTHENTICATION = 'no client authentication mechanism provided';

/**
 * Client authentication failures in the shape RFC 6749 §5.2 asks for, at the endpoints where
 * clients authenticate (`paths`): oidc-provider answers a request that names no client at all with
 * 400 `invalid_request` (made 401 `invalid_client` here), and adds `WWW-Authenticate` to a 401 only
 * when the client used HTTP Basic (added here for client_secret_post and unknown clients too, in
 * the form oidc-provider gives it).
 */
export function challengeClientAuthFailures(issuer: string, paths: ReadonlySet<string>): Middleware {
  const quoted = (v: string) => `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
  return async (ctx, next) => {
    await next();
    if (!paths.has(ctx.path)) return;
    const body = ctx.body as { error?: string; error_description?: string } | undefined;
    if (typeof body !== 'object' || body === null) return;
    if (ctx.status === 400 && body.error === 'invalid_request' && body.error_description === NO_CLIENT_AUTHENTICATION) {
      ctx.status = 401;
      body.error = 'invalid_client';
      body.error_description = 'client authentication required: client_id and client_secret (the api-key) in the form, or HTTP Basic';
    }
    if (ctx.status === 401 && body.error === 'invalid_client' && !ctx.response.get('WWW-Authenticate')) {
      const fields = [`realm=${quoted(issuer)}`, `error=${quoted(body.error)}`];
      if (body.error_description) fields.push(`error_description=${quoted(body.error_description)}`);
      ctx.set('WWW-Authenticate', `Basic ${fields.join(', ')}`);
    }
  };
}

import * as grantHelperFunctions from 'oidc-provider/lib/helpers/grants.js';
import type { GrantHelpers } from '../../grants/helpers.ts';

/**
 * The helpers oidc-provider binds to the provider for its own grant handlers (resource
 * resolution, client scope checks, the token response); `registerGrantType` does not pass them.
 * The module is typed (@types/oidc-provider) but marked experimental, hence its place here.
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
 * same grant type with the same parameters and allowed duplicates (oidc-provider 9 keeps them in
 * its private `grantTypeHandlers` / `grantTypeParams` / `grantTypeDupes` maps).
 */
export function wrapGrantHandler(provider: Provider, grantType: string, wrap: (original: BoundGrantHandler) => BoundGrantHandler): void {
  const internal = (instance as (p: Provider) => {
    grantTypeHandlers: Map<string, BoundGrantHandler>;
    grantTypeParams: Map<string, Set<string>>;
    grantTypeDupes: Map<string, Set<string>>;
  })(provider);
  const original = internal.grantTypeHandlers.get(grantType);
  const parameters = internal.grantTypeParams.get(grantType);
  if (!original || !parameters) throw new Error(`oidc-provider has no ${grantType} grant handler to wrap`);
  provider.registerGrantType(grantType, wrap(original), new Set(parameters), internal.grantTypeDupes.get(grantType));
}
