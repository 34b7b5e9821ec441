/** Periodic deletion of expired rows: protocol artefacts, trusted-grant JWT records past their `exp`, device-poll records of expired device codes, portal invitations and set-password links a month past their expiry, old change notifications, audit events past their retention. */
import type { Db } from './database.ts';

const CHANGE_RETENTION_MS = 60 * 60 * 1000;
/** Expired or used invitations and set-password links stay a month so their link still says "expired" (or "used") rather than "unknown". */
const ONE_TIME_LINK_RETENTION_MS = 30 * 24 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface SweepOptions {
  /** Audit events older than this many days are deleted; undefined keeps them. */
  auditRetentionDays?: number;
  /** Audit rows deleted per statement, so no statement holds locks long. Default 1000. */
  auditBatchSize?: number;
  /** Statements per sweep; the rest waits for the next sweep. Default 50 (50,000 rows). */
  auditMaxBatches?: number;
}

export async function sweepExpired(
  db: Db,
  now = Date.now(),
  options: SweepOptions = {},
): Promise<{ models: number; changes: number; trustedJti: number; devicePolls: number; invitations: number; passwordLinks: number; audit: number }> {
  const models = await db.deleteFrom('oidc_model').where('expires_at', '<=', now).executeTakeFirst();
  const changes = await db.deleteFrom('change').where('created_at', '<', now - CHANGE_RETENTION_MS).executeTakeFirst();
  const trustedJti = await db.deleteFrom('trusted_jti').where('expires_at', '<=', now).executeTakeFirst();
  const devicePolls = await db.deleteFrom('device_poll').where('expires_at', '<=', now).executeTakeFirst();
  const invitations = await db.deleteFrom('invitation').where('expires_at', '<=', now - ONE_TIME_LINK_RETENTION_MS).executeTakeFirst();
  const passwordLinks = await db.deleteFrom('password_link').where('expires_at', '<=', now - ONE_TIME_LINK_RETENTION_MS).executeTakeFirst();
  return {
    models: Number(models.numDeletedRows),
    changes: Number(changes.numDeletedRows),
    trustedJti: Number(trustedJti.numDeletedRows),
    devicePolls: Number(devicePolls.numDeletedRows),
    invitations: Number(invitations.numDeletedRows),
    passwordLinks: Number(passwordLinks.numDeletedRows),
    audit: options.auditRetentionDays === undefined ? 0 : await sweepAudit(db, now - options.auditRetentionDays * DAY_MS, options),
  };
}

/** Deletes audit rows older than `cutoff` (by their last event), oldest first, in bounded batches. */
async function sweepAudit(db: Db, cutoff: number, options: SweepOptions): Promise<number> {
  const size = options.auditBatchSize ?? 1000;
  let deleted = 0;
  for (let batch = 0; batch < (options.auditMaxBatches ?? 50); batch++) {
    const expired = db
      .selectFrom('audit_event')
      .select('id')
      .where('at', '<', cutoff)
      .where((eb) => eb.or([eb('last_at', 'is', null), eb('last_at', '<', cutoff)]))
      .orderBy('at')
      .limit(size);
    const n = Number((await db.deleteFrom('audit_event').where('id', 'in', expired).executeTakeFirst()).numDeletedRows);
    deleted += n;
    if (n < size) break;
  }
  return deleted;
}

export function startSweeper(db: Db, intervalSeconds: number, options: SweepOptions, onError: (err: unknown) => void): () => void {
  const timer = setInterval(() => void sweepExpired(db, Date.now(), options).catch(onError), intervalSeconds * 1000);
  timer.unref();
  return () => clearInterval(timer);
}
