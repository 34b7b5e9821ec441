/** A request id for every request: taken from a well-formed `X-Request-Id`, else generated; echoed in the response and logged. */
import { randomUUID } from 'node:crypto';
import type { Middleware } from 'koa';
import { requestScope } from '../shared/request-scope.ts';

const VALID = /^[A-Za-z0-9._-]{8,128}$/;

export function requestId(): Middleware {
  return async (ctx, next) => {
    const incoming = ctx.get('x-request-id');
    const id = VALID.test(incoming) ? incoming : randomUUID();
    ctx.state.requestId = id;
    ctx.set('X-Request-Id', id);
    // Log lines and provider events inside this request find it (shared/request-scope.ts).
    await requestScope.run({ requestId: id, ctx }, next);
  };
}
