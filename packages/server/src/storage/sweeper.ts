/** Periodic deletion of expired rows: protocol artefacts, old change notifications. */
import type { Db } from './database.ts';

const CHANGE_RETENTION_MS = 60 * 60 * 1000;

export async function sweepExpired(db: Db, now = Date.now()): Promise<{ models: number; changes: number }> {
  const models = await db.deleteFrom('oidc_model').where('expires_at', '<=', now).executeTakeFirst();
  const changes = await db.deleteFrom('change').where('created_at', '<', now - CHANGE_RETENTION_MS).executeTakeFirst();
  return { models: Number(models.numDeletedRows), changes: Number(changes.numDeletedRows) };
}

export function startSweeper(db: Db, intervalSeconds: number, onError: (err: unknown) => void): () => void {
  const timer = setInterval(() => void sweepExpired(db).catch(onError), intervalSeconds * 1000);
  timer.unref();
  return () => clearInterval(timer);
}
