/**
 * Koa adapter (typed structurally: no dependency on koa). Sets
 * `ctx.state.auth` and awaits `next()`, or answers the error itself.
 *
 * @module
 */
import { authenticateAuthorization, type AuthenticateOptions } from '../authenticate.ts';
import { authorizationFromHeaders } from '../bearer.ts';
import { ResourceServerError } from '../errors.ts';
import type { Principal } from '../principal.ts';
import { errorResponse } from '../response.ts';
import type { Verifier } from '../verifier.ts';
import { requestAuthorization, type RequestLike } from './node.ts';

/** The parts of a Koa context the adapter uses. */
export interface KoaContextLike {
  /** The Node request (its `rawHeaders` reveal a repeated header). */
  readonly req?: RequestLike;
  /** Parsed request headers; used when `req` is absent. */
  readonly headers?: Readonly<Record<string, string | readonly string[] | undefined>>;
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
    const authorization =
      ctx.req !== undefined
        ? requestAuthorization(ctx.req)
        : ctx.headers === undefined
          ? undefined
          : authorizationFromHeaders(ctx.headers);
    let principal: Principal;
    try {
      principal = await authenticateAuthorization(verifier, authorization, options);
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
