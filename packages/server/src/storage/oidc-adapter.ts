/**
 * The oidc-provider adapter: a thin mapper from its contract (upsert, find, findByUserCode,
 * findByUid, consume, destroy, revokeByGrantId) onto one generic table. `Client` is read from the
 * clients table instead (see provider/clients.ts). The statements are compiled once per database
 * and written with group commit: issuing and reading tokens is the provider's hot path.
 *
 * Bearer secrets are not stored: an opaque token's id is the token itself (and a session's id is
 * its cookie), so for those models the row is keyed by the SHA-256 of the id (`storedId`) and the
 * id is left out of the stored payload; `find(id)` puts it back. Whoever reads the database (a
 * backup, a replica, a SQL injection elsewhere) gets no usable token, code or session cookie.
 * The ids are random 43-character values from oidc-provider (~256 bits), so a plain hash cannot be
 * reversed by guessing. Two lookups do not start from the id: a device code found by its user code (the
 * approval is then saved under the device code's id, so the adapter must know it: it is kept
 * sealed with PROPUSK_MASTER_KEY, keys/sealing.ts) and a session found by its `uid` (oidc-provider
 * only reads such a session, never saves it, so its id is not needed). An interaction's copy of
 * its session's cookie, which oidc-provider never reads, is dropped; the device code a device-flow
 * interaction approves is sealed. Where oidc-provider keeps those two in an interaction's payload is
 * beyond the adapter contract: provider/seam/adapter.ts lists the upstream lines, checked by the
 * seam test.
 */
import { createHash } from 'node:crypto';
import { errors, type Adapter, type AdapterPayload } from 'oidc-provider';
import { sql, type QueryResult } from 'kysely';
import type { Db } from './database.ts';
import { seal, unseal } from '../keys/sealing.ts';
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

/**
 * A consume that lost the race: the artefact was read unconsumed, and another exchange (in this
 * process or another) consumed it before this one could. `invalid_grant`, carrying the grant the
 * artefact belongs to: the token endpoint treats it as a reuse and revokes that grant
 * (provider/seam/reuse.ts).
 */
export class ConsumeRaceLost extends errors.InvalidGrant {
  constructor(
    readonly model: string,
    readonly grantId: string | undefined,
  ) {
    super(`${SINGLE_USE_LABELS[model] ?? model} already used`);
  }
}

/**
 * Models whose id is a bearer secret: the opaque token, code or cookie value itself. Grants and
 * interactions are not among them (a grant id is presented by nobody; an interaction's id is in
 * its own URLs).
 */
export const HASHED_ID_MODELS: ReadonlySet<string> = new Set(['AccessToken', 'ClientCredentials', 'RefreshToken', 'AuthorizationCode', 'DeviceCode', 'Session', 'BackchannelAuthenticationRequest']);

/** The payload field that holds the sealed id of a model found by something else than its id. */
const SEALED_ID = 'sealedId';
/** The payload field of an interaction that holds the sealed device code it is approving. */
const SEALED_DEVICE_CODE = 'sealedDeviceCode';
/** Models found by another key whose found object oidc-provider saves again: their id is kept, sealed. */
const SEALED_ID_MODELS: ReadonlySet<string> = new Set(['DeviceCode']);

/** The SHA-256 of an id, base64url: what a row of a hashed-id model is keyed by. */
export function hashId(id: string): string {
  return createHash('sha256').update(id, 'utf8').digest('base64url');
}

