/**
 * Rate-limit and brute-force counters shared by several instances: on PostgreSQL when
 * DATABASE_URL is PostgreSQL, on Redis when REDIS_URL is set. Two servers count together: failures
 * on one lock the login on the other; token requests on both spend one client budget.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it, type TestContext } from 'node:test';
import { Redis } from 'ioredis';
import { createTestSchema, describePostgres, adminQuery, type TestSchema } from '../storage/support.ts';
import { startTestServer, postForm, type TestServer } from '../support/server.ts';
import { createClient } from '../support/fixtures.ts';
import { POSTGRES_LIMIT_TABLE } from '../../src/http/limit-store.ts';
import { FormsAgent, authorizeUrl, REDIRECT_URI } from './support.ts';

const REDIS_URL = process.env.PROPUSK_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379/0';
const LIMITS = { PROPUSK_SIGN_IN_ATTEMPTS_PER_ACCOUNT: '3', PROPUSK_SIGN_IN_DELAY_MS: '0', PROPUSK_TOKEN_RATE_LIMIT: '3', PROPUSK_TOKEN_RATE_WINDOW: '30' };

async function redisUnreachable(): Promise<string | undefined> {
  const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 1000, retryStrategy: () => null });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    await redis.ping();
    return undefined;
  } catch (err) {
    return `${REDIS_URL}: ${(err as Error).message}`;
  } finally {
    redis.disconnect();
  }
}

/** One wrong password for `login` through a fresh sign-in page of `server`; returns the status. */
async function wrongPassword(server: TestServer, login: string): Promise<number> {
  const agent = new FormsAgent(server.issuer);
  const page = await agent.follow(authorizeUrl(server.issuer));
  assert.equal(page.status, 200, page.html.slice(0, 300));
  return (await agent.submit(page, '/login', { login, password: 'wrong-password' })).status;
}

async function addClients(server: TestServer, clientId: string) {
  await createClient(server.context, { clientId: 'web.app', grantTypes: ['authorization_code'], redirectUris: [REDIRECT_URI], scopes: ['openid', 'profile', 'email', 'extern.api'] });
  return createClient(server.context, { clientId });
}

const token = (server: TestServer, clientId: string, apiKey: string) =>
  postForm(`${server.url}/connect/token`, { grant_type: 'client_credentials', client_id: clientId, client_secret: apiKey, scope: 'extern.api' });

/** The shared-store behaviours, for two started servers with the same clients. */
function sharedCounterTests(servers: () => [TestServer, TestServer], clients: () => [{ apiKey: string }, { apiKey: string }], clientId: () => string) {
  it('failed sign-ins on both instances lock the login on both', async () => {
    const [a, b] = servers();
    const login = `ghost-${randomBytes(4).toString('hex')}@example.com`;
    assert.equal(await wrongPassword(a, login), 401);
    assert.equal(await wrongPassword(b, login), 401);
    assert.equal(await wrongPassword(a, login), 429, 'the third failure (on A) locks');
    assert.equal(await wrongPassword(b, login), 429, 'B sees the lock');
  });

  it('token requests on both instances spend one per-client budget', async () => {
    const [a, b] = servers();
    const [ka, kb] = clients();
    const statuses = [(await token(a, clientId(), ka.apiKey)).status, (await token(b, clientId(), kb.apiKey)).status, (await token(a, clientId(), ka.apiKey)).status];
    assert.deepEqual(statuses, [200, 200, 200]);
    const limited = await token(b, clientId(), kb.apiKey);
    assert.equal(limited.status, 429);
    assert.equal(limited.json.error, 'temporarily_unavailable');
    assert.ok(Number(limited.headers.get('retry-after')) > 0);
  });
}

describePostgres('limits shared through PostgreSQL', () => {
  let schema: TestSchema;
  let a: TestServer;
  let b: TestServer;
  let keys: [{ apiKey: string }, { apiKey: string }];
  const clientId = `svc-${randomBytes(3).toString('hex')}`;
  before(async () => {
    schema = await createTestSchema();
    a = await startTestServer({ DATABASE_URL: schema.url, ...LIMITS });
    b = await startTestServer({ DATABASE_URL: schema.url, ...LIMITS });
    const key = await addClients(a, clientId);
    keys = [key, key];
  });
  after(async () => {
    await a?.stop();
    await b?.stop();
    await schema?.drop();
  });

  sharedCounterTests(() => [a, b], () => keys, () => clientId);

  it('keeps the counters in the rate-limit table (hashed logins, no addresses)', async () => {
    const rows = await adminQuery<{ key: string }>(`select key from ${schema.schema}.${POSTGRES_LIMIT_TABLE}`);
    assert.ok(rows.some((r) => r.key.startsWith('sign-in-account:')));
    assert.ok(rows.some((r) => r.key === `token-client:${clientId}`));
    assert.ok(rows.every((r) => !r.key.includes('@')), 'logins are hashed');
  });
});

describe('limits shared through Redis (REDIS_URL)', () => {
  let unreachable: string | undefined;
  let a: TestServer;
  let b: TestServer;
  let keys: [{ apiKey: string }, { apiKey: string }];
  const clientId = `svc-${randomBytes(3).toString('hex')}`;
  before(async () => {
    unreachable = await redisUnreachable();
    if (unreachable) return;
    // Two instances with their own SQLite files: only Redis is shared.
    a = await startTestServer({ REDIS_URL, ...LIMITS });
    b = await startTestServer({ REDIS_URL, ...LIMITS });
    keys = [await addClients(a, clientId), await addClients(b, clientId)];
  });
  after(async () => {
    await a?.stop();
    await b?.stop();
  });
  const skipWithoutRedis = (t: TestContext) => {
    if (!unreachable) return false;
    if (process.env.CI) assert.fail(`Redis is required in CI but unreachable: ${unreachable}`);
    console.warn(`\n*** Redis unreachable, shared-limit tests on Redis SKIPPED: ${unreachable}\n`);
    t.skip(unreachable);
    return true;
  };

  it('uses Redis as the store', (t) => {
    if (skipWithoutRedis(t)) return;
    assert.equal(a.context.limits.store.kind, 'redis');
  });
  it('failed sign-ins on both instances lock the login on both', async (t) => {
    if (skipWithoutRedis(t)) return;
    const login = `ghost-${randomBytes(4).toString('hex')}@example.com`;
    assert.deepEqual([await wrongPassword(a, login), await wrongPassword(b, login), await wrongPassword(a, login), await wrongPassword(b, login)], [401, 401, 429, 429]);
  });
  it('token requests on both instances spend one per-client budget', async (t) => {
    if (skipWithoutRedis(t)) return;
    const statuses = [];
    for (const [server, key] of [[a, keys[0]], [b, keys[1]], [a, keys[0]], [b, keys[1]]] as const) statuses.push((await token(server, clientId, key.apiKey)).status);
    assert.deepEqual(statuses, [200, 200, 200, 429]);
  });
});
