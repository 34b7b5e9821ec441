/**
 * The oidc-provider adapter: a thin mapper from its contract (upsert, find, findByUserCode,
 * findByUid, consume, destroy, revokeByGrantId) onto one generic table. `Client` is read from the
 * clients table instead (see provider/clients.ts). The statements are compiled once per database
 * and written with group commit: issuing and reading tokens is the provider's hot path.
 */
import { errors, type Adapter, type AdapterPayload } from 'oidc-provider';
import type { QueryResult } from 'kysely';
import type { Db } from './database.ts';
import { PreparedQuery } from './prepared-query.ts';
import { groupCommit, type GroupCommit } from './group-commit.ts';

/**
 * Rows kept readable this long after the artefact expires (oidc-provider checks `exp` itself). An
 * expired device code must still be found: polls then get `expired_token` (RFC 8628 §3.5) instead of
 * `invalid_grant`, and `/device` says "expired" instead of "unknown".
 */
const RETAIN_AFTER_EXPIRY_SECONDS: Readonly<Record<string, number>> = { DeviceCode: 3600 };

/** Names of single-use artefacts in error descriptions. */
const SINGLE_USE_LABELS: Readonly<Record<string, string>> = { AuthorizationCode: 'authorization code', DeviceCode: 'device code', RefreshToken: 'refresh token' };

type Row = { payload: string; expires_at: number | null; consumed_at: number | null };
type TokenRow = Row & { model: string };

/**
 * The token models oidc-provider looks up together: introspection and revocation call `find` on
 * all three with the same value at once (helpers/token_find.js), and a value is one of them at most.
 */
const TOKEN_MODELS: ReadonlySet<string> = new Set(['AccessToken', 'ClientCredentials', 'RefreshToken']);

/**
 * The adapter's statements, built and compiled once per database (prepared-query.ts), written
 * through the database's group commit (group-commit.ts).
 */
class Statements {
  readonly run: GroupCommit;
  readonly upsert: PreparedQuery<'model' | 'id' | 'payload' | 'grant_id' | 'user_code' | 'uid' | 'account_id' | 'client_id' | 'expires_at'>;
  readonly find: PreparedQuery<'model' | 'id'>;
  readonly findToken: PreparedQuery<'id'>;
  readonly findByUserCode: PreparedQuery<'model' | 'user_code'>;
  readonly findByUid: PreparedQuery<'model' | 'uid'>;
  readonly consume: PreparedQuery<'model' | 'id' | 'now'>;
  readonly destroy: PreparedQuery<'model' | 'id'>;
  readonly revokeByGrantId: PreparedQuery<'grant_id'>;

  constructor(db: Db) {
    this.run = groupCommit(db);
    this.upsert = new PreparedQuery(['model', 'id', 'payload', 'grant_id', 'user_code', 'uid', 'account_id', 'client_id', 'expires_at'], (p) =>
      db
        .insertInto('oidc_model')
        .values({
          model: p.model,
          id: p.id,
          payload: p.payload,
          grant_id: p.grant_id,
          user_code: p.user_code,
          uid: p.uid,
          account_id: p.account_id,
          client_id: p.client_id,
          expires_at: p.expires_at as unknown as number,
          consumed_at: null,
        })
        // On conflict every column but the key and consumed_at takes the inserted row's value.
        .onConflict((oc) =>
          oc.columns(['model', 'id']).doUpdateSet((eb) => ({
            payload: eb.ref('excluded.payload'),
            grant_id: eb.ref('excluded.grant_id'),
            user_code: eb.ref('excluded.user_code'),
            uid: eb.ref('excluded.uid'),
            account_id: eb.ref('excluded.account_id'),
            client_id: eb.ref('excluded.client_id'),
            expires_at: eb.ref('excluded.expires_at'),
          })),
        ),
    );
    const select = () => db.selectFrom('oidc_model').select(['payload', 'expires_at', 'consumed_at']);
    this.find = new PreparedQuery(['model', 'id'], (p) => select().where('model', '=', p.model).where('id', '=', p.id));
    this.findToken = new PreparedQuery(['id'], (p) =>
      db
        .selectFrom('oidc_model')
        .select(['model', 'payload', 'expires_at', 'consumed_at'])
        .where('model', 'in', [...TOKEN_MODELS])
        .where('id', '=', p.id),
    );
    this.findByUserCode = new PreparedQuery(['model', 'user_code'], (p) => select().where('model', '=', p.model).where('user_code', '=', p.user_code));
    this.findByUid = new PreparedQuery(['model', 'uid'], (p) => select().where('model', '=', p.model).where('uid', '=', p.uid));
    // Only an unconsumed row is consumed: of two racing exchanges of one code, exactly one succeeds.
    this.consume = new PreparedQuery(['model', 'id', 'now'], (p) =>
      db
        .updateTable('oidc_model')
        .set({ consumed_at: p.now as unknown as number })
        .where('model', '=', p.model)
        .where('id', '=', p.id)
        .where('consumed_at', 'is', null),
    );
    this.destroy = new PreparedQuery(['model', 'id'], (p) => db.deleteFrom('oidc_model').where('model', '=', p.model).where('id', '=', p.id));
    this.revokeByGrantId = new PreparedQuery(['grant_id'], (p) => db.deleteFrom('oidc_model').where('grant_id', '=', p.grant_id));
  }

