/**
 * oidc_model's lookup indexes hold only rows that have the column: each is used by equality lookups
 * alone (`user_code = ?`, `uid = ?`, `grant_id = ?`, `account_id = ?`, `client_id = ?`), which
 * imply `IS NOT NULL` on both backends, so the planners still choose them. Most rows lack most of
 * these columns (no token has a user code or uid; client-credentials tokens have no grant or
 * account), and each index entry a write does not need to make is one b-tree page less to change
 * per issued token. Portable SQL only.
 */
import { sql, type Kysely } from 'kysely';

const PARTIAL: ReadonlyArray<{ name: string; columns: string[]; column: string }> = [
  { name: 'oidc_model_grant_id', columns: ['grant_id'], column: 'grant_id' },
  { name: 'oidc_model_user_code', columns: ['model', 'user_code'], column: 'user_code' },
  { name: 'oidc_model_uid', columns: ['model', 'uid'], column: 'uid' },
  { name: 'oidc_model_account_id', columns: ['account_id'], column: 'account_id' },
  { name: 'oidc_model_client_id', columns: ['client_id'], column: 'client_id' },
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const { name, columns, column } of PARTIAL) {
    await db.schema.dropIndex(name).execute();
    await db.schema.createIndex(name).on('oidc_model').columns(columns).where(sql.ref(column), 'is not', null).execute();
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const { name, columns } of PARTIAL) {
    await db.schema.dropIndex(name).execute();
    await db.schema.createIndex(name).on('oidc_model').columns(columns).execute();
  }
}
