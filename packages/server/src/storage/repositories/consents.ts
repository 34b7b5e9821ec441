/** ConsentRepository on Kysely: one row per account and client (migration 0007). */
import type { Selectable } from 'kysely';
import type { Db } from '../database.ts';
import type { ConsentTable } from '../schema.ts';
import { PreparedQuery } from '../prepared-query.ts';
import { groupCommit } from '../group-commit.ts';
import type { ConsentRepository, RememberedConsent } from '../../accounts/consents.ts';

interface StoredGranted {
  openid?: { scope?: string; claims?: string[] };
  resources?: Record<string, string>;
}

const words = (s: string | undefined): string[] => (s ?? '').split(' ').filter(Boolean);

function toConsent(r: Selectable<ConsentTable>): RememberedConsent {
  const g = JSON.parse(r.granted) as StoredGranted;
  return {
    accountId: r.account_id,
    clientId: r.client_id,
    oidcScope: words(g.openid?.scope),
    oidcClaims: Array.isArray(g.openid?.claims) ? g.openid.claims.filter((c): c is string => typeof c === 'string') : [],
    resourceScopes: Object.fromEntries(Object.entries(g.resources ?? {}).map(([indicator, scope]) => [indicator, words(scope)])),
    grantedAt: new Date(Number(r.granted_at)),
    updatedAt: new Date(Number(r.updated_at)),
  };
}

function granted(c: RememberedConsent): string {
  const stored: StoredGranted = {
    openid: { scope: c.oidcScope.join(' '), claims: c.oidcClaims },
    resources: Object.fromEntries(Object.entries(c.resourceScopes).map(([indicator, scopes]) => [indicator, scopes.join(' ')])),
  };
  return JSON.stringify(stored);
}

export class KyselyConsentRepository implements ConsentRepository {
  /** Read when a signed-in account's browser session has no grant for the client yet (every sign-in). */
  readonly #find: PreparedQuery<'account_id' | 'client_id'>;

  constructor(private readonly db: Db) {
    this.#find = new PreparedQuery(['account_id', 'client_id'], (p) =>
      db.selectFrom('consent').selectAll().where('account_id', '=', p.account_id).where('client_id', '=', p.client_id),
    );
  }

  async find(accountId: string, clientId: string): Promise<RememberedConsent | undefined> {
    const [r] = (await groupCommit(this.db).read<Selectable<ConsentTable>>(this.#find.bind({ account_id: accountId, client_id: clientId }))).rows;
    return r && toConsent(r);
  }

  async save(c: RememberedConsent): Promise<void> {
    const row = { account_id: c.accountId, client_id: c.clientId, granted: granted(c), granted_at: c.grantedAt.getTime(), updated_at: c.updatedAt.getTime() };
    await this.db
      .insertInto('consent')
      .values(row)
      .onConflict((oc) => oc.columns(['account_id', 'client_id']).doUpdateSet({ granted: row.granted, updated_at: row.updated_at }))
      .execute();
  }

  async forget(accountId: string, clientId: string): Promise<boolean> {
    const r = await this.db.deleteFrom('consent').where('account_id', '=', accountId).where('client_id', '=', clientId).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  async forgetClient(clientId: string): Promise<number> {
    const r = await this.db.deleteFrom('consent').where('client_id', '=', clientId).executeTakeFirst();
    return Number(r.numDeletedRows);
  }

  async listOfAccount(accountId: string): Promise<RememberedConsent[]> {
    const rows = await this.db.selectFrom('consent').selectAll().where('account_id', '=', accountId).orderBy('updated_at', 'desc').execute();
    return rows.map(toConsent);
  }
}
