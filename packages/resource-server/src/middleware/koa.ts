/**
 * Koa adapter (typed structurally: no dependency on koa). Sets
 * `ctx.state.auth` and awaits `next()`, or answers the error itself.
 *
 * @module
 */
import { authenticateCredentials, type AuthenticateOptions, type RequestCredentials } from '../authenticate.ts';
import { authorizationFromHeaders, headerFromHeaders } from '../bearer.ts';
import { ResourceServerError } from '../errors.ts';
import type { Principal } from '../principal.ts';
import { errorResponse } from '../response.ts';
import type { Verifier } from '../verifier.ts';
import { requestCredentials, type RequestLike } from './node.ts';

/** The parts of a Koa context the adapter uses. */
export interface KoaContextLike {
  /** The Node request (its `rawHeaders` reveal a repeated header). */
  readonly req?: RequestLike;
  /** Parsed request headers; used when `req` is absent. */
  readonly headers?: Readonly<Record<string, string | readonly string[] | undefined>>;
  /** Method; used for DPoP when `req` is absent. */
  readonly method?: string;
  /** Full request URL (Koa's `ctx.href`); used for DPoP when `req` is absent and no `externalUrl` is set. */
  readonly href?: string;
  /** Unmounted path and query; used for DPoP with `externalUrl` when `req` is absent. */
  readonly originalUrl?: string;
  /** Koa's per-request state; receives `auth`. */
  state: { auth?: Principal; [key: string]: unknown };
  status: number;
  body: unknown;
  set(name: string, value: string): void;
}

/** Koa-style middleware. */
export type KoaMiddleware = (ctx: KoaContextLike, next: () => Promise<unknown>) => Promise<void>;

/**
 * Creates Koa middleware.
 *
 * @example
 * ```ts
 * router.get('/reports', koa(verifier, { scopes: ['extern.api'] }), (ctx) => {
 *   ctx.body = { user: ctx.state.auth.sub };
 * });
 * ```
 * @returns Middleware that sets `ctx.state.auth` and awaits `next()`; on a
 *   {@link ResourceServerError} it sets status, headers and the JSON body and
 *   does not call `next`; any other error is rethrown to Koa.
 */
export function koa(verifier: Verifier, options?: AuthenticateOptions): KoaMiddleware {
  const realm = options?.realm ?? verifier.audience;
  return async (ctx, next) => {
    let principal: Principal;
    try {
      const credentials = ctx.req !== undefined ? requestCredentials(ctx.req, verifier, options) : contextCredentials(ctx, verifier, options);
      principal = await authenticateCredentials(verifier, credentials, options);
    } catch (error) {
      if (!(error instanceof ResourceServerError)) throw error;
      const { status, headers, body } = errorResponse(error, realm);
      ctx.status = status;
      for (const name in headers) ctx.set(name, headers[name] as string);
      ctx.body = body;
      return;
    }
    ctx.state.auth = principal;
    await next();
  };
}

/** The credentials of a context without `req` (tests, other Koa-like frameworks). */
function contextCredentials(ctx: KoaContextLike, verifier: Verifier, options: AuthenticateOptions | undefined): RequestCredentials {
  const headers = ctx.headers;
  const authorization = headers === undefined ? undefined : authorizationFromHeaders(headers);
  if (verifier.dpop === undefined || verifier.dpop === 'off' || headers === undefined) {
    return { authorization, dpop: undefined, request: undefined };
  }
  const external = options?.externalUrl;
  const url = external !== undefined && ctx.originalUrl !== undefined ? external.replace(/\/$/, '') + ctx.originalUrl : ctx.href;
  return {
    authorization,
    dpop: headerFromHeaders(headers, 'dpop'),
    request: ctx.method === undefined || url === undefined ? undefined : { method: ctx.method, url },
  };
}
