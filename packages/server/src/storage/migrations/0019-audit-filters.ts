/**
 * Indexes for the audit log's filters by client and by account, newest first (the management
 * API's `GET /audit?client_id=` and `?account_id=`, a user's recent events in the console): each
 * is an ordered scan of one index instead of a walk over the whole log. Portable SQL.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('audit_event_client_id').on('audit_event').columns(['client_id', 'id']).execute();
  await db.schema.createIndex('audit_event_account_id').on('audit_event').columns(['account_id', 'id']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('audit_event_account_id').execute();
  await db.schema.dropIndex('audit_event_client_id').execute();
}