/** The key a row of `model` with this id is stored under. */
export function storedId(model: string, id: string): string {
  return HASHED_ID_MODELS.has(model) ? hashId(id) : id;
}

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
  readonly consumeAgain: PreparedQuery<'model' | 'id' | 'now' | 'since'>;
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
    // A refresh token within its reuse interval is consumed again: the row matches while it was
    // consumed since `since`, and keeps the time of its first use (the interval never extends).
    this.consumeAgain = new PreparedQuery(['model', 'id', 'now', 'since'], (p) =>
      db
        .updateTable('oidc_model')
        .set({ consumed_at: sql<number>`coalesce(consumed_at, ${p.now})` })
        .where('model', '=', p.model)
        .where('id', '=', p.id)
        .where((eb) => eb.or([eb('consumed_at', 'is', null), eb('consumed_at', '>=', p.since as unknown as number)])),
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

export interface OidcAdapterOptions {
  /** Seals the ids kept for SEALED_ID_MODELS (stored marked plain without one, as the signing keys are). */
  masterKey?: Buffer | undefined;
  /**
   * Seconds a rotated refresh token may be presented again (RefreshToken only; 0 or unset: never).
   * Within them the row reads as unconsumed and consuming it again succeeds, so two workers
   * refreshing with the same token both get a token set and the grant is not revoked; later, the
   * reuse is seen and oidc-provider revokes the grant. Kept in the row, so it holds across instances.
   */
  refreshReuseInterval?: number | undefined;
}

export class KyselyOidcAdapter implements Adapter {
  readonly #q: Statements;
  readonly #hashed: boolean;
  readonly #masterKey: Buffer | undefined;
  readonly #reuseMs: number;

  constructor(
    db: Db,
    private readonly model: string,
    options: OidcAdapterOptions = {},
  ) {
    this.#q = Statements.of(db);
    this.#hashed = HASHED_ID_MODELS.has(model);
    this.#masterKey = options.masterKey;
    this.#reuseMs = model === 'RefreshToken' ? (options.refreshReuseInterval ?? 0) * 1000 : 0;
  }

  /** The row key of this model's id. */
  #key(id: string): string {
    return this.#hashed ? hashId(id) : id;
  }

  /** The payload as stored: without the id of a hashed-id model (sealed where it must be found again). */
  #stored(id: string, payload: AdapterPayload): string {
    if (this.model === 'Interaction') return JSON.stringify(this.#storedInteraction(payload));
    if (!this.#hashed) return JSON.stringify(payload);
    const { jti: _jti, ...rest } = payload;
    if (SEALED_ID_MODELS.has(this.model)) (rest as Record<string, unknown>)[SEALED_ID] = seal(id, this.#masterKey);
    return JSON.stringify(rest);
  }

  /**
   * An interaction carries two secrets of others: its session's id (the cookie), which oidc-provider
   * copies in and never reads back (dropped), and in the device flow the device code being
   * approved, which it reads to save the approval (sealed).
   */
  #storedInteraction(payload: AdapterPayload): AdapterPayload {
    const out: Record<string, unknown> = { ...payload };
    if (payload.session?.cookie !== undefined) {
      const { cookie: _cookie, ...session } = payload.session;
      out.session = session;
    }
    if (typeof payload.deviceCode === 'string') {
      delete out.deviceCode;
      out[SEALED_DEVICE_CODE] = seal(payload.deviceCode, this.#masterKey);
    }
    return out as AdapterPayload;
  }

  /** A found payload with its id back: the one it was looked up by, or the sealed one. */
  #withId(payload: AdapterPayload | undefined, id: string | undefined): AdapterPayload | undefined {
    if (payload && this.model === 'Interaction') {
      const record = payload as Record<string, unknown>;
      const sealed = record[SEALED_DEVICE_CODE];
      if (typeof sealed === 'string') {
        delete record[SEALED_DEVICE_CODE];
        payload.deviceCode = unseal(sealed, this.#masterKey);
      }
    }
    if (!payload || !this.#hashed) return payload;
    const record = payload as Record<string, unknown>;
    const sealed = record[SEALED_ID];
    delete record[SEALED_ID];
    if (id !== undefined) payload.jti = id;
    else if (typeof sealed === 'string') payload.jti = unseal(sealed, this.#masterKey);
    return payload;
  }

  /** Rows consumed at or after this time read as unconsumed (the reuse interval), or undefined. */
  #reuseSince(): number | undefined {
    return this.#reuseMs > 0 ? Date.now() - this.#reuseMs : undefined;
  }

  async upsert(id: string, payload: AdapterPayload, expiresIn: number): Promise<void> {
    const key = this.#key(id);
    if (TOKEN_MODELS.has(this.model)) this.#q.forgetTokenLookups(key);
    const expiresAt = expiresIn ? Date.now() + (expiresIn + (RETAIN_AFTER_EXPIRY_SECONDS[this.model] ?? 0)) * 1000 : null;
    await this.#q.run.write(
      this.#q.upsert.bind({
        model: this.model,
        id: key,
        payload: this.#stored(id, payload),
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
    const key = this.#key(id);
    if (TOKEN_MODELS.has(this.model)) {
      const { rows } = await this.#q.tokenRows(key);
      return this.#withId(toPayload({ rows: rows.filter((r) => r.model === this.model) }, this.#reuseSince()), id);
    }
    return this.#withId(toPayload(await this.#q.run.read<Row>(this.#q.find.bind({ model: this.model, id: key }))), id);
  }

  async findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
    return this.#withId(toPayload(await this.#q.run.read<Row>(this.#q.findByUserCode.bind({ model: this.model, user_code: userCode }))), undefined);
  }

  async findByUid(uid: string): Promise<AdapterPayload | undefined> {
    return this.#withId(toPayload(await this.#q.run.read<Row>(this.#q.findByUid.bind({ model: this.model, uid }))), undefined);
  }

  /**
   * Marks a single-use artefact (authorization code, device code, rotated refresh token) used.
   * oidc-provider checks `consumed` after reading the row; two exchanges racing on two processes
   * could both pass that check, so the update is conditional and the loser gets `ConsumeRaceLost`
   * (`invalid_grant`, with the artefact's grant to revoke).
   */
  async consume(id: string): Promise<void> {
    const key = this.#key(id);
    if (TOKEN_MODELS.has(this.model)) this.#q.forgetTokenLookups(key);
    const now = Date.now();
    const since = this.#reuseSince();
    const result = await this.#q.run.write(
      since === undefined ? this.#q.consume.bind({ model: this.model, id: key, now }) : this.#q.consumeAgain.bind({ model: this.model, id: key, now, since }),
    );
    if (Number(result.numAffectedRows ?? 0) === 0) {
      const row = toPayload(await this.#q.run.read<Row>(this.#q.find.bind({ model: this.model, id: key })));
      throw new ConsumeRaceLost(this.model, row?.grantId);
    }
  }

  async destroy(id: string): Promise<void> {
    const key = this.#key(id);
    if (TOKEN_MODELS.has(this.model)) this.#q.forgetTokenLookups(key);
    await this.#q.run.write(this.#q.destroy.bind({ model: this.model, id: key }));
  }

  async revokeByGrantId(grantId: string): Promise<void> {
    this.#q.forgetTokenLookups();
    await this.#q.run.write(this.#q.revokeByGrantId.bind({ grant_id: grantId }));
  }
}

/** A row's payload; a row consumed at or after `reuseSince` reads as not consumed. */
function toPayload({ rows: [r] }: { rows: readonly Row[] }, reuseSince?: number): AdapterPayload | undefined {
  if (!r) return undefined;
  if (r.expires_at !== null && r.expires_at <= Date.now()) return undefined;
  const payload = JSON.parse(r.payload) as AdapterPayload;
  if (r.consumed_at !== null && (reuseSince === undefined || Number(r.consumed_at) < reuseSince)) payload.consumed = Math.floor(r.consumed_at / 1000);
  return payload;
}
