/**
 * A request id for every request: taken from a well-formed `X-Request-Id`, else generated; echoed in
 * the response, kept as `ctx.state.requestId` and logged. The rest of the request runs in
 * oidc-provider's request context (`Provider.ctx`), where log lines and audit records find it
 * (shared/request-scope.ts).
 */
import { randomUUID } from 'node:crypto';
import type { Middleware } from 'koa';
import { readServedRequestFrom } from '../shared/request-scope.ts';
import { currentContext, enterRequestContext } from '../provider/seam/request-context.ts';

const VALID = /^[A-Za-z0-9._-]{8,128}$/;

/** The request's id: the client's `X-Request-Id` when well-formed, else a new one. */
export function chooseRequestId(incoming: string | string[] | undefined): string {
  return typeof incoming === 'string' && VALID.test(incoming) ? incoming : randomUUID();
}

export function requestId(): Middleware {
  readServedRequestFrom(currentContext);
  return async (ctx, next) => {
    const id = chooseRequestId(ctx.get('x-request-id'));
    ctx.state.requestId = id;
    ctx.set('X-Request-Id', id);
    await enterRequestContext(ctx, next);
  };
}
