/**
 * One JSON log line per request: method, path (without query: it may carry codes), status, duration,
 * request id. A path that carries a secret is logged without it (`loggedPath`): every line that
 * names a request's path goes through it.
 */
import type { Middleware } from 'koa';
import type { Logger } from '../logger.ts';
import { PASSWORD_LINK_PATH } from '../accounts/password-links.ts';

/** Paths whose rest is a secret (a one-time link's token), matched without regard to case. */
const SECRET_PATH = new RegExp(`^(${PASSWORD_LINK_PATH}/).+`, 'i');

/** The path as it may be logged: the token of a set-password link becomes `…`. */
export const loggedPath = (path: string): string => path.replace(SECRET_PATH, '$1…');

/** The request's log line: at debug level, or error for a 5xx; `start` is its performance.now(). */
export function logRequest(logger: Logger, request: { reqId: unknown; method: string; path: string; status: number }, start: number): void {
  const { status } = request;
  if (!logger.isLevelEnabled('debug') && status < 500) return;
  logger[status >= 500 ? 'error' : 'debug']({ ...request, path: loggedPath(request.path), ms: Math.round((performance.now() - start) * 10) / 10 }, 'request');
}

export function accessLog(logger: Logger): Middleware {
  return async (ctx, next) => {
    const start = performance.now();
    try {
      await next();
    } finally {
      logRequest(logger, { reqId: ctx.state.requestId, method: ctx.method, path: ctx.path, status: ctx.status }, start);
    }
  };
}
