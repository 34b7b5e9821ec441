/**
 * Storage conformance: the same tests against every backend — SQLite and
 * PostgreSQL — on a freshly migrated database (a new file, a new schema) that is removed at the end.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Migrator, sql } from 'kysely';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { openDatabase, migrate, type OpenedDatabase, type RunningChangeFeed } from '../../src/storage/database.ts';
import { createRepositories, type Repositories } from '../../src/storage/index.ts';
import { isSqlite } from '../../src/storage/dialect.ts';
import { ConsumeRaceLost, KyselyOidcAdapter, storedId } from '../../src/storage/oidc-adapter.ts';
import { directSqlite } from '../../src/storage/sqlite-dialect.ts';
import { sweepExpired } from '../../src/storage/sweeper.ts';
import { migrationProvider } from '../../src/storage/migrations/index.ts';
import { KyselyDevicePollRepository } from '../../src/storage/repositories/device-polls.ts';
import { KyselyResourceRepository } from '../../src/storage/repositories/resources.ts';
import { hashApiKey } from '../../src/clients/api-keys.ts';
import { loadConfig } from '../../src/config/index.ts';
import { createLogger } from '../../src/logger.ts';
import { createContext } from '../../src/context.ts';
import type { ChangeTopic } from '../../src/shared/changes.ts';
import type { Client } from '../../src/clients/types.ts';
import { createTestSchema, createTestSqlite, describePostgres } from './support.ts';

interface Backend {
  name: 'sqlite' | 'postgres';
  /** A new, empty database; `cleanup()` removes it. */
  newDatabase(): Promise<{ url: string; cleanup(): Promise<void> }>;
}

const uid = (prefix: string) => `${prefix}-${randomBytes(5).toString('hex')}`;
const HOUR = 3600_000;

/** Resolves with what `feed` delivers for `key` first, or rejects after `ms`. */
function nextChange(feed: RunningChangeFeed, key: string, ms = 1000): Promise<{ topic: ChangeTopic; key: string; afterMs: number }> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`change ${key} not delivered within ${ms} ms`));
    }, ms);
    const off = feed.subscribe((topic, k) => {
      if (k !== key) return;
      clearTimeout(timer);
      off();
      resolve({ topic, key: k, afterMs: Date.now() - started });
    });
  });
}

const migrateFixture = fileURLToPath(new URL('./fixtures/migrate.ts', import.meta.url));

function migrateInChildProcess(url: string): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', migrateFixture, url], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

