/** /healthz: the process answers. /readyz: the database answers and migrations are applied. */
import Router from '@koa/router';
import { sql } from 'kysely';
import type { Db } from '../storage/database.ts';

export function healthRoutes(db: Db): Router {
  const router = new Router();
  router.get('/healthz', (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { status: 'ok' };
  });
  router.get('/readyz', async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    try {
      await sql`select 1 from propusk_migration limit 1`.execute(db);
      ctx.body = { status: 'ready' };
    } catch {
      ctx.status = 503;
      ctx.body = { status: 'unavailable', error: 'temporarily_unavailable', error_description: 'database unreachable' };
    }
  });
  return router;
}
