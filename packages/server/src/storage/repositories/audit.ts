/** AuditRepository on Kysely. */
import type { Db } from '../database.ts';
import type { AuditEvent, AuditRepository } from '../../audit/types.ts';

export class KyselyAuditRepository implements AuditRepository {
  constructor(private readonly db: Db) {}

  async append(e: AuditEvent) {
    await this.db
      .insertInto('audit_event')
      .values({ at: e.at.getTime(), type: e.type, actor: e.actor, client_id: e.clientId, account_id: e.accountId, outcome: e.outcome, details: JSON.stringify(e.details) })
      .execute();
  }

  async tail(filter: { since?: Date; type?: string; limit?: number }) {
    let q = this.db.selectFrom('audit_event').selectAll();
    if (filter.since) q = q.where('at', '>=', filter.since.getTime());
    if (filter.type) q = q.where('type', '=', filter.type);
    const rows = await q.orderBy('id', 'desc').limit(filter.limit ?? 100).execute();
    return rows.reverse().map((r) => ({
      id: Number(r.id),
      at: new Date(r.at),
      type: r.type,
      actor: r.actor,
      clientId: r.client_id,
      accountId: r.account_id,
      outcome: r.outcome === 'failure' ? 'failure' as const : 'success' as const,
      details: JSON.parse(r.details) as Record<string, unknown>,
    }));
  }
}
