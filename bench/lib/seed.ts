/**
 * Seeding: a fresh database per run (a temporary SQLite file, or a new PostgreSQL schema), the
 * clients and keys the scenarios use — created through Propusk's own services, as an operator's
 * CLI would — and live access tokens issued over HTTP before the measured phase.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateKeyPairSync, randomBytes, randomUUID, type KeyObject } from 'node:crypto';
import pg from 'pg';
import { SignJWT } from 'jose';
import { loadConfig } from '../../packages/server/src/config/index.ts';
import { createContext } from '../../packages/server/src/context.ts';
import { createLogger } from '../../packages/server/src/logger.ts';
import { introspectionClientId } from '../../packages/server/src/resources/service.ts';
import type { Credentials, FixtureKind, Target, User } from '../scenarios/types.ts';
import { JWT_ALGS, jwtApiScope } from '../scenarios/jwt-algs.ts';
import { collect } from './autocannon.ts';
import { Browser, signInFlow, silentFlow } from './browser.ts';
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
  /** Set when a selected scenario needs `users` or `refresh-tokens`. */
  web?: Credentials & { redirectUri: string; scope: string };
  users: User[];
  /** Set when a selected scenario needs `device-codes`. */
  device?: Credentials;
  /** Set when a selected scenario needs `trusted-assertions`. */
  partner?: Partner;
  /** Set when a selected scenario needs `jwt-apis`. */
  jwt?: Credentials;
}

/** A partner client of the trusted grant: its credentials, the private key of its registered public key, and linked service user ids. */
export interface Partner {
  client: Credentials;
  privateKey: KeyObject;
  kid: string;
  /** Partner-side user ids, each linked to one of the seeded accounts. */
  subjects: string[];
}

/** Client ids of what the scenarios use. */
const BENCH_CLIENT_ID = 'bench.service';
const WEB_CLIENT_ID = 'bench.web';
const DEVICE_CLIENT_ID = 'bench.device';
const PARTNER_CLIENT_ID = 'bench.partner';
const JWT_CLIENT_ID = 'bench.jwt';
export const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
/** Where the web client's authorization responses go: nothing listens there, the bench reads the Location header. */
const WEB_REDIRECT_URI = 'http://127.0.0.1:9/cb';
/** Accounts that sign in (argon2id hashes made while seeding, ~50 ms each). */
const USERS = 8;

/**
 * Migrates the database and creates, through Propusk's services: a confidential client with
 * client_credentials for extern.api, and an api-key for extern.api's introspection client; for the
 * fixtures in `needs`: accounts with passwords and a web client (authorization code + refresh), a
 * device-flow client, a partner with the `trusted` permission, an RSA key and links to the accounts.
 * `env` is the provider's environment, so that keys are sealed with its master key.
 */
export async function seedPropusk(env: Record<string, string>, needs: ReadonlySet<FixtureKind> = new Set()): Promise<PropuskSeed> {
  const config = loadConfig(env);
  const ctx = await createContext(config, createLogger('warn'));
  try {
    const { key } = await ctx.clients.create({ clientId: BENCH_CLIENT_ID, name: 'Benchmark service client', grantTypes: ['client_credentials'], scopes: ['extern.api'] }, null);
    if (!key) throw new Error('the benchmark client got no api-key');
    const rs = await ctx.clients.issueKey(introspectionClientId('extern.api'), 'benchmark', null);
    const seed: PropuskSeed = { client: { clientId: key.client_id, secret: key.api_key }, introspector: { clientId: rs.client_id, secret: rs.api_key }, users: [] };

    const accountIds: string[] = [];
    if (needs.has('users') || needs.has('refresh-tokens') || needs.has('trusted-assertions')) {
      for (let i = 0; i < USERS; i++) {
        const user = { login: `bench-user-${i}@example.com`, password: `pw-${randomBytes(12).toString('base64url')}` };
        const account = await ctx.accounts.create({ login: user.login, password: user.password, givenName: 'Иван', familyName: 'Петров', emailVerified: true }, null);
        accountIds.push(account.id);
        seed.users.push(user);
      }
    }
    if (needs.has('users') || needs.has('refresh-tokens')) {
      const web = await ctx.clients.create({
        clientId: WEB_CLIENT_ID,
        name: 'Benchmark web application',
        grantTypes: ['authorization_code', 'refresh_token'],
        redirectUris: [WEB_REDIRECT_URI],
        scopes: ['openid', 'profile', 'email', 'extern.api'],
      }, null);
      if (!web.key) throw new Error('the web client got no api-key');
      seed.web = { clientId: web.key.client_id, secret: web.key.api_key, redirectUri: WEB_REDIRECT_URI, scope: 'openid profile extern.api' };
    }
    if (needs.has('device-codes')) {
      const device = await ctx.clients.create({ clientId: DEVICE_CLIENT_ID, name: 'Benchmark device', grantTypes: [DEVICE_GRANT], scopes: ['openid', 'extern.api'] }, null);
      if (!device.key) throw new Error('the device client got no api-key');
      seed.device = { clientId: device.key.client_id, secret: device.key.api_key };
    }
    if (needs.has('trusted-assertions')) {
      const partner = await ctx.clients.create({ clientId: PARTNER_CLIENT_ID, name: 'Benchmark partner', grantTypes: ['trusted'], scopes: ['extern.api'] }, null);
      if (!partner.key) throw new Error('the partner client got no api-key');
      await ctx.clients.setPermission(PARTNER_CLIENT_ID, 'trusted', true, null);
      const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const kid = `${PARTNER_CLIENT_ID}-1`;
      await ctx.partnerKeys.add(PARTNER_CLIENT_ID, JSON.stringify({ ...publicKey.export({ format: 'jwk' }), kid }), null);
      const subjects: string[] = [];
      for (const [i, accountId] of accountIds.entries()) {
        const subject = `partner-user-${i}`;
        await ctx.links.createBySupport(PARTNER_CLIENT_ID, subject, accountId, null);
        subjects.push(subject);
      }
      seed.partner = { client: { clientId: partner.key.client_id, secret: partner.key.api_key }, privateKey, kid, subjects };
    }
    if (needs.has('jwt-apis')) {
      for (const alg of JWT_ALGS) {
        await ctx.resources.create({ scope: jwtApiScope(alg), name: `Benchmark JWT API (${alg})`, accessTokenFormat: 'jwt', accessTokenSigningAlg: alg }, 'admin-cli');
      }
      const jwt = await ctx.clients.create({ clientId: JWT_CLIENT_ID, name: 'Benchmark JWT client', grantTypes: ['client_credentials'], scopes: JWT_ALGS.map(jwtApiScope) }, null);
      if (!jwt.key) throw new Error('the JWT client got no api-key');
      seed.jwt = { clientId: jwt.key.client_id, secret: jwt.key.api_key };
    }
    return seed;
  } finally {
    await ctx.close();
  }
}

