/**
 * ChangeFeed on PostgreSQL (LISTEN/NOTIFY): `publish` appends a row to `change` and NOTIFYs in
 * the same statement, so the notification is sent exactly when the row is committed; a dedicated
 * connection LISTENs and tells the subscribers at once. When that connection drops, the feed
 * reconnects with backoff and then reads the `change` rows it may have missed (by last seen id),
 * so no invalidation is lost. Instances on other schemas of the same database are ignored.
 */
import { sql } from 'kysely';
import type pg from 'pg';
import type { Db, RunningChangeFeed } from './db.ts';
import type { ChangeTopic } from '../shared/changes.ts';

/** The NOTIFY channel; one per database, so payloads carry the schema. */
export const CHANGE_CHANNEL = 'propusk_changes';

/** After a reconnect, rows created this long before the connection was lost are delivered again: ids are taken in insert order but committed in any order. */
const CATCH_UP_GRACE_MS = 10_000;
const CATCH_UP_BATCH = 1000;

export interface PgChangeFeedOptions {
  /** A new, not yet connected client on the same database and schema as `db`. */
  connect: () => pg.Client;
  /** First reconnect delay in milliseconds, doubled on each failure (with jitter). Default 100. */
  minBackoffMs?: number;
  /** Longest reconnect delay in milliseconds. Default 5000. */
  maxBackoffMs?: number;
  /** Called with a lost connection's error and with failed reconnects. */
  onError?: (err: unknown) => void;
}

interface Payload {
  schema: string;
  id: number;
  topic: ChangeTopic;
  key: string;
}

export class PgChangeFeed implements RunningChangeFeed {
  readonly #db: Db;
  readonly #options: PgChangeFeedOptions;
  readonly #listeners = new Set<(topic: ChangeTopic, key: string) => void>();
  #client: pg.Client | undefined;
  #schema: string | undefined;
  #lastId: number | undefined;
  #lostAt: number | undefined;
  #attempt = 0;
  #timer: NodeJS.Timeout | undefined;
  #stopped = true;
  #ready = false;

  constructor(db: Db, options: PgChangeFeedOptions) {
    this.#db = db;
    this.#options = options;
  }

  /** Opens the listening connection; rejects (and stays stopped) when the first attempt fails. */
  async start(): Promise<void> {
    this.#stopped = false;
    try {
      await this.#open();
    } catch (err) {
      await this.stop();
      throw err;
    }
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const client = this.#client;
    this.#client = undefined;
    this.#ready = false;
    await client?.end().catch(() => undefined);
  }

  /** Whether the listening connection is up (for tests and health details). */
  get listening(): boolean {
    return this.#ready;
  }

  async publish(topic: ChangeTopic, key: string): Promise<void> {
    await sql`
      with c as (
        insert into ${sql.table('change')} (topic, key, created_at) values (${topic}, ${key}, ${Date.now()})
        returning id, topic, key
      )
      select pg_notify(${CHANGE_CHANNEL}, json_build_object('schema', current_schema(), 'id', c.id, 'topic', c.topic, 'key', c.key)::text) from c
    `.execute(this.#db);
    // Local subscribers learn at once; the notification delivers it again, which is harmless (invalidation is idempotent).
    this.#emit(topic, key);
  }

  subscribe(listener: (topic: ChangeTopic, key: string) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  async #open(): Promise<void> {
    const client = this.#options.connect();
    this.#client = client;
    client.on('error', (err) => this.#lost(client, err));
    client.on('end', () => this.#lost(client, new Error('LISTEN connection closed')));
    client.on('notification', (msg) => {
      if (msg.channel === CHANGE_CHANNEL && msg.payload) this.#onPayload(msg.payload);
    });
    const stillCurrent = () => {
      if (this.#client !== client) throw new Error('LISTEN connection lost while opening');
    };
    try {
      await client.connect();
      stillCurrent();
      await client.query(`LISTEN ${CHANGE_CHANNEL}`);
      stillCurrent();
      this.#schema = (await client.query<{ schema: string }>('select current_schema() as schema')).rows[0]?.schema;
      stillCurrent();
      // LISTEN is in place before reading, so nothing committed from here on can be missed.
      if (this.#lastId === undefined) {
        const { rows } = await client.query<{ max: number | null }>('select max(id) as max from change');
        this.#lastId = Number(rows[0]?.max ?? 0);
      } else {
        await this.#catchUp(client);
      }
      stillCurrent();
    } catch (err) {
      this.#lost(client, err);
      throw err;
    }
    this.#attempt = 0;
    this.#lostAt = undefined;
    this.#ready = true;
  }

  async #catchUp(client: pg.Client): Promise<void> {
    const since = (this.#lostAt ?? Date.now()) - CATCH_UP_GRACE_MS;
    let after = this.#lastId ?? 0;
    let first = true;
    for (;;) {
      // The first batch also re-reads recent rows with smaller ids that may have committed late.
      const { rows } = await client.query<{ id: number; topic: ChangeTopic; key: string }>(
        first
          ? 'select id, topic, key from change where id > $1 or created_at >= $2 order by id limit $3'
          : 'select id, topic, key from change where id > $1 order by id limit $3',
        first ? [after, since, CATCH_UP_BATCH] : [after, CATCH_UP_BATCH],
      );
      for (const r of rows) {
        const id = Number(r.id);
        after = Math.max(after, id);
        this.#lastId = Math.max(this.#lastId ?? 0, id);
        this.#emit(r.topic, r.key);
      }
      if (rows.length < CATCH_UP_BATCH) return;
      first = false;
    }
  }

  #onPayload(text: string) {
    let p: Payload;
    try {
      p = JSON.parse(text) as Payload;
    } catch (err) {
      this.#options.onError?.(err);
      return;
    }
    if (p.schema !== this.#schema) return;
    this.#lastId = Math.max(this.#lastId ?? 0, Number(p.id));
    this.#emit(p.topic, p.key);
  }

  /** The listening connection failed or closed: drop it and reconnect later (once per client). */
  #lost(client: pg.Client, err: unknown) {
    if (this.#client !== client) return;
    this.#client = undefined;
    this.#ready = false;
    this.#lostAt ??= Date.now();
    client.end().catch(() => undefined);
    if (this.#stopped) return;
    this.#options.onError?.(err);
    this.#scheduleReconnect();
  }

  #scheduleReconnect() {
    if (this.#stopped || this.#timer) return;
    const min = this.#options.minBackoffMs ?? 100;
    const max = this.#options.maxBackoffMs ?? 5000;
    const delay = Math.min(max, min * 2 ** this.#attempt) * (0.5 + Math.random() / 2);
    this.#attempt++;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      // On failure #lost has already scheduled the next attempt.
      this.#open().catch(() => undefined);
    }, delay);
    this.#timer.unref();
  }

  #emit(topic: ChangeTopic, key: string) {
    for (const l of this.#listeners) l(topic, key);
  }
}
