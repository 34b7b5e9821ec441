/**
 * Seeding: a fresh database per run (a temporary SQLite file, or a new PostgreSQL schema), the
 * clients and keys the scenarios use — created through Propusk's own services, as an operator's
 * CLI would — and live access tokens issued over HTTP before the measured phase.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { loadConfig } from '../../packages/server/src/config/index.ts';
import { createContext } from '../../packages/server/src/context.ts';
import { createLogger } from '../../packages/server/src/logger.ts';
import { introspectionClientId } from '../../packages/server/src/resources/service.ts';
import type { Credentials } from '../scenarios/types.ts';
import { collect } from './autocannon.ts';
import { onCleanup } from './cleanup.ts';

export type DbKind = 'sqlite' | 'postgres';

export const DEFAULT_POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432/test';

export interface PreparedDatabase {
  kind: DbKind;
  /** DATABASE_URL for Propusk. */
  url: string;
  /** For the report, without credentials. */
  description: string;
}

/** A new temporary directory, removed on cleanup. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'propusk-bench-'));
  const remove = () => rmSync(dir, { recursive: true, force: true });
  onCleanup({ name: `temporary directory ${dir}`, run: remove, sync: remove });
  return dir;
}

/**
 * An empty database: SQLite in `dir`, or a new schema on PostgreSQL (selected for every
 * connection with `options=-c search_path=…`), dropped on cleanup.
 */
export async function prepareDatabase(kind: DbKind, dir: string, postgresUrl = DEFAULT_POSTGRES_URL): Promise<PreparedDatabase> {
  if (kind === 'sqlite') {
    const file = join(dir, 'propusk.sqlite');
    return { kind, url: `sqlite:${file}`, description: `SQLite file in ${dir} (WAL)` };
  }
  const schema = `propusk_bench_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: postgresUrl, connectionTimeoutMillis: 5_000 });
  try {
    await admin.connect();
    await admin.query(`create schema ${schema}`);
  } catch (err) {
    throw new Error(`PostgreSQL at ${redact(postgresUrl)}: could not create schema ${schema}: ${(err as Error).message}`, { cause: err });
  } finally {
    await admin.end().catch(() => undefined);
  }
  onCleanup({
    name: `PostgreSQL schema ${schema}`,
    run: async () => {
      const c = new pg.Client({ connectionString: postgresUrl, connectionTimeoutMillis: 5_000 });
      await c.connect();
      try {
        await c.query(`drop schema if exists ${schema} cascade`);
      } finally {
        await c.end();
      }
    },
  });
  const url = new URL(postgresUrl);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return { kind, url: url.href, description: `PostgreSQL ${redact(postgresUrl)}, fresh schema ${schema}` };
}

function redact(url: string): string {
  const u = new URL(url);
  if (u.password) u.password = '***';
  return u.href;
}

export interface PropuskSeed {
  client: Credentials;
  introspector: Credentials;
}

/** Client id of the service client the scenarios use. */
const BENCH_CLIENT_ID = 'bench.service';

/**
 * Migrates the database and creates, through Propusk's services: a confidential client with
 * client_credentials for extern.api, and an api-key for extern.api's introspection client.
 * `env` is the provider's environment, so that keys are sealed with its master key.
 */
export async function seedPropusk(env: Record<string, string>): Promise<PropuskSeed> {
  const config = loadConfig(env);
  const ctx = await createContext(config, createLogger('warn'));
  try {
    const { key } = await ctx.clients.create({ clientId: BENCH_CLIENT_ID, name: 'Benchmark service client', grantTypes: ['client_credentials'], scopes: ['extern.api'] });
    if (!key) throw new Error('the benchmark client got no api-key');
    const rs = await ctx.clients.issueKey(introspectionClientId('extern.api'), 'benchmark');
    return { client: { clientId: key.client_id, secret: key.api_key }, introspector: { clientId: rs.client_id, secret: rs.api_key } };
  } finally {
    await ctx.close();
  }
}

/** How fast seeding may be at worst before we give up: tokens per second. */
const MIN_ISSUE_RATE = 50;

/**
 * Issues `count` extern.api access tokens over HTTP (client_credentials), `connections` at a time,
 * and returns them. Works against any target that serves /connect/token.
 */
export async function issueTokens(opts: { url: string; headers: Record<string, string>; client: Credentials; count: number; connections: number }): Promise<string[]> {
  if (opts.count === 0) return [];
  const bodies = await collect({
    url: opts.url,
    connections: Math.min(opts.connections, opts.count),
    amount: opts.count,
    maxSeconds: 30 + opts.count / MIN_ISSUE_RATE,
    request: {
      method: 'POST',
      path: '/connect/token',
      headers: { ...opts.headers, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: opts.client.clientId, client_secret: opts.client.secret, scope: 'extern.api' }).toString(),
    },
  });
  return bodies.map((b, i) => {
    const token = (JSON.parse(b) as { access_token?: unknown }).access_token;
    if (typeof token !== 'string') throw new Error(`token response ${i} has no access_token: ${b.slice(0, 200)}`);
    return token;
  });
}