/** How fast seeding may be at worst before we give up: tokens per second. */
const MIN_ISSUE_RATE = 50;

/**
 * Sends the same form POST `count` times over autocannon, `connections` at a time, and returns the
 * string field `field` of every JSON answer (seeding only; any answer without it fails the seed).
 */
async function collectField(opts: { url: string; headers: Record<string, string>; count: number; connections: number }, path: string, form: Record<string, string>, field: string): Promise<string[]> {
  if (opts.count === 0) return [];
  const bodies = await collect({
    url: opts.url,
    connections: Math.min(opts.connections, opts.count),
    amount: opts.count,
    maxSeconds: 30 + opts.count / MIN_ISSUE_RATE,
    request: {
      method: 'POST',
      path,
      headers: { ...opts.headers, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString(),
    },
  });
  return bodies.map((b, i) => {
    const value = (JSON.parse(b) as Record<string, unknown>)[field];
    if (typeof value !== 'string') throw new Error(`${path} response ${i} has no ${field}: ${b.slice(0, 200)}`);
    return value;
  });
}

/**
 * Issues `count` extern.api access tokens over HTTP (client_credentials), `connections` at a time,
 * and returns them. Works against any target that serves /connect/token.
 */
export function issueTokens(opts: { url: string; headers: Record<string, string>; client: Credentials; count: number; connections: number }): Promise<string[]> {
  const form = { grant_type: 'client_credentials', client_id: opts.client.clientId, client_secret: opts.client.secret, scope: 'extern.api' };
  return collectField(opts, '/connect/token', form, 'access_token');
}

/** Bounded-concurrency map over 0..count-1 (seeding over HTTP with fetch). */
async function inParallel<T>(count: number, concurrency: number, fn: (i: number, worker: number) => Promise<T>): Promise<T[]> {
  const out = new Array<T>(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async (_, worker) => {
      while (next < count) {
        const i = next++;
        out[i] = await fn(i, worker);
      }
    }),
  );
  return out;
}

/**
 * Unused refresh tokens of the web client: each seeded account signs in once through the pages
 * (password and consent), then authorize runs silently on copies of those sessions (code → token),
 * `concurrency` at a time, each giving one refresh token. No argon2 after the first sign-ins.
 */
export async function issueRefreshTokens(target: Target, count: number, concurrency = 16): Promise<string[]> {
  const users = target.fixtures.users;
  if (count === 0) return [];
  if (!target.fixtures.web || users.length === 0) throw new Error('refresh tokens need the web client and users');
  const sessions: Browser[] = [];
  for (const user of users) {
    const browser = new Browser(target);
    await signInFlow(browser, user);
    sessions.push(browser);
  }
  const workers = Array.from({ length: concurrency }, (_, i) => sessions[i % sessions.length]!.clone());
  return inParallel(count, concurrency, async (i, worker) => {
    const tokens = await silentFlow(workers[worker]!);
    if (!tokens.refresh_token) throw new Error(`code exchange ${i} gave no refresh_token`);
    return tokens.refresh_token;
  });
}

/**
 * Pending device codes: `count` device authorization requests (POST /connect/deviceauthorization)
 * as the device client, over autocannon. Nobody approves them.
 */
export function issueDeviceCodes(opts: { url: string; headers: Record<string, string>; device: Credentials; count: number; connections: number }): Promise<string[]> {
  const form = { client_id: opts.device.clientId, client_secret: opts.device.secret, scope: 'openid extern.api' };
  return collectField(opts, '/connect/deviceauthorization', form, 'device_code');
}

/** Lifetime of the pre-signed assertions: long enough for a whole bench run (the grant accepts up to 24 h). */
const ASSERTION_LIFETIME_SECONDS = 3600;

/**
 * Partner assertions for the trusted grant, signed with jose (RS256) here, before anything is
 * measured: each has its own jti (a JWT is accepted once) and names one of the linked subjects.
 */
export async function signAssertions(partner: Partner, count: number): Promise<string[]> {
  const iat = Math.floor(Date.now() / 1000);
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const sub = partner.subjects[i % partner.subjects.length]!;
    out.push(
      await new SignJWT({})
        .setProtectedHeader({ alg: 'RS256', kid: partner.kid })
        .setIssuer(partner.client.clientId)
        .setSubject(sub)
        .setJti(randomUUID())
        .setIssuedAt(iat)
        .setExpirationTime(iat + ASSERTION_LIFETIME_SECONDS)
        .sign(partner.privateKey),
    );
  }
  return out;
}
