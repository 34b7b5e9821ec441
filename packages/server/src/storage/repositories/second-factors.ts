/** SecondFactorRepository on Kysely: authenticator apps, passkeys and recovery codes (migration 0020). */
import type { Selectable } from 'kysely';
import type { Db } from '../database.ts';
import type { AccountPasskeyTable, AccountTotpTable } from '../schema.ts';
import type { FactorSummary, Passkey, SecondFactorRepository, TotpRecord } from '../../mfa/types.ts';

const date = (v: number | string | null): Date | null => (v === null ? null : new Date(Number(v)));

const toTotp = (r: Selectable<AccountTotpTable>): TotpRecord => ({
  accountId: r.account_id,
  sealedSecret: r.secret,
  createdAt: new Date(Number(r.created_at)),
  confirmedAt: date(r.confirmed_at),
  lastStep: r.last_step === null ? null : Number(r.last_step),
  lastUsedAt: date(r.last_used_at),
});

const toPasskey = (r: Selectable<AccountPasskeyTable>): Passkey => ({
  id: r.id,
  accountId: r.account_id,
  credentialId: r.credential_id,
  publicKey: r.public_key,
  counter: Number(r.counter),
  transports: JSON.parse(r.transports) as string[],
  deviceType: r.device_type === 'multiDevice' ? 'multiDevice' : 'singleDevice',
  backedUp: Boolean(r.backed_up),
  name: r.name,
  createdAt: new Date(Number(r.created_at)),
  lastUsedAt: date(r.last_used_at),
});

const EMPTY: FactorSummary = { totp: false, passkeys: 0, recoveryCodes: 0 };

export class KyselySecondFactorRepository implements SecondFactorRepository {
  constructor(private readonly db: Db) {}

  async summary(accountId: string): Promise<FactorSummary> {
    return (await this.summaries([accountId])).get(accountId) ?? { ...EMPTY };
  }

  async summaries(accountIds: readonly string[]): Promise<Map<string, FactorSummary>> {
    const result = new Map<string, FactorSummary>();
    if (accountIds.length === 0) return result;
    const ids = [...new Set(accountIds)];
    const entry = (id: string) => {
      let s = result.get(id);
      if (!s) result.set(id, (s = { ...EMPTY }));
      return s;
    };
    const [totp, passkeys, codes] = await Promise.all([
      this.db.selectFrom('account_totp').select('account_id').where('account_id', 'in', ids).where('confirmed_at', 'is not', null).execute(),
      this.db.selectFrom('account_passkey').select(['account_id', (eb) => eb.fn.countAll<number | string>().as('n')]).where('account_id', 'in', ids).groupBy('account_id').execute(),
      this.db
        .selectFrom('account_recovery_code')
        .select(['account_id', (eb) => eb.fn.countAll<number | string>().as('n')])
        .where('account_id', 'in', ids)
        .where('used_at', 'is', null)
        .groupBy('account_id')
        .execute(),
    ]);
    for (const r of totp) entry(r.account_id).totp = true;
    for (const r of passkeys) entry(r.account_id).passkeys = Number(r.n);
    for (const r of codes) entry(r.account_id).recoveryCodes = Number(r.n);
    return result;
  }

  async findTotp(accountId: string): Promise<TotpRecord | undefined> {
    const r = await this.db.selectFrom('account_totp').selectAll().where('account_id', '=', accountId).executeTakeFirst();
    return r && toTotp(r);
  }

  async putPendingTotp(accountId: string, sealedSecret: string, at: Date): Promise<TotpRecord> {
    await this.db
      .insertInto('account_totp')
      .values({ account_id: accountId, secret: sealedSecret, created_at: at.getTime(), confirmed_at: null, last_step: null, last_used_at: null })
      .onConflict((oc) => oc.column('account_id').doNothing())
      .execute();
    return (await this.findTotp(accountId))!;
  }

