/**
 * Indexes for the audit log's filters, read newest first by id (the management API's `GET /audit`
 * and its exports, a user's recent events in the console):
 * - by type: `(type, id)` instead of `(type, at)`, so a page of one type is an ordered walk of the
 *   index (SQLite otherwise fetched every row of the type and sorted them: a page of `token.issued`
 *   cost time in proportion to the whole log);
 * - by client and by account: `(client_id, id)` and `(account_id, id)`, holding only the rows that
 *   have the column (equality lookups imply `IS NOT NULL` on both backends, and a client-credentials
 *   token's row costs no account entry);
 * - by time: `last_at` of the rows that count repeated events (few), so that with `at` PostgreSQL
 *   finds the rows of `since` (`at >= ? OR last_at >= ?`) from two indexes instead of a scan.
 * The number of index entries an ordinary event writes stays what it was plus the client's and
 * account's. Portable SQL only.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('audit_event_type').execute();
  await db.schema.createIndex('audit_event_type').on('audit_event').columns(['type', 'id']).execute();
  await db.schema.createIndex('audit_event_client_id').on('audit_event').columns(['client_id', 'id']).where(sql.ref('client_id'), 'is not', null).execute();
  await db.schema.createIndex('audit_event_account_id').on('audit_event').columns(['account_id', 'id']).where(sql.ref('account_id'), 'is not', null).execute();
  await db.schema.createIndex('audit_event_last_at').on('audit_event').column('last_at').where(sql.ref('last_at'), 'is not', null).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('audit_event_last_at').execute();
  await db.schema.dropIndex('audit_event_account_id').execute();
  await db.schema.dropIndex('audit_event_client_id').execute();
  await db.schema.dropIndex('audit_event_type').execute();
  await db.schema.createIndex('audit_event_type').on('audit_event').columns(['type', 'at']).execute();
}
