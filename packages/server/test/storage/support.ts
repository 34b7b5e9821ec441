/**
 * PostgreSQL for the storage tests: the server named by PROPUSK_TEST_POSTGRES_URL (default the CI
 * one, 127.0.0.1:5432 database `test`), a fresh schema per use that is dropped afterwards, and the
 * loud skip (or, with PROPUSK_REQUIRE_POSTGRES=1, the failure) when it is unreachable.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import { createServer as createNetServer, connect as connectTcp, type AddressInfo, type Server, type Socket } from 'node:net';
import pg from 'pg';

export const POSTGRES_URL = process.env.PROPUSK_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const POSTGRES_REQUIRED = process.env.PROPUSK_REQUIRE_POSTGRES === '1';

/** Runs `sql` on a short-lived connection to the test database (schema management, terminating backends). */
export async function adminQuery<R extends pg.QueryResultRow = pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<R[]> {
  const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 3000 });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return (await client.query<R>(text, values)).rows;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Why PostgreSQL cannot be used, or undefined when it answers. */
export async function postgresUnreachable(): Promise<string | undefined> {
  try {
    await adminQuery('select 1');
    return undefined;
  } catch (err) {
    return `${POSTGRES_URL}: ${(err as Error).message || String(err)}`;
  }
}

export interface TestSchema {
  schema: string;
  /** DATABASE_URL for the schema; also the `application_name` of its connections, so a test can terminate just those. */
  url: string;
  drop(): Promise<void>;
}

/** URL of `schema` on the test server, with `search_path` and `application_name` set through the connection string. */
export function schemaUrl(schema: string, base = POSTGRES_URL): string {
  const u = new URL(base);
  u.searchParams.set('options', `-c search_path=${schema}`);
  u.searchParams.set('application_name', schema);
  return u.toString();
}

/** Creates `propusk_test_<random>`; `drop()` removes it and everything in it. */
export async function createTestSchema(): Promise<TestSchema> {
  const schema = `propusk_test_${randomBytes(6).toString('hex')}`;
  await adminQuery(`create schema ${schema}`);
  return { schema, url: schemaUrl(schema), drop: () => dropSchema(schema) };
}

async function dropSchema(schema: string): Promise<void> {
  await adminQuery(`drop schema if exists ${schema} cascade`);
}

/** Terminates every backend of the schema's connections (by application_name); returns how many. */
export async function terminateBackends(schema: string): Promise<number> {
  const rows = await adminQuery<{ terminated: boolean }>(
    'select pg_terminate_backend(pid) as terminated from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid() and application_name = $1',
    [schema],
  );
  return rows.filter((r) => r.terminated).length;
}

/** A fresh SQLite file; `cleanup()` removes it. */
export function createTestSqlite(): { url: string; cleanup(): Promise<void> } {
  const dir = mkdtempSync(join(tmpdir(), 'propusk-conformance-'));
  return { url: `sqlite:${join(dir, 'db.sqlite')}`, cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
}

/** Reports an unreachable PostgreSQL: loudly skipped, or failed when PROPUSK_REQUIRE_POSTGRES=1. */
export function postgresMissing(t: TestContext, reason: string): void {
  if (POSTGRES_REQUIRED) assert.fail(`PostgreSQL is required (PROPUSK_REQUIRE_POSTGRES=1) but unreachable: ${reason}`);
  console.warn(`\n*** PostgreSQL unreachable, PostgreSQL storage tests SKIPPED: ${reason}\n*** (set PROPUSK_TEST_POSTGRES_URL, or PROPUSK_REQUIRE_POSTGRES=1 to make this an error)\n`);
  t.skip(`PostgreSQL unreachable: ${reason}`);
}

const unreachable = await postgresUnreachable();

/** `describe(name, fn)` when PostgreSQL answers; otherwise one test that skips loudly (or fails in CI). */
export function describePostgres(name: string, fn: () => void): void {
  if (unreachable === undefined) describe(name, fn);
  else it(name, (t) => postgresMissing(t, unreachable));
}

/**
 * A TCP proxy in front of PostgreSQL, so a test can make "the database" go away and come back
 * without touching the shared server: `refuse()` closes the port and cuts every connection,
 * `blackhole()` accepts connections but never answers, `forward()` / `restore()` bring it back.
 */
export class TcpProxy {
  readonly #target: { host: string; port: number };
  readonly #sockets = new Set<Socket>();
  #server: Server | undefined;
  #mode: 'forward' | 'blackhole' = 'forward';
  port = 0;

  private constructor(target: { host: string; port: number }) {
    this.#target = target;
  }

  static async start(target = postgresTarget()): Promise<TcpProxy> {
    const proxy = new TcpProxy(target);
    await proxy.restore();
    return proxy;
  }

  /** `url` with its host and port replaced by the proxy's. */
  url(url: string): string {
    const u = new URL(url);
    u.hostname = '127.0.0.1';
    u.port = String(this.port);
    return u.toString();
  }

  async restore(): Promise<void> {
    this.#mode = 'forward';
    if (this.#server) return;
    const server = createNetServer((socket) => this.#accept(socket));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (server.address() as AddressInfo).port;
    this.#server = server;
  }

  /** Closes the port (new connections are refused) and cuts every open connection. */
  async refuse(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    this.#cutAll();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Cuts every open connection; new ones are accepted and then never answered. */
  blackhole(): void {
    this.#mode = 'blackhole';
    this.#cutAll();
  }

  forward(): void {
    this.#mode = 'forward';
  }

  close(): Promise<void> {
    return this.refuse();
  }

  #cutAll() {
    for (const s of this.#sockets) s.destroy();
    this.#sockets.clear();
  }

  #accept(socket: Socket) {
    this.#track(socket);
    if (this.#mode === 'blackhole') return;
    const upstream = connectTcp(this.#target.port, this.#target.host);
    this.#track(upstream);
    socket.pipe(upstream).pipe(socket);
    const cut = () => {
      socket.destroy();
      upstream.destroy();
    };
    socket.on('close', cut);
    upstream.on('close', cut);
  }

  #track(s: Socket) {
    this.#sockets.add(s);
    s.on('error', () => undefined);
    s.on('close', () => this.#sockets.delete(s));
  }
}

function postgresTarget(): { host: string; port: number } {
  const u = new URL(POSTGRES_URL);
  return { host: u.hostname || '127.0.0.1', port: Number(u.port || 5432) };
}
