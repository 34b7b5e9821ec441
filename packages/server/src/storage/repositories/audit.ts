/** AuditRepository on Kysely. Records are appended with the database's group commit (one per issued token: a hot path). */
import type { Db } from '../database.ts';
import type { AuditEvent, AuditRepository } from '../../audit/types.ts';
import { PreparedQuery } from '../prepared-query.ts';
import { groupCommit } from '../group-commit.ts';

type Column = 'at' | 'type' | 'actor' | 'client_id' | 'account_id' | 'outcome' | 'details';

export class KyselyAuditRepository implements AuditRepository {
  readonly #insert: PreparedQuery<Column>;

  constructor(private readonly db: Db) {
    this.#insert = new PreparedQuery<Column>(['at', 'type', 'actor', 'client_id', 'account_id', 'outcome', 'details'], (p) =>
      db.insertInto('audit_event').values({ ...p, at: p.at as unknown as number }),
    );
  }

  async append(e: AuditEvent) {
    await groupCommit(this.db).write(
      this.#insert.bind({ at: e.at.getTime(), type: e.type, actor: e.actor, client_id: e.clientId, account_id: e.accountId, outcome: e.outcome, details: JSON.stringify(e.details) }),
    );
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
