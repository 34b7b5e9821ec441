/** Serves the one stylesheet and the one progressive-enhancement script, with long caching. */
import Router from '@koa/router';
import { createHash } from 'node:crypto';
import { stylesheet, script, stylesheetPath, scriptPath } from '../views/index.ts';

export function assetRoutes(): Router {
  const router = new Router();
  const serve = (path: string, type: string, body: string) => {
    const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 16)}"`;
    router.get(path, (ctx) => {
      ctx.set('Cache-Control', 'public, max-age=86400');
      ctx.set('ETag', etag);
      if (ctx.get('if-none-match') === etag) {
        ctx.status = 304;
        return;
      }
      ctx.type = type;
      ctx.body = body;
    });
  };
  serve(stylesheetPath, 'text/css; charset=utf-8', stylesheet);
  serve(scriptPath, 'text/javascript; charset=utf-8', script);
  return router;
}