  /** Token lookups in flight by value: the finds of one value in several token models share one query. */
  readonly #tokenLookups = new Map<string, Promise<QueryResult<TokenRow>>>();

  /** The rows of this value in every token model, read once for concurrent callers. */
  tokenRows(id: string): Promise<QueryResult<TokenRow>> {
    let lookup = this.#tokenLookups.get(id);
    if (!lookup) {
      const started = (lookup = this.run.read<TokenRow>(this.findToken.bind({ id })));
      this.#tokenLookups.set(id, started);
      const forget = () => {
        if (this.#tokenLookups.get(id) === started) this.#tokenLookups.delete(id);
      };
      started.then(forget, forget);
    }
    return lookup;
  }

  /** A write to token rows: finds issued after it must not share a lookup that started before it. */
  forgetTokenLookups(id?: string): void {
    if (id === undefined) this.#tokenLookups.clear();
    else this.#tokenLookups.delete(id);
  }

  static readonly #byDb = new WeakMap<Db, Statements>();

  static of(db: Db): Statements {
    let s = Statements.#byDb.get(db);
    if (!s) Statements.#byDb.set(db, (s = new Statements(db)));
    return s;
  }
}

export class KyselyOidcAdapter implements Adapter {
  readonly #q: Statements;

  constructor(db: Db, private readonly model: string) {
    this.#q = Statements.of(db);
  }

  async upsert(id: string, payload: AdapterPayload, expiresIn: number): Promise<void> {
    if (TOKEN_MODELS.has(this.model)) this.#q.forgetTokenLookups(id);
    const expiresAt = expiresIn ? Date.now() + (expiresIn + (RETAIN_AFTER_EXPIRY_SECONDS[this.model] ?? 0)) * 1000 : null;
    await this.#q.run.write(
      this.#q.upsert.bind({
        model: this.model,
        id,
        payload: JSON.stringify(payload),
        grant_id: payload.grantId ?? null,
        user_code: payload.userCode ?? null,
        uid: payload.uid ?? null,
        account_id: payload.accountId ?? null,
        client_id: payload.clientId ?? null,
        expires_at: expiresAt,
      }),
    );
  }

  async find(id: string): Promise<AdapterPayload | undefined> {
    if (TOKEN_MODELS.has(this.model)) {
      const { rows } = await this.#q.tokenRows(id);
      return toPayload({ rows: rows.filter((r) => r.model === this.model) });
    }
    return toPayload(await this.#q.run.read<Row>(this.#q.find.bind({ model: this.model, id })));
  }

  async findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
    return toPayload(await this.#q.run.read<Row>(this.#q.findByUserCode.bind({ model: this.model, user_code: userCode })));
  }

  async findByUid(uid: string): Promise<AdapterPayload | undefined> {
    return toPayload(await this.#q.run.read<Row>(this.#q.findByUid.bind({ model: this.model, uid })));
  }

  /**
   * Marks a single-use artefact (authorization code, device code, rotated refresh token) used.
   * oidc-provider checks `consumed` after reading the row; two exchanges racing on two processes
   * could both pass that check, so the update is conditional and the loser gets `invalid_grant`.
   */
  async consume(id: string): Promise<void> {
    if (TOKEN_MODELS.has(this.model)) this.#q.forgetTokenLookups(id);
    const result = await this.#q.run.write(this.#q.consume.bind({ model: this.model, id, now: Date.now() }));
    if (Number(result.numAffectedRows ?? 0) === 0) {
      throw new errors.InvalidGrant(`${SINGLE_USE_LABELS[this.model] ?? this.model} already used`);
    }
  }

  async destroy(id: string): Promise<void> {
    if (TOKEN_MODELS.has(this.model)) this.#q.forgetTokenLookups(id);
    await this.#q.run.write(this.#q.destroy.bind({ model: this.model, id }));
  }

  async revokeByGrantId(grantId: string): Promise<void> {
    this.#q.forgetTokenLookups();
    await this.#q.run.write(this.#q.revokeByGrantId.bind({ grant_id: grantId }));
  }
}

function toPayload({ rows: [r] }: { rows: readonly Row[] }): AdapterPayload | undefined {
  if (!r) return undefined;
  if (r.expires_at !== null && r.expires_at <= Date.now()) return undefined;
  const payload = JSON.parse(r.payload) as AdapterPayload;
  if (r.consumed_at !== null) payload.consumed = Math.floor(r.consumed_at / 1000);
  return payload;
}
