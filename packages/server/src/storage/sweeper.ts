/** Periodic deletion of expired rows: protocol artefacts, trusted-grant JWT records past their `exp`, device-poll records of expired device codes, old change notifications. */
import type { Db } from './database.ts';

const CHANGE_RETENTION_MS = 60 * 60 * 1000;

export async function sweepExpired(db: Db, now = Date.now()): Promise<{ models: number; changes: number; trustedJti: number; devicePolls: number }> {
  const models = await db.deleteFrom('oidc_model').where('expires_at', '<=', now).executeTakeFirst();
  const changes = await db.deleteFrom('change').where('created_at', '<', now - CHANGE_RETENTION_MS).executeTakeFirst();
  const trustedJti = await db.deleteFrom('trusted_jti').where('expires_at', '<=', now).executeTakeFirst();
  const devicePolls = await db.deleteFrom('device_poll').where('expires_at', '<=', now).executeTakeFirst();
  return {
    models: Number(models.numDeletedRows),
    changes: Number(changes.numDeletedRows),
    trustedJti: Number(trustedJti.numDeletedRows),
    devicePolls: Number(devicePolls.numDeletedRows),
  };
}

export function startSweeper(db: Db, intervalSeconds: number, onError: (err: unknown) => void): () => void {
  const timer = setInterval(() => void sweepExpired(db).catch(onError), intervalSeconds * 1000);
  timer.unref();
  return () => clearInterval(timer);
}
