/**
 * Last-resort error handling for our own routes: any error becomes a standard OAuth JSON error or
 * an HTML error page, never a stack trace; unexpected errors are logged with the request id.
 */
import type Koa from 'koa';
import type { Middleware, Context } from 'koa';
import type { Logger } from '../logger.ts';
import { refuseWithDescription } from '../web/shared/refusal.ts';
import { loggedPath } from './access-log.ts';

interface HttpishError {
  status?: number;
  statusCode?: number;
  expose?: boolean;
  error?: string;
  error_description?: string;
  message?: string;
}

/** An error answer of ours (web/shared/refusal.ts): an HTML page for a browser, OAuth-style JSON otherwise. */
export function sendError(ctx: Context, status: number, error: string, description: string): void {
  refuseWithDescription(ctx, status, error, description);
}

export function errorHandler(logger: Logger): Middleware {
  return async (ctx, next) => {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) {
        sendError(ctx, 404, 'not_found', 'the requested resource does not exist');
      } else if ((ctx.status === 405 || ctx.status === 501) && (ctx.body === undefined || ctx.body === null)) {
        // A router's allowedMethods() answers a method it does not know with an empty 501 (and a
        // known but unsupported one with an empty 405): both are the client's mistake here.
        sendError(ctx, 405, 'invalid_request', `method ${ctx.method} is not allowed here`);
      }
      // oidc-provider leaves error_description out of a few errors (e.g. request_not_supported); every error of ours has one.
      const body = ctx.body as { error?: unknown; error_description?: unknown } | undefined;
      if (ctx.status >= 400 && body && typeof body === 'object' && typeof body.error === 'string' && body.error_description === undefined && !Buffer.isBuffer(body)) {
        body.error_description = body.error.replace(/_/g, ' ');
      }
    } catch (err) {
      const e = err as HttpishError;
      const status = e.status ?? e.statusCode ?? 500;
      if (status >= 500 || !e.expose) {
        logger.error({ err, reqId: ctx.state.requestId, path: loggedPath(ctx.path) }, 'unhandled error');
        sendError(ctx, status >= 400 && status < 600 ? status : 500, 'server_error', 'an unexpected error occurred; quote the request id to support');
      } else {
        sendError(ctx, status, e.error ?? (status === 413 ? 'request_too_large' : 'invalid_request'), e.error_description ?? e.message ?? 'invalid request');
      }
    }
  };
}

/** How a socket reports a client that went away (a reset, a write after the close, a stream cut before its end). */
const CLIENT_GONE = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'ERR_STREAM_PREMATURE_CLOSE']);

/**
 * Koa's `error` event: what escapes every middleware, and a streamed answer (the management API's
 * NDJSON exports) that fails after its headers were sent. A client that closes the connection in
 * the middle of an answer is nothing to report (the stream is destroyed and stops reading); any
 * other error is logged with the request id, instead of Koa's default print to stderr.
 */
export function logUnhandledErrors(app: Koa, logger: Logger): void {
  app.on('error', (err: Error & { code?: string; status?: number; expose?: boolean }, ctx?: Context) => {
    if (err.status === 404 || err.expose) return;
    if (err.code !== undefined && CLIENT_GONE.has(err.code) && ctx !== undefined && !ctx.res.writableFinished) return;
    logger.error({ err, reqId: ctx?.state.requestId, path: ctx ? loggedPath(ctx.path) : undefined }, 'unhandled error');
  });
}
