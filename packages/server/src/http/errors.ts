/**
 * Last-resort error handling for our own routes: any error becomes a standard OAuth JSON error or
 * an HTML error page, never a stack trace; unexpected errors are logged with the request id.
 */
import type { Middleware, Context } from 'koa';
import type { Logger } from '../logger.ts';
import { errorPage, negotiateLocale } from '../views/index.ts';

interface HttpishError {
  status?: number;
  statusCode?: number;
  expose?: boolean;
  error?: string;
  error_description?: string;
  message?: string;
}

export function sendError(ctx: Context, status: number, error: string, description: string): void {
  ctx.status = status;
  if (ctx.accepts('json', 'html') === 'html') {
    ctx.type = 'html';
    ctx.body = errorPage({
      locale: negotiateLocale({ acceptLanguage: ctx.get('accept-language') }),
      status,
      message: description,
      code: error,
      requestId: ctx.state.requestId as string | undefined,
    });
  } else {
    ctx.body = { error, error_description: description };
  }
}

export function errorHandler(logger: Logger): Middleware {
  return async (ctx, next) => {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) {
        sendError(ctx, 404, 'not_found', 'the requested resource does not exist');
      }
    } catch (err) {
      const e = err as HttpishError;
      const status = e.status ?? e.statusCode ?? 500;
      if (status >= 500 || !e.expose) {
        logger.error({ err, reqId: ctx.state.requestId, path: ctx.path }, 'unhandled error');
        sendError(ctx, status >= 400 && status < 600 ? status : 500, 'server_error', 'an unexpected error occurred; quote the request id to support');
      } else {
        sendError(ctx, status, e.error ?? (status === 413 ? 'request_too_large' : 'invalid_request'), e.error_description ?? e.message ?? 'invalid request');
      }
    }
  };
}
