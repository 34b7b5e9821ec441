/**
 * Kysely dialect for Node's built-in `node:sqlite`: wraps a DatabaseSync in the shape Kysely's
 * SqliteDialect expects, caching prepared statements by SQL text so hot queries are compiled once.
 */
import { DatabaseSync, type StatementSync, type SQLInputValue } from 'node:sqlite';
import { SqliteDialect, type LogEvent, type QueryResult, type SqliteDatabase, type SqliteStatement } from 'kysely';

const MAX_CACHED_STATEMENTS = 500;

function toSqlite(value: unknown): SQLInputValue {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value instanceof Date) return value.getTime();
  if (value === undefined) return null;
  return value as SQLInputValue;
}

class CachedStatement implements SqliteStatement {
  readonly reader: boolean;
  readonly #stmt: StatementSync;

  constructor(stmt: StatementSync) {
    this.#stmt = stmt;
    this.reader = stmt.columns().length > 0;
  }

  all(parameters: ReadonlyArray<unknown>): unknown[] {
    return this.#stmt.all(...parameters.map(toSqlite));
  }

  run(parameters: ReadonlyArray<unknown>) {
    const { changes, lastInsertRowid } = this.#stmt.run(...parameters.map(toSqlite));
    return { changes, lastInsertRowid };
  }

  iterate(parameters: ReadonlyArray<unknown>): IterableIterator<unknown> {
    return this.#stmt.iterate(...parameters.map(toSqlite)) as IterableIterator<unknown>;
  }
}

/**
 * A checkpoint (the WAL's pages copied into the database file, then both `fsync`ed) once the WAL
 * holds this many pages (16 MiB of 4 KiB pages), instead of SQLite's default 1,000. Checkpoints
 * run inside a commit, on the event loop: fewer and larger ones write each hot page (index and
 * interior pages, the audit table's last leaf) once per checkpoint instead of four times, and wait
 * for `fsync` a quarter as often, but each holds the event loop longer. `npm run bench:checkpoints`
 * (the real schema, client-credentials rows with their audit rows, 10 per commit, pinned), per
 * token and the slowest commits:
 *
 *   pages   CPU µs   wall µs   slowest commit
 *   1,000    49.8     77.7      17.5 ms
 *   2,000    47.7     72.3      ~30 ms
 *   4,000    45.9     65.7      ~50 ms
 *   8,000    41.7     59.2      ~67 ms
 *
 * 4,000 takes most of the gain while a checkpoint's pause stays within the performance targets' 50 ms p99 for
 * device polling (bench/README.md, "seventh round"). The costs: a WAL file of up to ~16 MiB on
 * disk, reused after each checkpoint; and with `synchronous=NORMAL` the WAL is `fsync`ed at
 * checkpoints only, so a power loss (not a process crash) can lose up to that much of the latest
 * commits — never the database's integrity (README, "SQLite and durability").
 */
export const WAL_AUTOCHECKPOINT_PAGES = 4000;

/** A `node:sqlite` database adapted to Kysely, with a statement cache. */
export class NodeSqliteDatabase implements SqliteDatabase {
  readonly raw: DatabaseSync;
  readonly #statements = new Map<string, CachedStatement>();

  constructor(path: string) {
    this.raw = new DatabaseSync(path, { timeout: 5000 });
    this.raw.exec('PRAGMA journal_mode = WAL');
    this.raw.exec('PRAGMA synchronous = NORMAL');
    this.raw.exec('PRAGMA foreign_keys = ON');
    this.raw.exec('PRAGMA busy_timeout = 5000');
    this.raw.exec(`PRAGMA wal_autocheckpoint = ${WAL_AUTOCHECKPOINT_PAGES}`);
  }

  prepare(sql: string): SqliteStatement {
    let stmt = this.#statements.get(sql);
    if (!stmt) {
      // Transaction control and DDL are not worth caching.
      stmt = new CachedStatement(this.raw.prepare(sql));
      if (this.#statements.size >= MAX_CACHED_STATEMENTS) {
        this.#statements.delete(this.#statements.keys().next().value!);
      }
      this.#statements.set(sql, stmt);
    }
    return stmt;
  }

  /** Whether a transaction is open on the connection (BEGIN without COMMIT or ROLLBACK yet). */
  get inTransaction(): boolean {
    // A closed database has none (and its statements fail with "database is not open").
    return this.raw.isOpen && this.raw.isTransaction;
  }

  close(): void {
    this.#statements.clear();
    if (this.raw.isOpen) this.raw.close();
  }
}

/**
 * Runs a compiled query on the connection at once, without Kysely's asynchronous connection
 * handling: the result has the shape Kysely's SQLite driver gives. Callers must know that no
 * transaction of another caller is open on the connection (`inTransaction`), else the statement
 * would join it.
 */
export function executeNow(database: NodeSqliteDatabase, query: { sql: string; parameters: ReadonlyArray<unknown> }): QueryResult<unknown> {
  const stmt = database.prepare(query.sql);
  if (stmt.reader) return { rows: stmt.all(query.parameters) };
  const { changes, lastInsertRowid } = stmt.run(query.parameters);
  return { numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid), rows: [] };
}

export function createSqliteDialect(database: NodeSqliteDatabase): SqliteDialect {
  return new SqliteDialect({ database });
}

/** What runs statements on a SQLite database without Kysely (group-commit.ts): its connection and Kysely's log hook. */
export interface DirectSqlite {
  database: NodeSqliteDatabase;
  /** Kysely's `log` function, called as Kysely would (statement timings for /metrics). */
  log?: (event: LogEvent) => void;
}

const direct = new WeakMap<object, DirectSqlite>();

/** Records the connection behind a Kysely instance opened on SQLite (storage/database.ts). */
export function attachDirectSqlite(db: object, handle: DirectSqlite): void {
  direct.set(db, handle);
}

/** The connection behind `db` when it is SQLite opened by openDatabase; else undefined. */
export function directSqlite(db: object): DirectSqlite | undefined {
  return direct.get(db);
}
