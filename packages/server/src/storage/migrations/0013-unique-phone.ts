/**
 * One account per phone number: a unique index on `account.phone`, created when the database
 * holds no shared phone. Where it does, the migration does not fail: the server reports the
 * duplicates at every start and creates the index once they are resolved (storage/phone-uniqueness.ts).
 */
import type { Kysely } from 'kysely';
import type { Db } from '../db.ts';
import { ensureUniquePhones, PHONE_INDEX } from '../phone-uniqueness.ts';

export async function up(db: Kysely<unknown>): Promise<void> {
  await ensureUniquePhones(db as unknown as Db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex(PHONE_INDEX).ifExists().execute();
}
