/**
 * TrustedJtiRepository on Kysely: one atomic statement decides, across every process and
 * instance, which request uses a trusted-grant JWT. The primary key (issuer, jti) makes a
 * concurrent second INSERT a conflict; the affected-row count tells the caller which one won.
 */
import type { Db } from '../database.ts';
import type { TrustedJtiRepository } from '../../grants/trusted/jti-repository.ts';

export class KyselyTrustedJtiRepository implements TrustedJtiRepository {
  constructor(private readonly db: Db) {}

  async recordOnce(issuer: string, jti: string, expiresAt: Date, now: Date = new Date()): Promise<boolean> {
    const r = await this.db
      .insertInto('trusted_jti')
      .values({ issuer, jti, expires_at: expiresAt.getTime() })
      // A record whose JWT has already expired (not yet swept) no longer protects anything: the
      // same jti may be used again. A live record is left untouched, and 0 rows are affected.
      .onConflict((oc) =>
        oc
          .columns(['issuer', 'jti'])
          .doUpdateSet({ expires_at: (eb) => eb.ref('excluded.expires_at') })
          .where('trusted_jti.expires_at', '<=', now.getTime()),
      )
      .executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
  }
}
