/**
 * Phone numbers are unique among accounts (in their normal form, 10 digits): a person signs in
 * with theirs, and a partner links users by it. A unique index enforces it. A database that
 * already holds two accounts with one phone cannot get that index: then the duplicates are
 * reported (by login) instead, every start reports them again and tries once more, and the
 * services still refuse any new duplicate. An operator resolves them with
 * `propusk admin user set-phone <login> --phone <10 digits> | --clear`.
 */
import { sql } from 'kysely';
import type { Db } from './db.ts';

export const PHONE_INDEX = 'account_phone_unique';

export interface DuplicatePhone {
  phone: string;
  logins: string[];
}

/** Creates the unique index when no phone is shared; returns the shared phones otherwise. */
export async function ensureUniquePhones(db: Db): Promise<DuplicatePhone[]> {
  const shared = await db
    .selectFrom('account')
    .select(['phone', sql<number>`count(*)`.as('n')])
    .where('phone', 'is not', null)
    .groupBy('phone')
    .having(sql`count(*)`, '>', 1)
    .execute();
  if (shared.length === 0) {
    await db.schema.createIndex(PHONE_INDEX).ifNotExists().unique().on('account').column('phone').execute();
    return [];
  }
  const duplicates: DuplicatePhone[] = [];
  for (const { phone } of shared) {
    if (phone === null) continue;
    const rows = await db.selectFrom('account').select('login').where('phone', '=', phone).orderBy('login').execute();
    duplicates.push({ phone, logins: rows.map((r) => r.login) });
  }
  return duplicates;
}

/** One line per shared phone, with the number masked but for its last four digits. */
export function describeDuplicatePhones(duplicates: DuplicatePhone[]): string[] {
  return duplicates.map((d) => `phone ******${d.phone.slice(-4)} is shared by ${d.logins.join(', ')}`);
}