async function waitFor(check: () => Promise<boolean>, ms: number): Promise<number> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > ms) throw new Error(`condition not met within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
  return Date.now() - started;
}

function newClient(clientId: string, overrides: Partial<Client> = {}): Omit<Client, 'createdAt' | 'updatedAt'> {
  return {
    clientId,
    name: `Клиент ${clientId}`,
    grantTypes: ['client_credentials', 'refresh_token'],
    redirectUris: ['https://app.example/cb'],
    postLogoutRedirectUris: [],
    scopes: ['extern.api', 'openid'],
    public: false,
    applicationType: 'web',
    permissions: ['trusted'],
    disabled: false,
    ...overrides,
  };
}

function conformance(backend: Backend): void {
  let database: { url: string; cleanup(): Promise<void> };
  let opened: OpenedDatabase;
  let repos: Repositories;

  before(async () => {
    database = await backend.newDatabase();
    opened = await openDatabase(database.url);
    await migrate(opened.db);
    repos = createRepositories(opened.db, opened.createChangeFeed());
    await repos.changes.start();
  });

  after(async () => {
    await repos?.changes.stop();
    await opened?.close();
    await database?.cleanup();
  });

  const newAccount = async (overrides: { phone?: string | null; disabled?: boolean } = {}) => {
    const id = randomUUID();
    return repos.accounts.create({
      id,
      login: `${id}@example.com`,
      email: `${id}@example.com`,
      emailVerified: true,
      phone: overrides.phone ?? null,
      givenName: 'Иван',
      familyName: 'Петров',
      middleName: null,
      passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA',
      disabled: overrides.disabled ?? false,
    });
  };

  it('opens the expected dialect; migrations are idempotent and safe when several processes start at once', async () => {
    assert.equal(opened.kind, backend.name);
    assert.equal(isSqlite(opened.db), backend.name === 'sqlite');
    await migrate(opened.db); // again: nothing to do

    // Three processes start at once on a new database: each migration is applied exactly once.
    const fresh = await backend.newDatabase();
    try {
      const codes = await Promise.all([1, 2, 3].map(() => migrateInChildProcess(fresh.url)));
      assert.deepEqual(codes.map((c) => c.code), [0, 0, 0], codes.map((c) => c.stderr).join('\n'));
      const check = await openDatabase(fresh.url);
      try {
        const names = Object.keys(await migrationProvider.getMigrations()).sort();
        const applied = await check.db.selectFrom('propusk_migration' as never).select('name' as never).orderBy('name' as never).execute();
        assert.deepEqual(applied.map((r) => (r as { name: string }).name), names);
        assert.deepEqual(await check.db.selectFrom('trusted_jti').selectAll().execute(), []);
      } finally {
        await check.close();
      }
    } finally {
      await fresh.cleanup();
    }
  });

  it('accounts: create, find by id/login/phone, list, update; booleans and times round-trip', async () => {
    const phone = String(9_000_000_000 + Math.floor(Math.random() * 999_999_999));
    const a = await newAccount({ phone });
    const b = await newAccount({ phone: String(Number(phone) + 1), disabled: true });
    await assert.rejects(newAccount({ phone }), 'a phone belongs to one account (unique index)');
    const found = await repos.accounts.findById(a.id);
    assert.deepEqual(found, a);
    assert.equal(found!.emailVerified, true);
    assert.equal(found!.disabled, false);
    assert.ok(found!.createdAt instanceof Date && Math.abs(found!.createdAt.getTime() - Date.now()) < 60_000);
    assert.deepEqual(await repos.accounts.findByLogin(a.login), a);
    assert.equal(await repos.accounts.findById('nobody'), undefined);
    assert.equal(await repos.accounts.findByLogin('nobody@example.com'), undefined);
    assert.deepEqual((await repos.accounts.findByPhone(phone)).map((x) => x.id), [a.id]);
    assert.equal((await repos.accounts.findById(b.id))!.disabled, true);

    const all = await repos.accounts.list();
    assert.ok(all.some((x) => x.id === a.id) && all.some((x) => x.id === b.id));
    const page = await repos.accounts.list({ limit: 1, offset: 1 });
    assert.equal(page.length, 1);
    assert.deepEqual(page[0], all[1]);

    const updated = await repos.accounts.update(a.id, { disabled: true, emailVerified: false, phone: null, givenName: 'Пётр', passwordHash: 'new-hash' });
    assert.equal(updated!.disabled, true);
    assert.equal(updated!.emailVerified, false);
    assert.equal(updated!.phone, null);
    assert.equal(updated!.givenName, 'Пётр');
    assert.equal(updated!.passwordHash, 'new-hash');
    assert.equal(updated!.familyName, 'Петров', 'fields not given are kept');
    assert.ok(updated!.updatedAt.getTime() >= a.updatedAt.getTime());
    assert.equal(await repos.accounts.update('nobody', { disabled: true }), undefined);

    await assert.rejects(repos.accounts.create({ ...a, id: randomUUID() }), 'login is unique');
  });

  it('clients: create, find, list, update; JSON and boolean columns round-trip', async () => {
    const id = uid('client');
    const created = await repos.clients.create(newClient(id));
    assert.deepEqual(await repos.clients.find(id), created);
    assert.equal(await repos.clients.find('no-such-client'), undefined);
    assert.ok((await repos.clients.list()).some((c) => c.clientId === id));
    const updated = await repos.clients.update(id, { disabled: true, scopes: ['openid'], redirectUris: [], permissions: [], grantTypes: ['authorization_code'], name: 'renamed' });
    assert.equal(updated!.disabled, true);
    assert.deepEqual(updated!.scopes, ['openid']);
    assert.deepEqual(updated!.redirectUris, []);
    assert.deepEqual(updated!.permissions, []);
    assert.deepEqual(updated!.grantTypes, ['authorization_code']);
    assert.equal(updated!.name, 'renamed');
    assert.equal(updated!.public, false);
    assert.equal(updated!.applicationType, 'web');
    const pub = await repos.clients.create(newClient(uid('public'), { public: true, applicationType: 'native' }));
    assert.equal((await repos.clients.find(pub.clientId))!.public, true);
    assert.equal((await repos.clients.find(pub.clientId))!.applicationType, 'native');
    await assert.rejects(repos.clients.create(newClient(id)), 'client_id is unique');
  });

  it('api-keys: create, list, active hashes (the lookup), revoke once, touch; hashes are unique', async () => {
    const clientId = uid('keys');
    await repos.clients.create(newClient(clientId));
    const k1 = await repos.apiKeys.create({ id: randomUUID(), clientId, hash: hashApiKey(randomUUID()), label: 'first', createdAt: new Date(Date.now() - 1000) });
    const k2 = await repos.apiKeys.create({ id: randomUUID(), clientId, hash: hashApiKey(randomUUID()), label: null, createdAt: new Date() });
    assert.deepEqual(await repos.apiKeys.listByClient(clientId), [k1, k2]);
    assert.deepEqual(
      (await repos.apiKeys.activeHashes(clientId)).map((k) => ({ ...k })).sort((a, b) => a.id.localeCompare(b.id)),
      [k1, k2].map((k) => ({ id: k.id, hash: k.hash })).sort((a, b) => a.id.localeCompare(b.id)),
    );
    assert.equal(await repos.apiKeys.revoke('another-client', k1.id, new Date()), false, 'only the owner client');
    const at = new Date();
    assert.equal(await repos.apiKeys.revoke(clientId, k1.id, at), true);
    assert.equal(await repos.apiKeys.revoke(clientId, k1.id, new Date()), false, 'already revoked');
    assert.deepEqual((await repos.apiKeys.activeHashes(clientId)).map((k) => ({ ...k })), [{ id: k2.id, hash: k2.hash }]);
    const touchedAt = new Date(Date.now() + 5);
    await repos.apiKeys.touch([k2.id], touchedAt);
    await repos.apiKeys.touch([], new Date());
    const listed = await repos.apiKeys.listByClient(clientId);
    assert.equal(listed[0]!.revokedAt!.getTime(), at.getTime());
    assert.equal(listed[1]!.lastUsedAt!.getTime(), touchedAt.getTime());
    await assert.rejects(repos.apiKeys.create({ id: randomUUID(), clientId, hash: k2.hash, label: null, createdAt: new Date() }), 'hash is unique');
    await assert.rejects(repos.apiKeys.create({ id: randomUUID(), clientId: 'no-such-client', hash: hashApiKey(randomUUID()), label: null, createdAt: new Date() }), 'the client must exist');
  });

  it('resources: create, list ordered by scope, find by scope and indicator', async () => {
    const scope = uid('zz.api');
    const r = await repos.resources.create({ indicator: `urn:test:${scope}`, scope, name: 'API', accessTokenFormat: 'jwt', accessTokenSigningAlg: 'ES256', accessTokenTtl: 600, introspectionClientId: null });
    const r2 = await repos.resources.create({ indicator: `urn:test:${scope}.b`, scope: `${scope}.b`, name: 'API b', accessTokenFormat: 'opaque', accessTokenSigningAlg: null, accessTokenTtl: null, introspectionClientId: 'rs.x' });
    assert.deepEqual(await repos.resources.findByScope(scope), r);
    assert.deepEqual(await repos.resources.findByIndicator(r2.indicator), r2);
    assert.equal(await repos.resources.findByScope('no.such.scope'), undefined);
    const scopes = (await repos.resources.list()).map((x) => x.scope);
    assert.deepEqual(scopes, [...scopes].sort(), 'ordered by scope');
    assert.ok(scopes.indexOf(scope) < scopes.indexOf(`${scope}.b`));
    await assert.rejects(repos.resources.create({ ...r, indicator: 'urn:test:other' }), 'scope is unique');
  });

  it('signing keys: insert if the seq is free (exactly one winner under concurrency), retire, delete retired', async () => {
    const before = await repos.signingKeys.list();
    const base = Math.max(0, ...before.map((k) => k.seq)) + 1;
    const key = (seq: number) => ({
      kid: uid('kid'),
      seq,
      alg: 'RS256' as const,
      publicJwk: { kty: 'RSA', n: 'AQAB', e: 'AQAB', kid: 'x' },
      sealedPrivateJwk: 'sealed',
      createdAt: new Date(),
      retiredAt: null,
    });
    const results = await Promise.all(Array.from({ length: 8 }, () => repos.signingKeys.insertIfSeqFree(key(base))));
    assert.equal(results.filter(Boolean).length, 1, 'one insert wins the seq');
    assert.equal(await repos.signingKeys.insertIfSeqFree(key(base)), false);
    assert.equal(await repos.signingKeys.insertIfSeqFree(key(base + 1)), true);
    const listed = await repos.signingKeys.list();
    assert.deepEqual(listed.map((k) => k.seq), [...listed.map((k) => k.seq)].sort((a, b) => a - b), 'ordered by seq');
    assert.deepEqual(listed.at(-1)!.publicJwk, key(0).publicJwk);
    const retiredAt = new Date(Date.now() - 10_000);
    await repos.signingKeys.retireAllBefore('RS256', base + 1, retiredAt);
    const afterRetire = await repos.signingKeys.list();
    assert.ok(afterRetire.filter((k) => k.seq <= base).every((k) => k.retiredAt !== null));
    assert.equal(afterRetire.find((k) => k.seq === base + 1)!.retiredAt, null);
    assert.equal(await repos.signingKeys.deleteRetiredBefore(new Date(retiredAt.getTime() + 1)), afterRetire.filter((k) => k.seq <= base).length);
    assert.deepEqual((await repos.signingKeys.list()).map((k) => k.seq), [base + 1]);
  });

  it('signing keys: retiring keys of one algorithm leaves the other algorithms’ keys signing; the alg round-trips', async () => {
    const base = Math.max(0, ...(await repos.signingKeys.list()).map((k) => k.seq)) + 1;
    const key = (seq: number, alg: 'RS256' | 'ES256' | 'EdDSA') => ({
      kid: uid('kid'),
      seq,
      alg,
      publicJwk: { kty: 'EC', crv: 'P-256', x: 'x', y: 'y', kid: 'x' },
      sealedPrivateJwk: 'sealed',
      createdAt: new Date(),
      retiredAt: null,
    });
    const es = key(base, 'ES256');
    const ed = key(base + 1, 'EdDSA');
    const es2 = key(base + 2, 'ES256');
    for (const k of [es, ed, es2]) assert.equal(await repos.signingKeys.insertIfSeqFree(k), true);
    await repos.signingKeys.retireAllBefore('ES256', es2.seq, new Date());
    const stored = new Map((await repos.signingKeys.list()).map((k) => [k.kid, k]));
    assert.notEqual(stored.get(es.kid)!.retiredAt, null, 'the older ES256 key is retired');
    assert.equal(stored.get(ed.kid)!.retiredAt, null, 'an EdDSA key with a lower seq is not');
    assert.equal(stored.get(es2.kid)!.retiredAt, null);
    assert.deepEqual([stored.get(es.kid)!.alg, stored.get(ed.kid)!.alg], ['ES256', 'EdDSA']);
  });

  it('secrets: the first writer wins, also under concurrency', async () => {
    const name = uid('secret');
    assert.equal(await repos.secrets.get(name), undefined);
    const values = await Promise.all(Array.from({ length: 8 }, (_, i) => repos.secrets.putIfAbsent(name, `value-${i}`)));
    assert.equal(new Set(values).size, 1);
    assert.equal(await repos.secrets.get(name), values[0]);
    assert.equal(await repos.secrets.putIfAbsent(name, 'later'), values[0]);
  });

  it('audit: append and tail by time, type and limit, oldest first, numeric ids', async () => {
    const type = uid('audit.test');
    const t0 = Date.now() - 10_000;
    for (let i = 0; i < 5; i++) {
      await repos.audit.append({ at: new Date(t0 + i * 1000), type, actor: 'cli', clientId: i % 2 ? 'c' : null, accountId: null, outcome: i === 4 ? 'failure' : 'success', details: { i, name: 'ё' } });
    }
    const all = await repos.audit.tail({ type });
    assert.deepEqual(all.map((e) => (e.details as { i: number }).i), [0, 1, 2, 3, 4]);
    assert.ok(all.every((e) => typeof e.id === 'number'));
    assert.equal(all[4]!.outcome, 'failure');
    assert.equal(all[1]!.clientId, 'c');
    assert.equal(all[0]!.at.getTime(), t0);
    assert.deepEqual((await repos.audit.tail({ type, limit: 2 })).map((e) => (e.details as { i: number }).i), [3, 4], 'the newest, oldest first');
    assert.deepEqual((await repos.audit.tail({ type, since: new Date(t0 + 3000) })).map((e) => (e.details as { i: number }).i), [3, 4]);
  });

  it('audit: find by type, actor, client, account and time, by id both ways; a counting row by its first and last event', async () => {
    const clientId = uid('audit-find');
    const t0 = Date.parse('2026-03-01T00:00:00Z');
    // Events 0..9 one second apart; every third by an operator, odd ones about an account.
    for (let i = 0; i < 10; i++) {
      await repos.audit.append({ at: new Date(t0 + i * 1000), type: i % 2 ? 'client.enabled' : 'client.disabled', actor: i % 3 ? 'admin-cli' : 'client:ops', clientId, accountId: i % 2 ? `${clientId}-acct` : null, outcome: 'success', details: { i } });
    }
    // A row counting three failures at t0+20 s, t0+25 s and t0+30 s.
    for (const s of [20, 25, 30]) await repos.audit.append({ at: new Date(t0 + s * 1000), type: 'login.failed', actor: null, clientId, accountId: null, outcome: 'failure', details: { i: 'counted' } }, `${clientId}-agg`);
    const is = (events: { details: Record<string, unknown> }[]) => events.map((e) => e.details.i);
    const find = (f: Parameters<Repositories['audit']['find']>[0], limit = 50) => repos.audit.find({ clientId, ...f }, { order: 'asc', limit });

    const all = await repos.audit.find({ clientId }, { order: 'desc', limit: 50 });
    assert.deepEqual(is(all), ['counted', 9, 8, 7, 6, 5, 4, 3, 2, 1, 0]);
    assert.equal(all[0]!.count, 3);
    assert.equal(all[0]!.lastAt?.getTime(), t0 + 30_000);
    assert.deepEqual(is(await repos.audit.find({ clientId }, { order: 'desc', beforeId: all[3]!.id, limit: 3 })), [6, 5, 4]);
    assert.deepEqual(is(await repos.audit.find({ clientId }, { order: 'asc', afterId: all[7]!.id, limit: 3 })), [4, 5, 6]);
    assert.deepEqual(is(await repos.audit.find({ clientId }, { order: 'asc', afterId: all[7]!.id, throughId: all[5]!.id, limit: 3 })), [4, 5], 'up to throughId included');
    assert.deepEqual(is(await find({ types: ['client.enabled'] })), [1, 3, 5, 7, 9]);
    assert.deepEqual(is(await find({ types: ['client.enabled', 'login.failed'] })), [1, 3, 5, 7, 9, 'counted']);
    assert.deepEqual(is(await find({ actor: 'client:ops' })), [0, 3, 6, 9]);
    assert.deepEqual(is(await find({ accountId: `${clientId}-acct`, actor: 'client:ops' })), [3, 9]);
    assert.deepEqual(is(await find({ accountId: `${clientId}-acct` }, 2)), [1, 3]);
    assert.deepEqual(is(await repos.audit.find({ clientId: `${clientId}-other` }, { order: 'asc', limit: 50 })), []);
    // since: at or after (a counting row: its last event); until: before (a counting row: its first event).
    assert.deepEqual(is(await find({ since: new Date(t0 + 8000) })), [8, 9, 'counted']);
    assert.deepEqual(is(await find({ since: new Date(t0 + 30_000) })), ['counted'], 'the last counted event is at since');
    assert.deepEqual(is(await find({ since: new Date(t0 + 30_001) })), []);
    assert.deepEqual(is(await find({ until: new Date(t0 + 2000) })), [0, 1], 'until is exclusive');
    assert.deepEqual(is(await find({ until: new Date(t0 + 20_000) })), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 'the first counted event is at until');
    assert.deepEqual(is(await find({ since: new Date(t0 + 22_000), until: new Date(t0 + 23_000) })), ['counted'], 'a range inside a counting row');
    assert.deepEqual(is(await find({ since: new Date(t0 + 2000), until: new Date(t0 + 5000), types: ['client.disabled'] })), [2, 4]);
  });

  it('audit: the filters by type, client and account walk their indexes in id order', async () => {
    const lookups: [ReturnType<typeof sql>, string][] = [
      [sql`select id from audit_event where type = ${'token.issued'} order by id desc limit 51`, 'audit_event_type'],
      [sql`select id from audit_event where client_id = ${'c'} order by id desc limit 51`, 'audit_event_client_id'],
      [sql`select id from audit_event where account_id = ${'a'} and id < ${1000} order by id desc limit 51`, 'audit_event_account_id'],
    ];
    for (const [lookup, index] of lookups) {
      const plan = await opened.db.connection().execute(async (conn) => {
        if (isSqlite(opened.db)) return JSON.stringify((await sql`explain query plan ${lookup}`.execute(conn)).rows);
        // The planner would rightly scan a near-empty table; the question is whether the index qualifies and gives the order.
        return await conn.transaction().execute(async (tx) => {
          await sql`set local enable_seqscan = off`.execute(tx);
          await sql`set local enable_bitmapscan = off`.execute(tx);
          return JSON.stringify((await sql`explain ${lookup}`.execute(tx)).rows);
        });
      });
      assert.match(plan, new RegExp(`${index}\\b`), `${index} is used: ${plan}`);
      assert.doesNotMatch(plan, /TEMP B-TREE|Sort/, `no sort: ${plan}`);
    }
  });

  it('partner keys: add, list by client, remove; one kid per client', async () => {
    const clientId = uid('partner');
    await repos.clients.create(newClient(clientId));
    const k = { id: randomUUID(), clientId, kid: 'k1', x5t: 'x5t', x5tS256: 'x5ts256', publicJwk: { kty: 'RSA', n: 'n', e: 'AQAB' }, source: 'certificate' as const, notBefore: new Date(Date.now() - HOUR), notAfter: new Date(Date.now() + HOUR), createdAt: new Date(Date.now() - 1) };
    const bare = { id: randomUUID(), clientId, kid: 'k2', publicJwk: { kty: 'RSA', n: 'm', e: 'AQAB' }, source: 'jwk' as const, createdAt: new Date() };
    await repos.partnerKeys.add(k);
    await repos.partnerKeys.add(bare);
    assert.deepEqual(await repos.partnerKeys.listByClient(clientId), [k, bare]);
    await assert.rejects(repos.partnerKeys.add({ ...bare, id: randomUUID() }), 'kid is unique per client');
    assert.equal(await repos.partnerKeys.remove('other-client', k.id), false);
    assert.equal(await repos.partnerKeys.remove(clientId, k.id), true);
    assert.equal(await repos.partnerKeys.remove(clientId, k.id), false);
    assert.deepEqual(await repos.partnerKeys.listByClient(clientId), [bare]);
  });

  it('external links: create, find, list by client and account, remove; one link per partner user', async () => {
    const clientId = uid('linker');
    await repos.clients.create(newClient(clientId));
    const a = await newAccount();
    const b = await newAccount();
    const l1 = { clientId, serviceUserId: 'u-1', accountId: a.id, createdAt: new Date(), createdBy: 'partner' as const };
    const l2 = { clientId, serviceUserId: 'u-2', accountId: b.id, createdAt: new Date(), createdBy: 'support' as const };
    await repos.links.create(l1);
    await repos.links.create(l2);
    assert.deepEqual(await repos.links.find(clientId, 'u-1'), l1);
    assert.equal(await repos.links.find(clientId, 'u-3'), undefined);
    await assert.rejects(repos.links.create({ ...l1, accountId: b.id }), 'one link per (client, service user)');
    assert.deepEqual(await repos.links.list({ clientId }), [l1, l2]);
    assert.deepEqual(await repos.links.list({ accountId: b.id }), [l2]);
    assert.equal(await repos.links.remove(clientId, 'u-1'), true);
    assert.equal(await repos.links.remove(clientId, 'u-1'), false);
    assert.deepEqual(await repos.links.list({ clientId }), [l2]);
  });

  it('trusted jti: recorded once; a replay is refused, also when sent concurrently; an expired record frees the jti', async () => {
    const issuer = uid('iss');
    const exp = new Date(Date.now() + 60_000);
    assert.equal(await repos.trustedJti.recordOnce(issuer, 'j1', exp), true);
    assert.equal(await repos.trustedJti.recordOnce(issuer, 'j1', exp), false);
    assert.equal(await repos.trustedJti.recordOnce(`${issuer}-other`, 'j1', exp), true, 'per issuer');

    for (let round = 0; round < 3; round++) {
      const jti = uid('race');
      const results = await Promise.all(Array.from({ length: 20 }, () => repos.trustedJti.recordOnce(issuer, jti, exp)));
      assert.equal(results.filter(Boolean).length, 1, 'exactly one concurrent request wins');
    }

    await repos.trustedJti.recordOnce(issuer, 'old', new Date(Date.now() - 1000));
    assert.equal(await repos.trustedJti.recordOnce(issuer, 'old', exp), true, 'an expired, unswept record no longer blocks');
    assert.equal(await repos.trustedJti.recordOnce(issuer, 'old', exp), false);
    const expiredRace = uid('expired-race');
    await repos.trustedJti.recordOnce(issuer, expiredRace, new Date(Date.now() - 1000));
    const results = await Promise.all(Array.from({ length: 20 }, () => repos.trustedJti.recordOnce(issuer, expiredRace, exp)));
    assert.equal(results.filter(Boolean).length, 1, 'exactly one wins the re-use of an expired record');
  });

  describe('oidc-provider adapter', () => {
    it('finds by id, uid and user code, per model; upsert replaces payload and lookups', async () => {
      const devices = new KyselyOidcAdapter(opened.db, 'DeviceCode');
      const sessions = new KyselyOidcAdapter(opened.db, 'Session');
      const id = uid('dc');
      const userCode = randomBytes(4).toString('hex').toUpperCase();
      await devices.upsert(id, { kind: 'DeviceCode', userCode, uid: `${id}-uid`, clientId: 'c', params: { scope: 'openid', note: 'ё' } }, 600);
      assert.deepEqual((await devices.find(id))?.params, { scope: 'openid', note: 'ё' });
      assert.equal((await devices.findByUserCode(userCode))?.uid, `${id}-uid`);
      assert.equal((await devices.findByUid(`${id}-uid`))?.userCode, userCode);
      assert.equal(await sessions.find(id), undefined, 'lookups are per model');
      assert.equal(await sessions.findByUserCode(userCode), undefined);
      assert.equal(await sessions.findByUid(`${id}-uid`), undefined);
      assert.equal(await devices.find('missing'), undefined);

      await devices.upsert(id, { kind: 'DeviceCode', userCode, uid: `${id}-uid`, accountId: 'acc', grantId: 'g', clientId: 'c' }, 600);
      const again = await devices.find(id);
      assert.equal(again?.accountId, 'acc');
      assert.equal(again?.params, undefined, 'the payload is replaced');
      const row = await opened.db.selectFrom('oidc_model').selectAll().where('id', '=', storedId('DeviceCode', id)).executeTakeFirstOrThrow();
      assert.equal(row.account_id, 'acc');
      assert.equal(row.grant_id, 'g');
      assert.equal(typeof row.expires_at, 'number');

      await sessions.upsert(`${id}-s`, { kind: 'Session', uid: `${id}-suid` }, 0);
      assert.ok(await sessions.findByUid(`${id}-suid`), 'expiresIn 0 never expires');
      assert.equal((await opened.db.selectFrom('oidc_model').select('expires_at').where('id', '=', storedId('Session', `${id}-s`)).executeTakeFirstOrThrow()).expires_at, null);
    });

    it('bearer secrets are keyed by their SHA-256 and left out of the stored payload; lookups give them back', async () => {
      const masterKey = randomBytes(32);
      const rowsOf = async (model: string) => (await opened.db.selectFrom('oidc_model').selectAll().where('model', '=', model).execute()).map((r) => JSON.stringify(r));
      for (const model of ['AccessToken', 'ClientCredentials', 'RefreshToken', 'AuthorizationCode', 'DeviceCode', 'Session']) {
        const adapter = new KyselyOidcAdapter(opened.db, model, { masterKey });
        const value = randomBytes(32).toString('base64url');
        const userCode = randomBytes(4).toString('hex').toUpperCase();
        const sessionUid = uid('uid');
        await adapter.upsert(value, { kind: model, jti: value, uid: sessionUid, userCode, grantId: uid('g') }, 600);
        assert.ok(!(await rowsOf(model)).some((r) => r.includes(value)), `${model}: the value is in no row`);
        assert.equal(storedId(model, value), createHash('sha256').update(value).digest('base64url'));
        assert.equal((await adapter.find(value))?.jti, value, `${model}: found by the value, which comes back as jti`);
        await adapter.consume(value);
        assert.equal(typeof (await adapter.find(value))?.consumed, 'number', `${model}: consumed by the value`);
        if (model === 'DeviceCode') {
          assert.equal((await adapter.findByUserCode(userCode))?.jti, value, 'a device code found by its user code knows its id (sealed)');
          await assert.rejects(new KyselyOidcAdapter(opened.db, model, { masterKey: randomBytes(32) }).findByUserCode(userCode), /PROPUSK_MASTER_KEY/);
        }
        if (model === 'Session') {
          const byUid = await adapter.findByUid(sessionUid);
          assert.ok(byUid && byUid.jti !== value, 'a session is found by uid, without its cookie');
        }
        await adapter.destroy(value);
        assert.equal(await adapter.find(value), undefined, `${model}: destroyed by the value`);
      }
      const grants = new KyselyOidcAdapter(opened.db, 'Grant');
      const grantId = uid('grant');
      await grants.upsert(grantId, { kind: 'Grant', jti: grantId, accountId: 'a' }, 600);
      assert.equal((await opened.db.selectFrom('oidc_model').select('id').where('model', '=', 'Grant').where('id', '=', grantId).execute()).length, 1, 'grant ids are no secret: kept as they are');

      const interactions = new KyselyOidcAdapter(opened.db, 'Interaction', { masterKey });
      const interaction = uid('int');
      const cookie = randomBytes(21).toString('base64url');
      const deviceCode = randomBytes(32).toString('base64url');
      await interactions.upsert(interaction, { kind: 'Interaction', jti: interaction, session: { accountId: 'a', uid: 'u', cookie }, deviceCode }, 600);
      const stored = JSON.stringify(await opened.db.selectFrom('oidc_model').selectAll().where('model', '=', 'Interaction').where('id', '=', interaction).executeTakeFirstOrThrow());
      assert.ok(!stored.includes(cookie) && !stored.includes(deviceCode), stored);
      const found = await interactions.find(interaction);
      assert.deepEqual(found?.session, { accountId: 'a', uid: 'u' }, 'the copy of the session cookie is dropped');
      assert.equal(found?.deviceCode, deviceCode, 'the device code under approval comes back');
    });

    it('migration 0008 re-keys stored secrets by their hash and drops them from payloads; the adapter finds them', async () => {
      const legacy = await backend.newDatabase();
      const db = await openDatabase(legacy.url);
      try {
        const schema = isSqlite(db.db) ? undefined : (await sql<{ schema: string }>`select current_schema() as schema`.execute(db.db)).rows[0]?.schema;
        const migrator = new Migrator({ db: db.db, provider: migrationProvider, migrationTableName: 'propusk_migration', migrationLockTableName: 'propusk_migration_lock', ...(schema ? { migrationTableSchema: schema } : {}) });
        const before = await migrator.migrateTo('0007-consents');
        assert.equal(before.error, undefined);
        const value = (n: number) => `${'legacy'.padEnd(10, '-')}${n}-${randomBytes(16).toString('base64url')}`;
        const rows = ['AccessToken', 'RefreshToken', 'AuthorizationCode', 'Session', 'DeviceCode', 'Grant'].map((model, i) => ({ model, id: value(i), userCode: `UC${i}` }));
        const row = (r: (typeof rows)[number]) => ({ model: r.model, id: r.id, payload: JSON.stringify({ kind: r.model, jti: r.id, ...(r.model === 'DeviceCode' ? { userCode: r.userCode } : {}) }), grant_id: null, user_code: r.model === 'DeviceCode' ? r.userCode : null, uid: null, account_id: null, client_id: null, expires_at: Date.now() + HOUR, consumed_at: null });
        await db.db.insertInto('oidc_model').values(rows.map(row)).execute();
        const cookie = value(9);
        await db.db.insertInto('oidc_model').values({ model: 'Interaction', id: 'int-1', payload: JSON.stringify({ kind: 'Interaction', jti: 'int-1', session: { accountId: 'a', cookie } }), grant_id: null, user_code: null, uid: null, account_id: null, client_id: null, expires_at: Date.now() + HOUR, consumed_at: null }).execute();
        const deviceCode = rows.find((r) => r.model === 'DeviceCode')!.id;
        await db.db.insertInto('device_poll').values({ id: deviceCode, last_poll_at: Date.now(), interval_seconds: 3, expires_at: Date.now() + HOUR }).execute();

        await migrate(db.db);

        const all = JSON.stringify(await db.db.selectFrom('oidc_model').selectAll().execute());
        for (const r of rows) {
          const adapter = new KyselyOidcAdapter(db.db, r.model);
          assert.equal((await adapter.find(r.id))?.jti, r.id, `${r.model} is found after the migration`);
          if (r.model === 'Grant') assert.ok(all.includes(r.id), 'a grant id stays');
          else if (r.model !== 'DeviceCode') assert.ok(!all.includes(r.id), `${r.model}: the value is gone from the table`);
        }
        assert.equal((await new KyselyOidcAdapter(db.db, 'DeviceCode').findByUserCode('UC4'))?.jti, deviceCode, 'a pending device code keeps working through its user code');
        assert.ok(!all.includes(cookie), 'the interaction lost its copy of the session cookie');
        assert.deepEqual((await db.db.selectFrom('device_poll').select('id').execute()).map((p) => p.id), [storedId('DeviceCode', deviceCode)]);
      } finally {
        await db.close();
        await legacy.cleanup();
      }
    });

    it('migration 0021: existing JWT resources keep RS256, opaque ones get no algorithm', async () => {
      const legacy = await backend.newDatabase();
      const db = await openDatabase(legacy.url);
      try {
        const schema = isSqlite(db.db) ? undefined : (await sql<{ schema: string }>`select current_schema() as schema`.execute(db.db)).rows[0]?.schema;
        const migrator = new Migrator({ db: db.db, provider: migrationProvider, migrationTableName: 'propusk_migration', migrationLockTableName: 'propusk_migration_lock', ...(schema ? { migrationTableSchema: schema } : {}) });
        assert.equal((await migrator.migrateTo('0020-second-factor')).error, undefined);
        const legacyResource = (scope: string, format: string) =>
          sql`insert into resource (indicator, scope, name, access_token_format, access_token_ttl, introspection_client_id, created_at)
              values (${`urn:old:${scope}`}, ${scope}, ${scope}, ${format}, null, null, ${Date.now()})`.execute(db.db);
        await legacyResource('old.jwt', 'jwt');
        await legacyResource('old.opaque', 'opaque');

        await migrate(db.db);

        const rows = await db.db.selectFrom('resource').select(['scope', 'access_token_signing_alg']).where('scope', 'like', 'old.%').orderBy('scope').execute();
        assert.deepEqual(rows.map((r) => [r.scope, r.access_token_signing_alg]), [['old.jwt', 'RS256'], ['old.opaque', null]]);
        const repo = new KyselyResourceRepository(db.db);
        assert.equal((await repo.findByScope('old.jwt'))?.accessTokenSigningAlg, 'RS256');
        assert.equal((await repo.findByScope('old.opaque'))?.accessTokenSigningAlg, null);
      } finally {
        await db.close();
        await legacy.cleanup();
      }
    });

    it('migration 0012: public clients keep their type, confidential ones become web unless they use a private-use scheme', async () => {
      const legacy = await backend.newDatabase();
      const db = await openDatabase(legacy.url);
      try {
        const schema = isSqlite(db.db) ? undefined : (await sql<{ schema: string }>`select current_schema() as schema`.execute(db.db)).rows[0]?.schema;
        const migrator = new Migrator({ db: db.db, provider: migrationProvider, migrationTableName: 'propusk_migration', migrationLockTableName: 'propusk_migration_lock', ...(schema ? { migrationTableSchema: schema } : {}) });
        assert.equal((await migrator.migrateTo('0008-hashed-token-ids')).error, undefined);
        const now = Date.now();
        const legacyClient = (clientId: string, isPublic: boolean, redirectUris: string[]) =>
          sql`insert into client (client_id, name, grant_types, redirect_uris, post_logout_redirect_uris, scopes, public, permissions, disabled, created_at, updated_at)
              values (${clientId}, ${clientId}, '["authorization_code"]', ${JSON.stringify(redirectUris)}, '[]', 'openid', ${isPublic ? 1 : 0}, '[]', 0, ${now}, ${now})`.execute(db.db);
        await legacyClient('old.web', false, ['http://localhost:8765/callback', 'https://app.example/cb']);
        await legacyClient('old.public', true, ['http://127.0.0.1/cb']);
        await legacyClient('old.scheme', false, ['com.example.app:/cb']);
        await legacyClient('old.spa', true, ['https://spa.example/cb']);

        await migrate(db.db);

        // The clients inserted before migration 0012 (later migrations add Propusk's own).
        const types = Object.fromEntries((await db.db.selectFrom('client').select(['client_id', 'application_type']).where('client_id', 'like', 'old.%').execute()).map((r) => [r.client_id, r.application_type]));
        assert.deepEqual(types, { 'old.web': 'web', 'old.public': 'native', 'old.scheme': 'native', 'old.spa': 'web' });
      } finally {
        await db.close();
        await legacy.cleanup();
      }
    });

    it('concurrent statements: one that fails fails only its own caller; on SQLite they also keep their order', async () => {
      const tokens = new KyselyOidcAdapter(opened.db, 'AccessToken');
      const ids = Array.from({ length: 40 }, () => uid('at'));
      const bad = uid('bad');
      // A payload that serialises to nothing violates `payload NOT NULL` on both backends.
      const unstorable = { toJSON: () => undefined } as unknown as Parameters<KyselyOidcAdapter['upsert']>[1];
      const settled = await Promise.allSettled([
        ...ids.map((id) => tokens.upsert(id, { kind: 'AccessToken', clientId: 'c' }, 600)),
        tokens.upsert(bad, unstorable, 600),
      ]);
      assert.deepEqual(
        settled.map((r) => r.status),
        settled.map((_, i) => (i === ids.length ? 'rejected' : 'fulfilled')),
      );
      await Promise.all(ids.slice(0, 10).map((id) => tokens.destroy(id)));
      assert.deepEqual((await Promise.all(ids.map((id) => tokens.find(id)))).map(Boolean), ids.map((_, i) => i >= 10));
      assert.equal(await tokens.find(bad), undefined);

      if (isSqlite(opened.db)) {
        // One connection, statements in the order issued (PostgreSQL's pool runs them in parallel).
        const id = uid('at');
        const written = tokens.upsert(id, { kind: 'AccessToken', clientId: 'c' }, 600);
        const read = tokens.find(id);
        const destroyed = tokens.destroy(id);
        const gone = tokens.find(id);
        await Promise.all([written, destroyed]);
        assert.equal((await read)?.clientId, 'c', 'a read sees the writes issued before it');
        assert.equal(await gone, undefined);
      }
    });

    it('lookups by user code, uid, grant, account and client use their (partial) indexes', async () => {
      const lookups = [
        sql`select payload from oidc_model where model = ${'DeviceCode'} and user_code = ${'BDWPHQPK'}`,
        sql`select payload from oidc_model where model = ${'Session'} and uid = ${'u'}`,
        sql`select id from oidc_model where grant_id = ${'g'}`,
        sql`select id from oidc_model where account_id = ${'a'}`,
        sql`select id from oidc_model where client_id = ${'c'}`,
      ];
      const indexes = ['oidc_model_user_code', 'oidc_model_uid', 'oidc_model_grant_id', 'oidc_model_account_id', 'oidc_model_client_id'];
      for (const [i, lookup] of lookups.entries()) {
        const plan = await opened.db.connection().execute(async (conn) => {
          if (isSqlite(opened.db)) {
            return JSON.stringify((await sql`explain query plan ${lookup}`.execute(conn)).rows);
          }
          // The planner would rightly scan a near-empty table; the question is whether the index qualifies.
          return await conn.transaction().execute(async (tx) => {
            await sql`set local enable_seqscan = off`.execute(tx);
            return JSON.stringify((await sql`explain ${lookup}`.execute(tx)).rows);
          });
        });
        assert.match(plan, new RegExp(indexes[i]!), `${indexes[i]} is used: ${plan}`);
      }
    });

    it("statements issued while another caller's transaction is open neither join it nor see its uncommitted rows", async () => {
      const tokens = new KyselyOidcAdapter(opened.db, 'AccessToken');
      const inside = uid('tx');
      const outside = uid('out');
      let reached!: () => void;
      const atAwait = new Promise<void>((resolve) => (reached = resolve));
      let proceed!: () => void;
      const resume = new Promise<void>((resolve) => (proceed = resolve));
      const transaction = opened.db.transaction().execute(async (trx) => {
        await trx.insertInto('oidc_model').values({ model: 'AccessToken', id: inside, payload: '{}', grant_id: null, user_code: null, uid: null, account_id: null, client_id: null, expires_at: null, consumed_at: null }).execute();
        reached();
        await resume;
        throw new Error('rolled back on purpose');
      });
      await atAwait;
      const written = tokens.upsert(outside, { kind: 'AccessToken', clientId: 'c' }, 600);
      const seen = tokens.find(inside);
      // Their turn to run comes while the transaction still waits.
      await new Promise((resolve) => setTimeout(resolve, 20));
      proceed();
      await assert.rejects(transaction, /rolled back on purpose/);
      await written;
      assert.equal(await seen, undefined, 'the uncommitted row was not visible');
      assert.equal((await tokens.find(outside))?.clientId, 'c', 'the upsert survived the rollback');
      assert.equal(await tokens.find(inside), undefined);
    });

    it('a statement still queued when its database is closed is refused to its caller', async () => {
      const other = await openDatabase(database.url);
      const tokens = new KyselyOidcAdapter(other.db, 'AccessToken');
      const queued = tokens.upsert(uid('late'), { kind: 'AccessToken', clientId: 'c' }, 600);
      // Closed before the queue runs (on PostgreSQL the statement is already on its way: it settles either way).
      directSqlite(other.db)?.database.close();
      const closing = other.close();
      if (isSqlite(other.db)) await assert.rejects(queued, /not open/);
      else await Promise.allSettled([queued]);
      await closing;
    });

    it('token models: finds of one value in AccessToken, ClientCredentials and RefreshToken at once each get their own row', async () => {
      const access = new KyselyOidcAdapter(opened.db, 'AccessToken');
      const service = new KyselyOidcAdapter(opened.db, 'ClientCredentials');
      const refresh = new KyselyOidcAdapter(opened.db, 'RefreshToken');
      const id = uid('tok');
      await service.upsert(id, { kind: 'ClientCredentials', clientId: 'svc' }, 600);
      // How oidc-provider's introspection and revocation look a value up (helpers/token_find.js).
      const [a, c, r] = await Promise.all([access.find(id), service.find(id), refresh.find(id)]);
      assert.equal(a, undefined);
      assert.equal(c?.clientId, 'svc');
      assert.equal(r, undefined);
      const other = uid('tok');
      await refresh.upsert(other, { kind: 'RefreshToken', clientId: 'web' }, 600);
      assert.deepEqual(
        (await Promise.all([access.find(other), service.find(other), refresh.find(other), service.find(id)])).map((p) => p?.clientId),
        [undefined, undefined, 'web', 'svc'],
      );

      if (isSqlite(opened.db)) {
        // A find issued after a write never shares a lookup of the same value that started before it.
        const fresh = uid('tok');
        const before = service.find(fresh);
        const written = service.upsert(fresh, { kind: 'ClientCredentials', clientId: 'svc' }, 600);
        const after = service.find(fresh);
        await written;
        assert.equal(await before, undefined);
        assert.equal((await after)?.clientId, 'svc', 'the find after the upsert sees it');

        const used = refresh.find(other);
        const consumed = refresh.consume(other);
        const afterConsume = refresh.find(other);
        await consumed;
        assert.equal((await used)?.consumed, undefined);
        assert.equal(typeof (await afterConsume)?.consumed, 'number', 'the find after consume sees it consumed');

        const alive = service.find(id);
        const gone = service.destroy(id);
        const afterDestroy = service.find(id);
        await gone;
        assert.equal((await alive)?.clientId, 'svc');
        assert.equal(await afterDestroy, undefined, 'the find after destroy does not find it');
      }
    });

    it('consume marks the artefact; destroy removes it; expired rows are invisible', async () => {
      const codes = new KyselyOidcAdapter(opened.db, 'AuthorizationCode');
      const id = uid('code');
      await codes.upsert(id, { kind: 'AuthorizationCode', grantId: uid('g') }, 60);
      assert.equal((await codes.find(id))?.consumed, undefined);
      const before = Math.floor(Date.now() / 1000);
      await codes.consume(id);
      const consumed = (await codes.find(id))?.consumed;
      assert.equal(typeof consumed, 'number');
      assert.ok((consumed as number) >= before - 1 && (consumed as number) <= before + 1);
      await codes.destroy(id);
      assert.equal(await codes.find(id), undefined);

      await codes.upsert(`${id}-old`, { kind: 'AuthorizationCode' }, 60);
      await opened.db.updateTable('oidc_model').set({ expires_at: Date.now() - 1 }).where('id', '=', storedId('AuthorizationCode', `${id}-old`)).execute();
      assert.equal(await codes.find(`${id}-old`), undefined);
    });

    it('consume succeeds once: a second or racing consume of the same artefact is invalid_grant, naming the grant to revoke', async () => {
      const codes = new KyselyOidcAdapter(opened.db, 'AuthorizationCode');
      const id = uid('code');
      const grantId = uid('g');
      await codes.upsert(id, { kind: 'AuthorizationCode', grantId }, 60);
      await codes.consume(id);
      await assert.rejects(codes.consume(id), (err: { error?: string; error_detail?: string }) => err.error === 'invalid_grant' && err.error_detail === 'authorization code already used');
      await assert.rejects(codes.consume(id), (err) => err instanceof ConsumeRaceLost && err.grantId === grantId);

      const device = new KyselyOidcAdapter(opened.db, 'DeviceCode');
      const raced = uid('device');
      await device.upsert(raced, { kind: 'DeviceCode', grantId: uid('g') }, 60);
      const outcomes = await Promise.allSettled(Array.from({ length: 10 }, () => device.consume(raced)));
      assert.equal(outcomes.filter((o) => o.status === 'fulfilled').length, 1, 'exactly one of 10 racing consumes wins');
    });

    it('revokeByGrantId deletes every model of the grant and nothing else', async () => {
      const grantId = uid('grant');
      const other = uid('grant');
      const models = ['AccessToken', 'RefreshToken', 'AuthorizationCode', 'Grant'];
      for (const m of models) await new KyselyOidcAdapter(opened.db, m).upsert(`${grantId}-${m}`, { kind: m, grantId }, 600);
      await new KyselyOidcAdapter(opened.db, 'AccessToken').upsert(`${other}-at`, { kind: 'AccessToken', grantId: other }, 600);
      await new KyselyOidcAdapter(opened.db, 'AccessToken').revokeByGrantId(grantId);
      for (const m of models) assert.equal(await new KyselyOidcAdapter(opened.db, m).find(`${grantId}-${m}`), undefined, m);
      assert.ok(await new KyselyOidcAdapter(opened.db, 'AccessToken').find(`${other}-at`));
    });

    it('revokeByAccountId deletes sessions, grants, codes and tokens of the account, and nothing else', async () => {
      const account = uid('acct');
      const other = uid('acct');
      const models = ['Session', 'Grant', 'AccessToken', 'RefreshToken', 'AuthorizationCode', 'DeviceCode'];
      for (const m of models) await new KyselyOidcAdapter(opened.db, m).upsert(`${account}-${m}`, { kind: m, accountId: account, grantId: `${account}-g` }, 600);
      await new KyselyOidcAdapter(opened.db, 'AccessToken').upsert(`${other}-at`, { kind: 'AccessToken', accountId: other }, 600);
      await new KyselyOidcAdapter(opened.db, 'ClientCredentials').upsert(`${account}-cc`, { kind: 'ClientCredentials', clientId: 'c' }, 600);
      assert.equal(await repos.oidcArtifacts.revokeByAccountId(account), models.length);
      for (const m of models) assert.equal(await new KyselyOidcAdapter(opened.db, m).find(`${account}-${m}`), undefined, m);
      assert.ok(await new KyselyOidcAdapter(opened.db, 'AccessToken').find(`${other}-at`));
      assert.ok(await new KyselyOidcAdapter(opened.db, 'ClientCredentials').find(`${account}-cc`));
      assert.equal(await repos.oidcArtifacts.revokeByAccountId(account), 0);
    });

  });

  it('device-flow poll state: the first poll passes, an early one is slow_down (+5 s), one of concurrent polls wins', async () => {
    const polls = new KyselyDevicePollRepository(opened.db);
    const id = uid('device');
    const t0 = Date.now();
    const poll = (now: number, code = id) => polls.recordPoll({ id: code, now, initialIntervalSeconds: 5, expiresAt: t0 + 600_000 });
    assert.deepEqual(await poll(t0), { verdict: 'ok', intervalSeconds: 5 });
    assert.deepEqual(await poll(t0 + 1000), { verdict: 'slow_down', intervalSeconds: 10 });
    assert.deepEqual(await poll(t0 + 6000), { verdict: 'slow_down', intervalSeconds: 15 }, 'measured from the previous poll, with the grown interval');
    assert.deepEqual(await poll(t0 + 6000 + 15_000), { verdict: 'ok', intervalSeconds: 15 });

    const raced = uid('device');
    await poll(t0, raced);
    const verdicts = await Promise.all(Array.from({ length: 10 }, () => poll(t0 + 5000, raced)));
    assert.equal(verdicts.filter((v) => v.verdict === 'ok').length, 1, 'one concurrent poll passes, the others slow down');
  });

  it('the sweep deletes expired artefacts, expired jti records, old change rows and one-time links a month past expiry, and nothing live', async () => {
    const tokens = new KyselyOidcAdapter(opened.db, 'AccessToken');
    const live = uid('live');
    const dead = uid('dead');
    await tokens.upsert(live, { kind: 'AccessToken' }, 3600);
    await tokens.upsert(dead, { kind: 'AccessToken' }, 1);
    await opened.db.updateTable('oidc_model').set({ expires_at: Date.now() - 1 }).where('id', '=', storedId('AccessToken', dead)).execute();
    const issuer = uid('sweep-iss');
    await repos.trustedJti.recordOnce(issuer, 'live', new Date(Date.now() + 60_000));
    await repos.trustedJti.recordOnce(issuer, 'dead', new Date(Date.now() - 1));
    await opened.db.insertInto('change').values({ topic: 'client', key: uid('old-change'), created_at: Date.now() - 2 * HOUR }).execute();
    const invitedClient = uid('invited');
    await repos.clients.create({ clientId: invitedClient, name: 'Invited', grantTypes: ['client_credentials'], redirectUris: [], postLogoutRedirectUris: [], scopes: ['extern.api'], public: false, applicationType: 'web', permissions: [], disabled: false });
    const invitation = (id: string, expiresAt: number) => ({ id, client_id: invitedClient, token_hash: uid(id).padEnd(64, '0').slice(0, 64), email: null, allow_signup: 0, created_by: 'test', created_at: expiresAt - HOUR, expires_at: expiresAt, used_at: null, used_by: null });
    const oldInvitation = uid('old-invitation');
    const recentInvitation = uid('recent-invitation');
    await opened.db.insertInto('invitation').values([invitation(oldInvitation, Date.now() - 31 * 24 * HOUR), invitation(recentInvitation, Date.now() - HOUR)]).execute();
    const linked = uid('linked');
    await repos.accounts.create({ id: linked, login: `${linked}@example.com`, email: null, emailVerified: false, phone: null, givenName: null, familyName: null, middleName: null, passwordHash: 'x', disabled: false });
    const passwordLink = (id: string, expiresAt: number) => ({ id, account_id: linked, token_hash: uid(id).padEnd(64, '0').slice(0, 64), created_at: expiresAt - HOUR, expires_at: expiresAt, used_at: null });
    const recentLink = uid('recent-link');
    await opened.db.insertInto('password_link').values([passwordLink(uid('old-link'), Date.now() - 31 * 24 * HOUR), passwordLink(recentLink, Date.now() - HOUR)]).execute();

    const swept = await sweepExpired(opened.db);
    assert.equal(swept.invitations, 1, 'only the invitation a month past expiry is deleted');
    assert.equal(swept.passwordLinks, 1, 'only the set-password link a month past expiry is deleted');
    assert.deepEqual((await opened.db.selectFrom('password_link').select('id').where('account_id', '=', linked).execute()).map((r) => r.id), [recentLink]);
    assert.deepEqual((await opened.db.selectFrom('invitation').select('id').where('client_id', '=', invitedClient).execute()).map((r) => r.id), [recentInvitation]);
    assert.ok(swept.models >= 1 && swept.trustedJti >= 1 && swept.changes >= 1, JSON.stringify(swept));
    assert.ok(await tokens.find(live));
    assert.equal((await opened.db.selectFrom('oidc_model').select('id').where('id', '=', storedId('AccessToken', dead)).execute()).length, 0);
    assert.deepEqual((await opened.db.selectFrom('trusted_jti').select('jti').where('issuer', '=', issuer).execute()).map((r) => r.jti), ['live']);
    const again = await sweepExpired(opened.db);
    assert.deepEqual([again.models, again.changes, again.trustedJti], [0, 0, 0]);
  });

  it('change feed: local subscribers learn at once, another process within a second; unsubscribe stops delivery', async () => {
    const other = await openDatabase(database.url);
    const feed = other.createChangeFeed();
    try {
      await feed.start();
      const key = uid('client');
      const local = nextChange(repos.changes, key, 50);
      const remote = nextChange(feed, key, 1000);
      await repos.changes.publish('client', key);
      assert.equal((await local).topic, 'client');
      assert.deepEqual({ ...(await remote), afterMs: 0 }, { topic: 'client', key, afterMs: 0 });

      const back = uid('resource');
      const fromOther = nextChange(repos.changes, back, 1000);
      await feed.publish('resource', back);
      assert.equal((await fromOther).topic, 'resource');

      const seen: string[] = [];
      const off = feed.subscribe((_t, k) => seen.push(k));
      off();
      const last = uid('after-off');
      const delivered = nextChange(feed, last, 1000);
      await repos.changes.publish('account', last);
      await delivered;
      assert.deepEqual(seen, []);
    } finally {
      await feed.stop();
      await other.close();
    }
  });

  it('an api-key revoked through one instance is refused by another within a second', async () => {
    const silent = createLogger('silent');
    const a = await createContext(loadConfig({ DATABASE_URL: database.url }), silent);
    const b = await createContext(loadConfig({ DATABASE_URL: database.url }), silent);
    try {
      await a.repos.changes.start();
      await b.repos.changes.start();
      const clientId = uid('revoker');
      const { key } = await a.clients.create({ name: clientId, grantTypes: ['client_credentials'], scopes: ['extern.api'], clientId }, null);
      assert.ok(key);
      assert.equal(await b.clientDirectory.verifyApiKey(clientId, key.api_key), true, 'B caches the key');
      await a.clients.revokeKey(clientId, key.api_key_id, 'admin-cli');
      const ms = await waitFor(async () => !(await b.clientDirectory.verifyApiKey(clientId, key.api_key)), 1000);
      assert.ok(ms <= 1000, `refused after ${ms} ms`);
    } finally {
      await a.close();
      await b.close();
    }
  });
}

describe('storage conformance: sqlite', () => {
  conformance({ name: 'sqlite', newDatabase: async () => createTestSqlite() });
});

describePostgres('storage conformance: postgres', () => {
  conformance({
    name: 'postgres',
    newDatabase: async () => {
      const s = await createTestSchema();
      return { url: s.url, cleanup: s.drop };
    },
  });
});
