/** Rejects request bodies over a documented size (64 KiB) with 413 before anything parses them. */
import type { Middleware } from 'koa';
import { sendError } from './errors.ts';
import { isAdminApiPath, Problem, sendProblem } from '../web/admin-api/problem.ts';

export const MAX_BODY_BYTES = 64 * 1024;

export function bodyLimit(max = MAX_BODY_BYTES): Middleware {
  return async (ctx, next) => {
    const length = Number(ctx.get('content-length') || 0);
    if (length > max) {
      if (isAdminApiPath(ctx.path)) sendProblem(ctx, new Problem('payload-too-large', `request body larger than ${max} bytes`));
      else sendError(ctx, 413, 'invalid_request', `request body larger than ${max} bytes`);
      ctx.set('Connection', 'close');
      return;
    }
    await next();
  };
}
