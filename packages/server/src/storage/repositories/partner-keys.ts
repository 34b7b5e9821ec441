/** PartnerKeyRepository on Kysely. */
import type { Selectable } from 'kysely';
import type { JWK } from 'jose';
import type { Db } from '../database.ts';
import type { PartnerKeyTable } from '../schema.ts';
import type { PartnerKey, PartnerKeyRepository, PartnerKeySource } from '../../partners/types.ts';

const toPartnerKey = (r: Selectable<PartnerKeyTable>): PartnerKey => {
  const key: PartnerKey = {
    id: r.id,
    clientId: r.client_id,
    kid: r.kid,
    publicJwk: JSON.parse(r.public_jwk) as JWK,
    source: r.source as PartnerKeySource,
    createdAt: new Date(r.created_at),
  };
  if (r.x5t !== null) key.x5t = r.x5t;
  if (r.x5t_s256 !== null) key.x5tS256 = r.x5t_s256;
  if (r.not_before !== null) key.notBefore = new Date(r.not_before);
  if (r.not_after !== null) key.notAfter = new Date(r.not_after);
  return key;
};

export class KyselyPartnerKeyRepository implements PartnerKeyRepository {
  constructor(private readonly db: Db) {}

  async add(k: PartnerKey): Promise<void> {
    await this.db
      .insertInto('partner_key')
      .values({
        id: k.id,
        client_id: k.clientId,
        kid: k.kid,
        x5t: k.x5t ?? null,
        x5t_s256: k.x5tS256 ?? null,
        public_jwk: JSON.stringify(k.publicJwk),
        source: k.source,
        not_before: k.notBefore?.getTime() ?? null,
        not_after: k.notAfter?.getTime() ?? null,
        created_at: k.createdAt.getTime(),
      })
      .execute();
  }

  async listByClient(clientId: string): Promise<PartnerKey[]> {
    const rows = await this.db.selectFrom('partner_key').selectAll().where('client_id', '=', clientId).orderBy('created_at').orderBy('id').execute();
    return rows.map(toPartnerKey);
  }

  async remove(clientId: string, id: string): Promise<boolean> {
    const r = await this.db.deleteFrom('partner_key').where('client_id', '=', clientId).where('id', '=', id).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }
}
