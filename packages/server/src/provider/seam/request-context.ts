/**
 * Seam: the request being served, read through oidc-provider's documented `Provider.ctx` (the Koa
 * context of the current request, kept in oidc-provider's own AsyncLocalStorage).
 *
 * oidc-provider enters that store only once its router has matched one of its routes, so on its
 * own `Provider.ctx` is undefined in our middleware around it (request id, access log, error
 * handler) and in our own routes (sign-in pages, /account, the portal, the linking API, health).
 * Rather than keep a second store for those, every request enters oidc-provider's store at the
 * start (`enterRequestContext`, from http/request-id.ts): `Provider.ctx` is then the one request
 * context everywhere, and oidc-provider's routes enter it again with the same context.
 */
import Provider, { type KoaContextWithOIDC } from 'oidc-provider';
import type { Context, Next } from 'koa';
import type { AsyncLocalStorage } from 'node:async_hooks';
// @ts-expect-error -- deep import without type declarations
import store from 'oidc-provider/lib/helpers/als.js';
import type { Assumption } from './assumption.ts';

const requestStore = store as AsyncLocalStorage<Context>;

/**
 * Runs the rest of the request inside oidc-provider's request store, so `Provider.ctx` is this
 * request's context in every middleware and route, not only in oidc-provider's own.
 * Upstream: lib/helpers/als.js:3 (the store) read by lib/provider.js:472 (`static get ctx()`) and
 * entered by lib/helpers/initialize_app.js:87 for oidc-provider's routes only.
 * Remove when oidc-provider enters its store for every request it is the app of.
 */
export function enterRequestContext(ctx: Context, next: Next): Promise<unknown> {
  return requestStore.run(ctx, next);
}

/**
 * The Koa context of the request being served (`Provider.ctx`), or undefined outside a request.
 * In our own routes it has no `oidc`.
 */
export function currentContext(): KoaContextWithOIDC | undefined {
  return Provider.ctx;
}

export const assumptions: Assumption[] = [
  {
    name: 'als.js: oidc-provider’s request store is its default export',
    file: 'lib/helpers/als.js',
    line: 3,
    text: 'export default new AsyncLocalStorage();',
    holds: ({ Provider: P }) => {
      const probe = {} as Context;
      return typeof requestStore.run === 'function' && requestStore.run(probe, () => P.ctx === probe);
    },
    why: 'our middleware and routes run in the same request context as oidc-provider’s routes',
    removeWhen: 'oidc-provider enters its store for every request it is the app of',
  },
  {
    name: 'Provider.ctx reads that store',
    file: 'lib/provider.js',
    line: 472,
    text: 'return als.getStore();',
    why: '`Provider.ctx` is the documented way to read the request context',
    removeWhen: 'never: public API; the line only locates it',
  },
  {
    name: 'initialize_app: oidc-provider’s routes enter the store with the same Koa context',
    file: 'lib/helpers/initialize_app.js',
    line: 87,
    text: 'return als.run(ctx, () => next());',
    why: 'entering the store earlier gives oidc-provider’s routes the context they would set themselves',
    removeWhen: 'oidc-provider enters its store for every request it is the app of',
  },
];
