/**
 * The oidc-provider adapter: a thin mapper from its contract (upsert, find, findByUserCode,
 * findByUid, consume, destroy, revokeByGrantId) onto one generic table. `Client` is read from the
 * clients table instead (see provider/clients.ts).
 */
import type { Adapter, AdapterPayload } from 'oidc-provider';
import type { Db } from './database.ts';

/**
 * Rows kept readable this long after the artefact expires (oidc-provider checks `exp` itself). An
 * expired device code must still be found: polls then get `expired_token` (RFC 8628 §3.5) instead of
 * `invalid_grant`, and `/device` says "expired" instead of "unknown".
 */
const RETAIN_AFTER_EXPIRY_SECONDS: Readonly<Record<string, number>> = { DeviceCode: 3600 };

export class KyselyOidcAdapter implements Adapter {
  constructor(private readonly db: Db, private readonly model: string) {}

  async upsert(id: string, payload: AdapterPayload, expiresIn: number): Promise<void> {
    const expiresAt = expiresIn ? Date.now() + (expiresIn + (RETAIN_AFTER_EXPIRY_SECONDS[this.model] ?? 0)) * 1000 : null;
    const row = {
      model: this.model,
      id,
      payload: JSON.stringify(payload),
      grant_id: payload.grantId ?? null,
      user_code: payload.userCode ?? null,
      uid: payload.uid ?? null,
      account_id: payload.accountId ?? null,
      client_id: payload.clientId ?? null,
      expires_at: expiresAt,
      consumed_at: null,
    };
    await this.db
      .insertInto('oidc_model')
      .values(row)
      .onConflict((oc) =>
        oc.columns(['model', 'id']).doUpdateSet({
          payload: row.payload,
          grant_id: row.grant_id,
          user_code: row.user_code,
          uid: row.uid,
          account_id: row.account_id,
          client_id: row.client_id,
          expires_at: row.expires_at,
        }),
      )
      .execute();
  }

  async find(id: string): Promise<AdapterPayload | undefined> {
    const r = await this.db.selectFrom('oidc_model').select(['payload', 'expires_at', 'consumed_at']).where('model', '=', this.model).where('id', '=', id).executeTakeFirst();
    return toPayload(r);
  }

  async findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
    const r = await this.db.selectFrom('oidc_model').select(['payload', 'expires_at', 'consumed_at']).where('model', '=', this.model).where('user_code', '=', userCode).executeTakeFirst();
    return toPayload(r);
  }

  async findByUid(uid: string): Promise<AdapterPayload | undefined> {
    const r = await this.db.selectFrom('oidc_model').select(['payload', 'expires_at', 'consumed_at']).where('model', '=', this.model).where('uid', '=', uid).executeTakeFirst();
    return toPayload(r);
  }

  async consume(id: string): Promise<void> {
    await this.db.updateTable('oidc_model').set({ consumed_at: Date.now() }).where('model', '=', this.model).where('id', '=', id).execute();
  }

  async destroy(id: string): Promise<void> {
    await this.db.deleteFrom('oidc_model').where('model', '=', this.model).where('id', '=', id).execute();
  }

  async revokeByGrantId(grantId: string): Promise<void> {
    await this.db.deleteFrom('oidc_model').where('grant_id', '=', grantId).execute();
  }
}

function toPayload(r: { payload: string; expires_at: number | null; consumed_at: number | null } | undefined): AdapterPayload | undefined {
  if (!r) return undefined;
  if (r.expires_at !== null && r.expires_at <= Date.now()) return undefined;
  const payload = JSON.parse(r.payload) as AdapterPayload;
  if (r.consumed_at !== null) payload.consumed = Math.floor(r.consumed_at / 1000);
  return payload;
}
