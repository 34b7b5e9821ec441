/** PasswordLinkRepository on Kysely. */
import type { Selectable } from 'kysely';
import type { Db } from '../database.ts';
import type { PasswordLinkTable } from '../schema.ts';
import type { PasswordLink, PasswordLinkRepository } from '../../accounts/password-links.ts';

const toLink = (r: Selectable<PasswordLinkTable>): PasswordLink => ({
  id: r.id,
  accountId: r.account_id,
  tokenHash: r.token_hash,
  createdAt: new Date(Number(r.created_at)),
  expiresAt: new Date(Number(r.expires_at)),
  usedAt: r.used_at === null ? null : new Date(Number(r.used_at)),
});

/** Thrown inside a transaction to roll it back. */
class RolledBack extends Error {}

export class KyselyPasswordLinkRepository implements PasswordLinkRepository {
  constructor(private readonly db: Db) {}

  async replace(link: Omit<PasswordLink, 'usedAt'>): Promise<PasswordLink> {
    const at = link.createdAt.getTime();
    await this.db.transaction().execute(async (trx) => {
      await trx.updateTable('password_link').set({ expires_at: at }).where('account_id', '=', link.accountId).where('used_at', 'is', null).where('expires_at', '>', at).execute();
      await trx
        .insertInto('password_link')
        .values({ id: link.id, account_id: link.accountId, token_hash: link.tokenHash, created_at: at, expires_at: link.expiresAt.getTime(), used_at: null })
        .execute();
    });
    return { ...link, usedAt: null };
  }

  async findByTokenHash(tokenHash: string): Promise<PasswordLink | undefined> {
    const r = await this.db.selectFrom('password_link').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
    return r && toLink(r);
  }

  /** The conditional UPDATE comes first: the database re-checks `used_at` and `expires_at` on the row it locks. */
  async consume(link: Pick<PasswordLink, 'id' | 'accountId'>, passwordHash: string, at: Date): Promise<boolean> {
    const now = at.getTime();
    try {
      await this.db.transaction().execute(async (trx) => {
        const used = await trx.updateTable('password_link').set({ used_at: now }).where('id', '=', link.id).where('used_at', 'is', null).where('expires_at', '>', now).executeTakeFirst();
        if (Number(used.numUpdatedRows) !== 1) throw new RolledBack();
        const set = await trx.updateTable('account').set({ password_hash: passwordHash, updated_at: now }).where('id', '=', link.accountId).where('disabled', '=', 0).executeTakeFirst();
        if (Number(set.numUpdatedRows) !== 1) throw new RolledBack();
      });
      return true;
    } catch (err) {
      if (err instanceof RolledBack) return false;
      throw err;
    }
  }
}
