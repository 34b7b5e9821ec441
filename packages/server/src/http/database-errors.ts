/**
 * When the database is unreachable, requests fail fast with 503 `temporarily_unavailable` (JSON,
 * or an HTML page for browsers) and `Retry-After`, instead of hanging or answering 500. The
 * storage layer raises DatabaseUnavailableError for connection-level failures; oidc-provider's own
 * endpoints already render it as that OAuth error (it is exposed, status 503), our routes get it
 * rendered here. Mounted inside errorHandler, so it sees the error first.
 */
import type { Middleware } from 'koa';
import type { Logger } from '../logger.ts';
import { DatabaseUnavailableError } from '../storage/database.ts';
import { sendError } from './errors.ts';
import { loggedPath } from './access-log.ts';

/** Seconds a client is asked to wait before retrying. */
const RETRY_AFTER_SECONDS = 1;

export function isDatabaseUnavailable(err: unknown): boolean {
  for (let e = err, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    if (e instanceof DatabaseUnavailableError) return true;
  }
  return false;
}

export function databaseErrors(logger: Logger): Middleware {
  return async (ctx, next) => {
    try {
      await next();
    } catch (err) {
      if (!isDatabaseUnavailable(err)) throw err;
      logger.warn({ err, reqId: ctx.state.requestId as string | undefined, path: loggedPath(ctx.path) }, 'database unavailable');
      sendError(ctx, 503, 'temporarily_unavailable', new DatabaseUnavailableError().error_description);
    }
    // Also oidc-provider's endpoints, which render DatabaseUnavailableError themselves.
    if (ctx.status === 503 && !ctx.response.get('Retry-After')) ctx.set('Retry-After', String(RETRY_AFTER_SECONDS));
  };
}
