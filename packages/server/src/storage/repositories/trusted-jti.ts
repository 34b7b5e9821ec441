/**
 * TrustedJtiRepository on Kysely: one atomic statement decides, across every process and
 * instance, which request uses a trusted-grant JWT. The primary key (issuer, jti) makes a
 * concurrent second INSERT a conflict; the affected-row count tells the caller which one won.
 * The statement is compiled once and written through the database's group commit (one per trusted
 * grant request: the token endpoint's hot path).
 */
import type { Db } from '../database.ts';
import { PreparedQuery } from '../prepared-query.ts';
import { groupCommit, type GroupCommit } from '../group-commit.ts';
import type { TrustedJtiRepository } from '../../grants/trusted/jti-repository.ts';

export class KyselyTrustedJtiRepository implements TrustedJtiRepository {
  readonly #run: GroupCommit;
  readonly #record: PreparedQuery<'issuer' | 'jti' | 'expires_at' | 'now'>;

  constructor(db: Db) {
    this.#run = groupCommit(db);
    this.#record = new PreparedQuery(['issuer', 'jti', 'expires_at', 'now'], (p) =>
      db
        .insertInto('trusted_jti')
        .values({ issuer: p.issuer, jti: p.jti, expires_at: p.expires_at as unknown as number })
        // A record whose JWT has already expired (not yet swept) no longer protects anything: the
        // same jti may be used again. A live record is left untouched, and 0 rows are affected.
        .onConflict((oc) =>
          oc
            .columns(['issuer', 'jti'])
            .doUpdateSet({ expires_at: (eb) => eb.ref('excluded.expires_at') })
            .where('trusted_jti.expires_at', '<=', p.now as unknown as number),
        ),
    );
  }

  async recordOnce(issuer: string, jti: string, expiresAt: Date, now: Date = new Date()): Promise<boolean> {
    const r = await this.#run.write(this.#record.bind({ issuer, jti, expires_at: expiresAt.getTime(), now: now.getTime() }));
    return Number(r.numAffectedRows ?? 0) > 0;
  }
}
