/** AccountRepository on Kysely. */
import type { Selectable } from 'kysely';
import type { Db } from '../database.ts';
import { PreparedQuery } from '../prepared-query.ts';
import { groupCommit } from '../group-commit.ts';
import type { AccountTable } from '../schema.ts';
import { sql, type Expression, type SqlBool } from 'kysely';
import type { Account, AccountQuery, AccountRepository, NewAccount } from '../../accounts/types.ts';
import { isSqlite } from '../dialect.ts';

const toAccount = (r: Selectable<AccountTable>): Account => ({
  id: r.id,
  login: r.login,
  email: r.email,
  emailVerified: Boolean(r.email_verified),
  phone: r.phone,
  givenName: r.given_name,
  familyName: r.family_name,
  middleName: r.middle_name,
  passwordHash: r.password_hash,
  disabled: Boolean(r.disabled),
  createdAt: new Date(r.created_at),
  updatedAt: new Date(r.updated_at),
});

export class KyselyAccountRepository implements AccountRepository {
  /** By id: every token request on behalf of a user reads the account (claims, disabled check). */
  readonly #byId: PreparedQuery<'id'>;

  constructor(private readonly db: Db) {
    this.#byId = new PreparedQuery(['id'], (p) => db.selectFrom('account').selectAll().where('id', '=', p.id));
  }

  async create(a: NewAccount): Promise<Account> {
    const now = Date.now();
    await this.db
      .insertInto('account')
      .values({
        id: a.id,
        login: a.login,
        email: a.email,
        email_verified: a.emailVerified ? 1 : 0,
        phone: a.phone,
        given_name: a.givenName,
        family_name: a.familyName,
        middle_name: a.middleName,
        password_hash: a.passwordHash,
        disabled: a.disabled ? 1 : 0,
        created_at: now,
        updated_at: now,
      })
      .execute();
    return { ...a, createdAt: new Date(now), updatedAt: new Date(now) };
  }

  async findById(id: string) {
    const [r] = (await groupCommit(this.db).read<Selectable<AccountTable>>(this.#byId.bind({ id }))).rows;
    return r && toAccount(r);
  }

  async findByLogin(login: string) {
    const r = await this.db.selectFrom('account').selectAll().where('login', '=', login).executeTakeFirst();
    return r && toAccount(r);
  }

  async findByPhone(phone: string) {
    return (await this.db.selectFrom('account').selectAll().where('phone', '=', phone).execute()).map(toAccount);
  }

  async list(options: { limit?: number; offset?: number } = {}) {
    const rows = await this.db.selectFrom('account').selectAll().orderBy('created_at').orderBy('id').limit(options.limit ?? 1000).offset(options.offset ?? 0).execute();
    return rows.map(toAccount);
  }

  async search(options: { query?: AccountQuery | undefined; afterLogin?: string | undefined; limit: number }) {
    let q = this.db.selectFrom('account').selectAll();
    const query = options.query;
    if (query) {
      // `like` with our own escape character, on both databases. PostgreSQL compares lower-cased
      // text (Unicode-aware); SQLite's lower() and like fold ASCII only, so the text is also tried
      // lower-cased, capitalised and upper-cased (Cyrillic names as people type them).
      const escaped = query.text.replace(/[\\%_]/g, (c) => `\\${c}`);
      const sqlite = isSqlite(this.db);
      const variants = sqlite ? [...new Set([escaped, escaped.toLowerCase(), escaped.toUpperCase(), escaped.charAt(0).toUpperCase() + escaped.slice(1).toLowerCase()])] : [escaped.toLowerCase()];
      const columns = ['login', 'given_name', 'family_name', 'middle_name'] as const;
      q = q.where((eb) => {
        const any: Expression<SqlBool>[] = [eb('id', '=', query.id)];
        for (const column of columns) {
          for (const v of variants) {
            any.push(sqlite ? sql<SqlBool>`${sql.ref(column)} like ${`%${v}%`} escape '\\'` : sql<SqlBool>`lower(${sql.ref(column)}) like ${`%${v}%`} escape '\\'`);
          }
        }
        if (query.phoneDigits) any.push(eb('phone', 'like', `%${query.phoneDigits}%`));
        return eb.or(any);
      });
    }
    if (options.afterLogin !== undefined) q = q.where('login', '>', options.afterLogin);
    const rows = await q.orderBy('login').limit(options.limit).execute();
    return rows.map(toAccount);
  }

  async update(id: string, c: Parameters<AccountRepository['update']>[1]) {
    const values: Partial<AccountTable> = { updated_at: Date.now() };
    if (c.passwordHash !== undefined) values.password_hash = c.passwordHash;
    if (c.disabled !== undefined) values.disabled = c.disabled ? 1 : 0;
    if (c.email !== undefined) values.email = c.email;
    if (c.emailVerified !== undefined) values.email_verified = c.emailVerified ? 1 : 0;
    if (c.phone !== undefined) values.phone = c.phone;
    if (c.givenName !== undefined) values.given_name = c.givenName;
    if (c.familyName !== undefined) values.family_name = c.familyName;
    if (c.middleName !== undefined) values.middle_name = c.middleName;
    await this.db.updateTable('account').set(values).where('id', '=', id).execute();
    return this.findById(id);
  }
}
