/** Periodic deletion of expired rows: protocol artefacts, trusted-grant JWT records past their `exp`, device-poll records of expired device codes, portal invitations a month past their expiry, old change notifications. */
import type { Db } from './database.ts';

const CHANGE_RETENTION_MS = 60 * 60 * 1000;
/** Expired or used invitations stay a month so their link still says "expired" rather than "unknown". */
const INVITATION_RETENTION_MS = 30 * 24 * 60 * 60 * 1000;

export async function sweepExpired(db: Db, now = Date.now()): Promise<{ models: number; changes: number; trustedJti: number; devicePolls: number; invitations: number }> {
  const models = await db.deleteFrom('oidc_model').where('expires_at', '<=', now).executeTakeFirst();
  const changes = await db.deleteFrom('change').where('created_at', '<', now - CHANGE_RETENTION_MS).executeTakeFirst();
  const trustedJti = await db.deleteFrom('trusted_jti').where('expires_at', '<=', now).executeTakeFirst();
  const devicePolls = await db.deleteFrom('device_poll').where('expires_at', '<=', now).executeTakeFirst();
  const invitations = await db.deleteFrom('invitation').where('expires_at', '<=', now - INVITATION_RETENTION_MS).executeTakeFirst();
  return {
    models: Number(models.numDeletedRows),
    changes: Number(changes.numDeletedRows),
    trustedJti: Number(trustedJti.numDeletedRows),
    devicePolls: Number(devicePolls.numDeletedRows),
    invitations: Number(invitations.numDeletedRows),
  };
}

export function startSweeper(db: Db, intervalSeconds: number, onError: (err: unknown) => void): () => void {
  const timer = setInterval(() => void sweepExpired(db).catch(onError), intervalSeconds * 1000);
  timer.unref();
  return () => clearInterval(timer);
}
