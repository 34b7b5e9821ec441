/**
 * /healthz: the process answers. /readyz: the database answers within READY_TIMEOUT_MS and has
 * this build's latest migration; otherwise 503, so a load balancer stops sending requests here.
 */
import Router from '@koa/router';
import { sql } from 'kysely';
import type { Db } from '../storage/database.ts';
import { migrationProvider } from '../storage/migrations/index.ts';

/** /readyz answers 503 when the database has not answered within this many milliseconds. */
export const READY_TIMEOUT_MS = 2000;

async function latestMigration(): Promise<string> {
  return Object.keys(await migrationProvider.getMigrations()).sort().at(-1) ?? '';
}

/** Resolves when the database answers and has the latest migration; rejects otherwise or after `timeoutMs`. */
async function checkDatabase(db: Db, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`database did not answer within ${timeoutMs} ms`)), timeoutMs);
  });
  const query = (async () => {
    const name = await latestMigration();
    const { rows } = await sql`select 1 from propusk_migration where name = ${name}`.execute(db);
    if (rows.length === 0) throw new Error(`migration ${name} is not applied`);
  })();
  query.catch(() => undefined); // may settle after the timeout
  try {
    await Promise.race([query, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export function healthRoutes(db: Db, options: { readyTimeoutMs?: number } = {}): Router {
  const router = new Router();
  router.get('/healthz', (ctx) => {
    ctx.body = { status: 'ok' };
  });
  router.get('/readyz', async (ctx) => {
    try {
      await checkDatabase(db, options.readyTimeoutMs ?? READY_TIMEOUT_MS);
      ctx.body = { status: 'ready' };
    } catch {
      ctx.status = 503;
      ctx.set('Retry-After', '1');
      ctx.body = { status: 'unavailable', error: 'temporarily_unavailable', error_description: 'database unreachable or not migrated' };
    }
  });
  return router;
}
