/**
 * ChangeFeed through the database: publishers append a row to `change`; every process polls for
 * rows newer than the last one it saw (a few times a second) and tells its subscribers. Works the
 * same for several processes on one SQLite file and for several instances on PostgreSQL.
 */
import type { Db } from './db.ts';
import type { ChangeFeed, ChangeTopic } from '../shared/changes.ts';

export interface PollingChangeFeedOptions {
  /** Poll period in milliseconds. Default 200. */
  intervalMs?: number;
  onError?: (err: unknown) => void;
}

export class PollingChangeFeed implements ChangeFeed {
  readonly #db: Db;
  readonly #listeners = new Set<(topic: ChangeTopic, key: string) => void>();
  readonly #options: PollingChangeFeedOptions;
  #lastId = 0;
  #timer: NodeJS.Timeout | undefined;
  #polling = false;

  constructor(db: Db, options: PollingChangeFeedOptions = {}) {
    this.#db = db;
    this.#options = options;
  }

  /** Starts polling from the newest change present now. */
  async start(): Promise<void> {
    const row = await this.#db.selectFrom('change').select((eb) => eb.fn.max('id').as('max')).executeTakeFirst();
    this.#lastId = Number(row?.max ?? 0);
    this.#timer = setInterval(() => void this.poll(), this.#options.intervalMs ?? 200);
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  async publish(topic: ChangeTopic, key: string): Promise<void> {
    await this.#db.insertInto('change').values({ topic, key, created_at: Date.now() }).execute();
    // Local subscribers learn at once; the poll will deliver it again, which is harmless (invalidation is idempotent).
    this.#emit(topic, key);
  }

  subscribe(listener: (topic: ChangeTopic, key: string) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Reads and delivers changes newer than the last seen one. */
  async poll(): Promise<void> {
    if (this.#polling) return;
    this.#polling = true;
    try {
      const rows = await this.#db.selectFrom('change').select(['id', 'topic', 'key']).where('id', '>', this.#lastId).orderBy('id').limit(1000).execute();
      for (const r of rows) {
        this.#lastId = Math.max(this.#lastId, Number(r.id));
        this.#emit(r.topic as ChangeTopic, r.key);
      }
    } catch (err) {
      this.#options.onError?.(err);
    } finally {
      this.#polling = false;
    }
  }

  #emit(topic: ChangeTopic, key: string) {
    for (const l of this.#listeners) l(topic, key);
  }
}
