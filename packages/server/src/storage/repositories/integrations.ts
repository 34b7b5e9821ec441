/** InvitationRepository and ClientOwnerRepository on Kysely. */
import type { Selectable } from 'kysely';
import type { Db } from '../database.ts';
import type { ClientOwnerTable, InvitationTable } from '../schema.ts';
import type { ClientOwner, ClientOwnerRepository, Invitation, InvitationRepository } from '../../integrations/types.ts';

const toInvitation = (r: Selectable<InvitationTable>): Invitation => ({
  id: r.id,
  clientId: r.client_id,
  tokenHash: r.token_hash,
  email: r.email,
  allowSignup: Boolean(r.allow_signup),
  createdBy: r.created_by,
  createdAt: new Date(Number(r.created_at)),
  expiresAt: new Date(Number(r.expires_at)),
  usedAt: r.used_at === null ? null : new Date(Number(r.used_at)),
  usedBy: r.used_by,
});

const toOwner = (r: Selectable<ClientOwnerTable>): ClientOwner => ({
  clientId: r.client_id,
  accountId: r.account_id,
  invitationId: r.invitation_id,
  addedAt: new Date(Number(r.added_at)),
});

export class KyselyInvitationRepository implements InvitationRepository {
  constructor(private readonly db: Db) {}

  async create(i: Omit<Invitation, 'usedAt' | 'usedBy'>): Promise<Invitation> {
    await this.db
      .insertInto('invitation')
      .values({
        id: i.id,
        client_id: i.clientId,
        token_hash: i.tokenHash,
        email: i.email,
        allow_signup: i.allowSignup ? 1 : 0,
        created_by: i.createdBy,
        created_at: i.createdAt.getTime(),
        expires_at: i.expiresAt.getTime(),
        used_at: null,
        used_by: null,
      })
      .execute();
    return { ...i, usedAt: null, usedBy: null };
  }

  async findByTokenHash(tokenHash: string): Promise<Invitation | undefined> {
    const r = await this.db.selectFrom('invitation').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
    return r && toInvitation(r);
  }

  /** One conditional UPDATE: the database re-checks `used_at` and `expires_at` on the row it locks. */
  async consume(id: string, accountId: string, at: Date): Promise<boolean> {
    const r = await this.db
      .updateTable('invitation')
      .set({ used_at: at.getTime(), used_by: accountId })
      .where('id', '=', id)
      .where('used_at', 'is', null)
      .where('expires_at', '>', at.getTime())
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }
}

export class KyselyClientOwnerRepository implements ClientOwnerRepository {
  constructor(private readonly db: Db) {}

  async add(o: ClientOwner): Promise<void> {
    await this.db
      .insertInto('client_owner')
      .values({ client_id: o.clientId, account_id: o.accountId, invitation_id: o.invitationId, added_at: o.addedAt.getTime() })
      .onConflict((oc) => oc.columns(['client_id', 'account_id']).doNothing())
      .execute();
  }

  async isOwner(clientId: string, accountId: string): Promise<boolean> {
    const r = await this.db.selectFrom('client_owner').select('client_id').where('client_id', '=', clientId).where('account_id', '=', accountId).executeTakeFirst();
    return r !== undefined;
  }

  async clientIdsOf(accountId: string): Promise<string[]> {
    const rows = await this.db.selectFrom('client_owner').select('client_id').where('account_id', '=', accountId).orderBy('client_id').execute();
    return rows.map((r) => r.client_id);
  }

  async ownersOf(clientId: string): Promise<ClientOwner[]> {
    return (await this.db.selectFrom('client_owner').selectAll().where('client_id', '=', clientId).orderBy('added_at').execute()).map(toOwner);
  }
}
