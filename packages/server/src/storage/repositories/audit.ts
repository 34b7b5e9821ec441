/**
 * AuditRepository on Kysely. Records are appended with the database's group commit (one per issued
 * token: a hot path). An aggregated event is an upsert on its `aggregate_key`: the first inserts
 * the row, the next ones add to its `count` and move `last_at`, atomically on every instance.
 */
import type { Db } from '../database.ts';
import type { AuditEvent, AuditFilter, AuditPage, AuditRepository } from '../../audit/types.ts';
import type { Selectable } from 'kysely';
import type { AuditEventTable } from '../schema.ts';
import { PreparedQuery } from '../prepared-query.ts';
import { groupCommit } from '../group-commit.ts';

type Column = 'at' | 'type' | 'actor' | 'client_id' | 'account_id' | 'outcome' | 'details' | 'source_ip';

export class KyselyAuditRepository implements AuditRepository {
  readonly #insert: PreparedQuery<Column>;

  constructor(private readonly db: Db) {
    this.#insert = new PreparedQuery<Column>(['at', 'type', 'actor', 'client_id', 'account_id', 'outcome', 'details', 'source_ip'], (p) =>
      db.insertInto('audit_event').values({ ...p, at: p.at as unknown as number }),
    );
  }

  async append(e: AuditEvent, aggregateKey?: string) {
    const row = {
      at: e.at.getTime(),
      type: e.type,
      actor: e.actor,
      client_id: e.clientId,
      account_id: e.accountId,
      outcome: e.outcome,
      details: JSON.stringify(e.details),
      source_ip: e.sourceIp ?? null,
    };
    if (aggregateKey === undefined) {
      await groupCommit(this.db).write(this.#insert.bind(row));
      return;
    }
    const upsert = this.db
      .insertInto('audit_event')
      .values({ ...row, aggregate_key: aggregateKey, count: 1, last_at: row.at })
      .onConflict((oc) => oc.column('aggregate_key').doUpdateSet((eb) => ({ count: eb('audit_event.count', '+', 1), last_at: eb.ref('excluded.last_at') })));
    await groupCommit(this.db).write(upsert.compile());
  }

  async tail(filter: { since?: Date; type?: string; limit?: number }) {
    let q = this.db.selectFrom('audit_event').selectAll();
    if (filter.since) q = q.where((eb) => eb.or([eb('at', '>=', filter.since!.getTime()), eb('last_at', '>=', filter.since!.getTime())]));
    if (filter.type) q = q.where('type', '=', filter.type);
    const rows = await q.orderBy('id', 'desc').limit(filter.limit ?? 100).execute();
    return rows.reverse().map(toEvent);
  }

  async find(filter: AuditFilter, page: AuditPage) {
    let q = this.db.selectFrom('audit_event').selectAll();
    if (filter.types !== undefined) q = filter.types.length === 1 ? q.where('type', '=', filter.types[0]!) : q.where('type', 'in', [...filter.types]);
    if (filter.actor !== undefined) q = q.where('actor', '=', filter.actor);
    if (filter.clientId !== undefined) q = q.where('client_id', '=', filter.clientId);
    if (filter.accountId !== undefined) q = q.where('account_id', '=', filter.accountId);
    if (filter.since !== undefined) {
      const since = filter.since.getTime();
      q = q.where((eb) => eb.or([eb('at', '>=', since), eb('last_at', '>=', since)]));
    }
    if (filter.until !== undefined) q = q.where('at', '<', filter.until.getTime());
    if (page.order === 'desc') {
      if (page.beforeId !== undefined) q = q.where('id', '<', page.beforeId);
      q = q.orderBy('id', 'desc');
    } else {
      if (page.afterId !== undefined) q = q.where('id', '>', page.afterId);
      if (page.throughId !== undefined) q = q.where('id', '<=', page.throughId);
      q = q.orderBy('id', 'asc');
    }
    return (await q.limit(page.limit).execute()).map(toEvent);
  }
}

function toEvent(r: Selectable<AuditEventTable>): AuditEvent {
  return {
    id: Number(r.id),
    at: new Date(Number(r.at)),
    type: r.type,
    actor: r.actor,
    clientId: r.client_id,
    accountId: r.account_id,
    outcome: r.outcome === 'failure' ? 'failure' : 'success',
    details: JSON.parse(r.details) as Record<string, unknown>,
    sourceIp: r.source_ip,
    count: Number(r.count),
    lastAt: r.last_at === null ? null : new Date(Number(r.last_at)),
  };
}
