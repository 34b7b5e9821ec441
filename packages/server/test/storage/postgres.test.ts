/**
 * PostgreSQL-only behaviour: connection failures become DatabaseUnavailableError quickly; the pool
 * recovers after its connections are killed; the LISTEN/NOTIFY change feed reconnects and catches
 * up; a server answers 503 fast while the database is away and recovers without a restart.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase, migrate, DatabaseUnavailableError, type OpenedDatabase } from '../../src/storage/database.ts';
import { PgChangeFeed } from '../../src/storage/pg-changes.ts';
import { loadConfig } from '../../src/config/index.ts';
import { createLogger } from '../../src/logger.ts';
import { createContext } from '../../src/context.ts';
import type { ChangeTopic } from '../../src/shared/changes.ts';
import { freePort, postForm, startTestServer, type TestServer } from '../support/server.ts';
import { createClient } from '../support/fixtures.ts';
import { TcpProxy, createTestSchema, describePostgres, terminateBackends, type TestSchema } from './support.ts';

const unavailable = { code: DatabaseUnavailableError.code, status: 503, error: 'temporarily_unavailable' };

async function eventually<T>(what: string, ms: number, probe: () => Promise<T | undefined>): Promise<{ value: T; afterMs: number }> {
  const started = Date.now();
  for (;;) {
    const value = await probe();
    if (value !== undefined) return { value, afterMs: Date.now() - started };
    if (Date.now() - started > ms) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function timed<T>(run: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = Date.now();
  const value = await run();
  return { value, ms: Date.now() - started };
}

describe('PostgreSQL connection failures', () => {
  it('a refused connection is DatabaseUnavailableError at once', async () => {
    const opened = await openDatabase(`postgres://postgres@127.0.0.1:${await freePort()}/test`);
    try {
      const started = Date.now();
      await assert.rejects(opened.db.selectFrom('account').selectAll().execute(), (err: unknown) => {
        assert.ok(err instanceof DatabaseUnavailableError);
        assert.deepEqual({ code: err.code, status: err.status, error: err.error }, unavailable);
        assert.equal((err.cause as { code?: string }).code, 'ECONNREFUSED');
        return true;
      });
      assert.ok(Date.now() - started < 1000);
    } finally {
      await opened.close();
    }
  });

  it('a server that never answers is DatabaseUnavailableError after the connect timeout, not a hang', async () => {
    const proxy = await TcpProxy.start();
    proxy.blackhole();
    const opened = await openDatabase(proxy.url('postgres://postgres@127.0.0.1:5432/test'));
    try {
      const started = Date.now();
      await assert.rejects(opened.db.selectFrom('account').selectAll().execute(), DatabaseUnavailableError);
      const ms = Date.now() - started;
      assert.ok(ms >= 2500 && ms < 4500, `gave up after ${ms} ms`);
    } finally {
      await opened.close();
      await proxy.close();
    }
  });
});

describePostgres('PostgreSQL', () => {
  let schema: TestSchema;
  let opened: OpenedDatabase;

  before(async () => {
    schema = await createTestSchema();
    opened = await openDatabase(schema.url);
    await migrate(opened.db);
  });

  after(async () => {
    await opened?.close();
    await schema?.drop();
  });

  it('the pool recovers by itself after every backend is terminated', async () => {
    await Promise.all(Array.from({ length: 5 }, () => opened.db.selectFrom('account').selectAll().execute()));
    assert.ok((await terminateBackends(schema.schema)) >= 1);
    // Queries right after may meet a dead connection: then they fail as unavailable, never otherwise.
    const outcomes = await Promise.allSettled(Array.from({ length: 10 }, () => opened.db.selectFrom('account').selectAll().execute()));
    for (const o of outcomes) if (o.status === 'rejected') assert.ok(o.reason instanceof DatabaseUnavailableError, String(o.reason));
    const { afterMs } = await eventually('a query succeeds', 2000, async () => (await opened.db.selectFrom('account').selectAll().execute().catch(() => undefined)) && true);
    assert.ok(afterMs < 2000);
    assert.deepEqual(await opened.db.selectFrom('account').selectAll().execute(), []);
  });

  describe('LISTEN/NOTIFY change feed', () => {
    const received = (feed: PgChangeFeed) => {
      const seen: { topic: ChangeTopic; key: string }[] = [];
      feed.subscribe((topic, key) => seen.push({ topic, key }));
      return seen;
    };

    it('reconnects after its connection drops and delivers what was published meanwhile', async () => {
      let down = false;
      const deadPort = await freePort();
      const errors: unknown[] = [];
      const feed = new PgChangeFeed(opened.db, {
        // While "down", connection attempts go to a closed port and fail like an unreachable server.
        connect: () => new pg.Client({ connectionString: down ? `postgres://postgres@127.0.0.1:${deadPort}/test` : schema.url }),
        minBackoffMs: 20,
        maxBackoffMs: 200,
        onError: (err) => errors.push(err),
      });
      const other = await openDatabase(schema.url);
      const publisher = other.createChangeFeed();
      try {
        await feed.start();
        const seen = received(feed);
        assert.equal(feed.listening, true);

        down = true;
        await terminateBackends(schema.schema);
        await eventually('the feed notices', 2000, async () => (!feed.listening ? true : undefined));
        const missed = `missed-${randomBytes(4).toString('hex')}`;
        await publisher.publish('client', missed);
        await new Promise((r) => setTimeout(r, 300));
        assert.equal(seen.length, 0, 'nothing arrives while disconnected');
        assert.ok(errors.length >= 2, 'the lost connection and failed reconnects are reported');

        down = false;
        const { afterMs } = await eventually('caught up', 2000, async () => (seen.some((s) => s.key === missed) ? true : undefined));
        assert.ok(afterMs < 2000);
        assert.equal(feed.listening, true);

        const live = `live-${randomBytes(4).toString('hex')}`;
        await publisher.publish('resource', live);
        await eventually('live again', 1000, async () => (seen.some((s) => s.key === live && s.topic === 'resource') ? true : undefined));
      } finally {
        await feed.stop();
        await other.close();
      }
    });

    it('ignores changes of another schema on the same database', async () => {
      const otherSchema = await createTestSchema();
      const otherDb = await openDatabase(otherSchema.url);
      const feed = opened.createChangeFeed() as PgChangeFeed;
      try {
        await migrate(otherDb.db);
        await feed.start();
        const seen = received(feed);
        // The other schema's ids run ahead; they must not move this feed's position either.
        for (let i = 0; i < 5; i++) await otherDb.createChangeFeed().publish('client', `foreign-${i}`);
        const own = `own-${randomBytes(4).toString('hex')}`;
        const publisher = opened.createChangeFeed();
        await publisher.publish('client', own);
        await eventually('own change', 1000, async () => (seen.some((s) => s.key === own) ? true : undefined));
        await new Promise((r) => setTimeout(r, 200));
        assert.deepEqual(seen.map((s) => s.key), [own]);
      } finally {
        await feed.stop();
        await otherDb.close();
        await otherSchema.drop();
      }
    });
  });

  describe('a server on PostgreSQL when the database goes away', () => {
    let proxy: TcpProxy;
    let server: TestServer;
    let client: { clientId: string; apiKey: string; apiKeyId: string };
    const token = (apiKey = client.apiKey) => postForm(`${server.url}/connect/token`, { grant_type: 'client_credentials', client_id: client.clientId, client_secret: apiKey, scope: 'extern.api' });
    const ready = async () => (await fetch(`${server.url}/readyz`)).status;

    before(async () => {
      proxy = await TcpProxy.start();
      server = await startTestServer({ DATABASE_URL: proxy.url(schema.url) });
      client = await createClient(server.context, { clientId: `faults-${randomBytes(3).toString('hex')}` });
    });

    after(async () => {
      await server?.stop();
      await proxy?.close();
    });

    it('answers 503 fast (JSON and HTML) while the database is down, and recovers without a restart', async () => {
      assert.equal(await ready(), 200);
      assert.equal((await token()).status, 200);

      await proxy.refuse();
      const readyz = await timed(() => fetch(`${server.url}/readyz`));
      assert.equal(readyz.value.status, 503);
      assert.ok(readyz.ms < 2500, `/readyz took ${readyz.ms} ms`);

      const json = await timed(() => token());
      assert.equal(json.value.status, 503, json.value.text);
      assert.equal(json.value.json.error, 'temporarily_unavailable');
      assert.equal(json.value.headers.get('retry-after'), '1');
      assert.ok(json.ms < 2500, `token took ${json.ms} ms`);

      const html = await fetch(`${server.url}/connect/authorize?client_id=unknown-${randomBytes(3).toString('hex')}&response_type=code&scope=openid&redirect_uri=https://app.example/cb`, { headers: { accept: 'text/html' } });
      assert.equal(html.status, 503);
      assert.match(html.headers.get('content-type') ?? '', /text\/html/);
      assert.match(await html.text(), /temporarily_unavailable/);

      // Revoked elsewhere while this instance cannot hear: it must learn on reconnect (catch-up).
      const admin = await createContext(loadConfig({ DATABASE_URL: schema.url }), createLogger('silent'));
      const { api_key: second, api_key_id: secondId } = await admin.clients.issueKey(client.clientId, undefined, 'admin-cli');
      await proxy.restore();
      const { afterMs } = await eventually('ready again', 5000, async () => ((await ready()) === 200 ? true : undefined));
      assert.ok(afterMs < 5000);
      assert.equal((await token()).status, 200);
      // The key issued during the outage is accepted once the change feed has reconnected and caught up.
      await eventually('the new key is accepted after the reconnect', 8000, async () => ((await token(second)).status === 200 ? true : undefined));

      await proxy.refuse();
      await admin.clients.revokeKey(client.clientId, secondId, 'admin-cli');
      await admin.close();
      await proxy.restore();
      await eventually('the revoked key is refused after the reconnect', 8000, async () => ((await token(second)).status === 401 ? true : undefined));
      assert.equal((await token()).status, 200);
    });

    it('answers 503 within the timeout when the database hangs', async () => {
      proxy.blackhole();
      try {
        await fetch(`${server.url}/readyz`); // may fail at once on a pooled connection that was just cut
        const readyz = await timed(() => fetch(`${server.url}/readyz`));
        assert.equal(readyz.value.status, 503);
        assert.ok(readyz.ms >= 1900 && readyz.ms < 2600, `/readyz took ${readyz.ms} ms`);
        const json = await timed(() => token());
        assert.equal(json.value.status, 503, json.value.text);
        assert.ok(json.ms < 4500, `token took ${json.ms} ms`);
      } finally {
        proxy.forward();
      }
      await eventually('ready again', 5000, async () => ((await ready()) === 200 ? true : undefined));
    });

    it('recovers by itself after PostgreSQL terminates every backend, never answering 500', async () => {
      assert.equal((await token()).status, 200);
      assert.ok((await terminateBackends(schema.schema)) >= 1);
      const statuses: number[] = [];
      const { afterMs } = await eventually('a token again', 3000, async () => {
        const s = (await token()).status;
        statuses.push(s);
        return s === 200 ? true : undefined;
      });
      assert.ok(afterMs < 3000);
      assert.ok(statuses.every((s) => s === 200 || s === 503), `statuses: ${statuses.join(',')}`);
      assert.equal(await ready(), 200);
    });
  });
});
