/**
 * Group commit for SQLite: statements issued while the event loop is busy are queued and run in
 * one transaction at the next turn (setImmediate), and each caller's promise settles after that
 * transaction has committed — the same guarantee as running alone, at a fraction of the cost. A
 * SQLite commit is synchronous and writes every page the statement touched (the oidc_model row
 * and its seven indexes), so one commit per token was the largest single cost of issuing one.
 *
 * Order is kept: queued statements run in the order they were issued, and a read issued while
 * writes are queued joins the queue behind them. If the batch fails as a whole, each statement is
 * retried alone, so that an error reaches only the caller whose statement caused it.
 *
 * SQLite runs every statement synchronously on the one connection, so when no transaction of
 * another caller is open on it, a batch (and a read with nothing queued before it) runs at once on
 * the connection, without Kysely's asynchronous connection handling — which cost more than the
 * statement itself for a primary-key read. Otherwise (a Kysely transaction is between two of its
 * statements) it goes through Kysely and waits for the connection like any other query.
 *
 * On PostgreSQL statements run directly: the driver is asynchronous and the pool runs them in
 * parallel, so there is nothing to gain from waiting for company.
 */
import { CompiledQuery, type QueryResult } from 'kysely';
import type { Db } from './database.ts';
import { isSqlite } from './dialect.ts';
import { directSqlite, executeNow, type DirectSqlite } from './sqlite-dialect.ts';

/** A batch runs at most this many statements; the rest go to the next one. */
const MAX_BATCH = 256;

interface Pending {
  query: CompiledQuery;
  resolve(result: QueryResult<unknown>): void;
  reject(err: unknown): void;
}

const BEGIN = CompiledQuery.raw('begin immediate');
const COMMIT = CompiledQuery.raw('commit');
const ROLLBACK = CompiledQuery.raw('rollback');

export class GroupCommit {
  readonly #db: Db;
  readonly #batched: boolean;
  readonly #direct: DirectSqlite | undefined;
  #queue: Pending[] = [];
  /** Batches taken from the queue and not yet settled. */
  #running = 0;

  constructor(db: Db) {
    this.#db = db;
    this.#batched = isSqlite(db);
    this.#direct = this.#batched ? directSqlite(db) : undefined;
  }

  /** Runs a statement that changes data; resolves once it is committed. */
  write<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    if (!this.#batched) return this.#db.executeQuery<R>(query);
    return new Promise<QueryResult<R>>((resolve, reject) => {
      if (this.#queue.length === 0) setImmediate(() => void this.#flush());
      this.#queue.push({ query, resolve: resolve as Pending['resolve'], reject });
    });
  }

  /** Runs a read; behind the queued or running writes when there are any, so that it sees them. */
  read<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    if (!this.#batched) return this.#db.executeQuery<R>(query);
    if (this.#queue.length > 0 || this.#running > 0) return this.write<R>(query);
    const direct = this.#idleConnection();
    if (!direct) return this.#db.executeQuery<R>(query);
    try {
      return Promise.resolve(this.#execute(direct, query) as QueryResult<R>);
    } catch (err) {
      return Promise.reject(err as Error);
    }
  }

  /** The connection, when statements can run on it at once (no other caller's transaction is open). */
  #idleConnection(): DirectSqlite | undefined {
    const direct = this.#direct;
    return direct && !direct.database.inTransaction ? direct : undefined;
  }

  /** One statement on the connection, now; reported to Kysely's log hook as Kysely would. */
  #execute(direct: DirectSqlite, query: CompiledQuery): QueryResult<unknown> {
    if (!direct.log) return executeNow(direct.database, query);
    const start = performance.now();
    try {
      const result = executeNow(direct.database, query);
      direct.log({ level: 'query', query, queryDurationMillis: performance.now() - start });
      return result;
    } catch (error) {
      direct.log({ level: 'error', error, query, queryDurationMillis: performance.now() - start });
      throw error;
    }
  }

  /** A batch in one transaction on the connection, now. False when the connection is not free. */
  #runNow(batch: Pending[]): boolean {
    const direct = this.#idleConnection();
    if (!direct) return false;
    if (batch.length === 1) {
      const [only] = batch as [Pending];
      this.#settleAlone(direct, only);
      return true;
    }
    const results: QueryResult<unknown>[] = [];
    try {
      this.#execute(direct, BEGIN);
      try {
        for (const p of batch) results.push(this.#execute(direct, p.query));
        this.#execute(direct, COMMIT);
      } catch (err) {
        if (direct.database.inTransaction) this.#execute(direct, ROLLBACK);
        throw err;
      }
    } catch {
      // Nothing of the batch was kept: run each statement alone so that only its own caller sees its error.
      for (const p of batch) this.#settleAlone(direct, p);
      return true;
    }
    batch.forEach((p, i) => p.resolve(results[i]!));
    return true;
  }

  #settleAlone(direct: DirectSqlite, p: Pending): void {
    let result: QueryResult<unknown>;
    try {
      result = this.#execute(direct, p.query);
    } catch (err) {
      p.reject(err);
      return;
    }
    p.resolve(result);
  }

  async #flush(): Promise<void> {
    const batch = this.#queue.splice(0, MAX_BATCH);
    if (this.#queue.length > 0) setImmediate(() => void this.#flush());
    if (batch.length === 0) return;
    this.#running++;
    try {
      await this.#run(batch);
    } finally {
      this.#running--;
    }
  }

  async #run(batch: Pending[]): Promise<void> {
    if (this.#runNow(batch)) return;
    if (batch.length === 1) {
      const [only] = batch as [Pending];
      await this.#db.executeQuery(only.query).then(only.resolve, only.reject);
      return;
    }
    let results: QueryResult<unknown>[];
    try {
      results = await this.#db.connection().execute(async (conn) => {
        await conn.executeQuery(BEGIN);
        try {
          const out: QueryResult<unknown>[] = [];
          for (const p of batch) out.push(await conn.executeQuery(p.query));
          await conn.executeQuery(COMMIT);
          return out;
        } catch (err) {
          await conn.executeQuery(ROLLBACK).catch(() => undefined);
          throw err;
        }
      });
    } catch {
      // Nothing of the batch was kept: run each statement alone so that only its own caller sees its error.
      await Promise.all(batch.map((p) => this.#db.executeQuery(p.query).then(p.resolve, p.reject)));
      return;
    }
    batch.forEach((p, i) => p.resolve(results[i]!));
  }
}

const instances = new WeakMap<Db, GroupCommit>();

/** The one GroupCommit of a database (its queue orders every statement sent through it). */
export function groupCommit(db: Db): GroupCommit {
  let g = instances.get(db);
  if (!g) instances.set(db, (g = new GroupCommit(db)));
  return g;
}
