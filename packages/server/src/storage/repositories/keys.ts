/** SigningKeyRepository and SecretRepository on Kysely. */
import type { Db } from '../database.ts';
import type { SecretRepository, SigningAlg, SigningKey, SigningKeyRepository } from '../../keys/types.ts';

export class KyselySigningKeyRepository implements SigningKeyRepository {
  constructor(private readonly db: Db) {}

  async list(): Promise<SigningKey[]> {
    const rows = await this.db.selectFrom('signing_key').selectAll().orderBy('seq').execute();
    return rows.map((r) => ({
      kid: r.kid,
      seq: r.seq,
      alg: r.alg as SigningKey['alg'],
      publicJwk: JSON.parse(r.public_jwk) as SigningKey['publicJwk'],
      sealedPrivateJwk: r.private_jwk,
      createdAt: new Date(r.created_at),
      retiredAt: r.retired_at === null ? null : new Date(r.retired_at),
    }));
  }

  async insertIfSeqFree(k: SigningKey): Promise<boolean> {
    const r = await this.db
      .insertInto('signing_key')
      .values({
        kid: k.kid,
        seq: k.seq,
        alg: k.alg,
        public_jwk: JSON.stringify(k.publicJwk),
        private_jwk: k.sealedPrivateJwk,
        created_at: k.createdAt.getTime(),
        retired_at: null,
      })
      .onConflict((oc) => oc.column('seq').doNothing())
      .executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  async retireAllBefore(alg: SigningAlg, seq: number, at: Date) {
    await this.db.updateTable('signing_key').set({ retired_at: at.getTime() }).where('alg', '=', alg).where('seq', '<', seq).where('retired_at', 'is', null).execute();
  }

  async replaceSealed(kid: string, expected: string, sealed: string) {
    const r = await this.db.updateTable('signing_key').set({ private_jwk: sealed }).where('kid', '=', kid).where('private_jwk', '=', expected).executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  async deleteRetiredBefore(at: Date) {
    const r = await this.db.deleteFrom('signing_key').where('retired_at', '<', at.getTime()).executeTakeFirst();
    return Number(r.numDeletedRows);
  }
}

export class KyselySecretRepository implements SecretRepository {
  constructor(private readonly db: Db) {}

  async get(name: string) {
    return (await this.db.selectFrom('secret').select('value').where('name', '=', name).executeTakeFirst())?.value;
  }

  async putIfAbsent(name: string, value: string) {
    await this.db.insertInto('secret').values({ name, value, created_at: Date.now() }).onConflict((oc) => oc.column('name').doNothing()).execute();
    return (await this.get(name))!;
  }

  async replace(name: string, expected: string, value: string) {
    const r = await this.db.updateTable('secret').set({ value }).where('name', '=', name).where('value', '=', expected).executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }
}