  async confirmTotp(accountId: string, step: number, at: Date): Promise<boolean> {
    const r = await this.db
      .updateTable('account_totp')
      .set({ confirmed_at: at.getTime(), last_step: step, last_used_at: at.getTime() })
      .where('account_id', '=', accountId)
      .where('confirmed_at', 'is', null)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  async useTotpStep(accountId: string, step: number, at: Date): Promise<boolean> {
    const r = await this.db
      .updateTable('account_totp')
      .set({ last_step: step, last_used_at: at.getTime() })
      .where('account_id', '=', accountId)
      .where('confirmed_at', 'is not', null)
      .where((eb) => eb.or([eb('last_step', 'is', null), eb('last_step', '<', step)]))
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  async deleteTotp(accountId: string): Promise<boolean> {
    const r = await this.db.deleteFrom('account_totp').where('account_id', '=', accountId).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  async listPasskeys(accountId: string): Promise<Passkey[]> {
    const rows = await this.db.selectFrom('account_passkey').selectAll().where('account_id', '=', accountId).orderBy('created_at').orderBy('id').execute();
    return rows.map(toPasskey);
  }

  async findPasskeyByCredentialId(credentialId: string): Promise<Passkey | undefined> {
    const r = await this.db.selectFrom('account_passkey').selectAll().where('credential_id', '=', credentialId).executeTakeFirst();
    return r && toPasskey(r);
  }

  async addPasskey(p: Passkey): Promise<void> {
    await this.db
      .insertInto('account_passkey')
      .values({
        id: p.id,
        account_id: p.accountId,
        credential_id: p.credentialId,
        public_key: p.publicKey,
        counter: p.counter,
        transports: JSON.stringify(p.transports),
        device_type: p.deviceType,
        backed_up: p.backedUp ? 1 : 0,
        name: p.name,
        created_at: p.createdAt.getTime(),
        last_used_at: null,
      })
      .execute();
  }

  async usePasskey(id: string, counter: number, at: Date): Promise<void> {
    await this.db.updateTable('account_passkey').set({ counter, last_used_at: at.getTime() }).where('id', '=', id).execute();
  }

  async renamePasskey(accountId: string, id: string, name: string): Promise<boolean> {
    const r = await this.db.updateTable('account_passkey').set({ name }).where('id', '=', id).where('account_id', '=', accountId).executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  async deletePasskey(accountId: string, id: string): Promise<boolean> {
    const r = await this.db.deleteFrom('account_passkey').where('id', '=', id).where('account_id', '=', accountId).executeTakeFirst();
    return Number(r.numDeletedRows) === 1;
  }

  async replaceRecoveryCodes(accountId: string, hashes: readonly string[], at: Date): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('account_recovery_code').where('account_id', '=', accountId).execute();
      if (hashes.length > 0) {
        await trx
          .insertInto('account_recovery_code')
          .values(hashes.map((code_hash) => ({ account_id: accountId, code_hash, created_at: at.getTime(), used_at: null })))
          .execute();
      }
    });
  }

  async useRecoveryCode(accountId: string, hash: string, at: Date): Promise<boolean> {
    const r = await this.db
      .updateTable('account_recovery_code')
      .set({ used_at: at.getTime() })
      .where('account_id', '=', accountId)
      .where('code_hash', '=', hash)
      .where('used_at', 'is', null)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  async deleteAll(accountId: string): Promise<number> {
    return this.db.transaction().execute(async (trx) => {
      const a = await trx.deleteFrom('account_totp').where('account_id', '=', accountId).where('confirmed_at', 'is not', null).executeTakeFirst();
      await trx.deleteFrom('account_totp').where('account_id', '=', accountId).execute();
      const b = await trx.deleteFrom('account_passkey').where('account_id', '=', accountId).executeTakeFirst();
      await trx.deleteFrom('account_recovery_code').where('account_id', '=', accountId).execute();
      return Number(a.numDeletedRows) + Number(b.numDeletedRows);
    });
  }
}
