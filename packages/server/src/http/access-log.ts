/** One JSON log line per request: method, path (without query: it may carry codes), status, duration, request id. */
import type { Middleware } from 'koa';
import type { Logger } from '../logger.ts';

export function accessLog(logger: Logger): Middleware {
  return async (ctx, next) => {
    const start = performance.now();
    try {
      await next();
    } finally {
      if (logger.isLevelEnabled('debug') || ctx.status >= 500) {
        logger[ctx.status >= 500 ? 'error' : 'debug'](
          { reqId: ctx.state.requestId, method: ctx.method, path: ctx.path, status: ctx.status, ms: Math.round((performance.now() - start) * 10) / 10 },
          'request',
        );
      }
    }
  };
}
