/** The audit endpoints: filters, newest-first pages walked by cursor, NDJSON exports. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { startTestServer, type TestServer } from '../support/server.ts';
import { createClient } from '../support/fixtures.ts';
import { createTestSchema, describePostgres, type TestSchema } from '../storage/support.ts';
import { api, machineOperator } from './support.ts';

type Item = { id: number; type: string; actor: string | null; client_id: string | null; account_id: string | null; at: string };

function auditSuite(database: 'SQLite' | 'PostgreSQL'): void {
  let server: TestServer;
  let schema: TestSchema | undefined;
  let token: string;
  const get = (path: string) => api(server.url, token, 'GET', path);

  before(async () => {
    if (database === 'PostgreSQL') schema = await createTestSchema();
    server = await startTestServer(schema ? { DATABASE_URL: schema.url } : {});
    token = (await machineOperator(server.context, server.url, 'audit.reader', 'auditor')).token;
    // 230 events about one client, of two types, recorded through the service.
    for (let i = 0; i < 230; i++) {
      await server.context.audit.record({ type: i % 2 ? 'client.enabled' : 'client.disabled', actor: 'admin-cli', clientId: 'walk.client', accountId: i % 10 === 0 ? 'acct-10' : null });
    }
  });
  after(async () => {
    await server.stop();
    await schema?.drop();
  });

  it('a walk of 230 events by cursor returns each once, newest first', async () => {
    const seen: number[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await get(`/audit?client_id=walk.client&limit=${pages === 0 ? 200 : 37}${cursor ? `&cursor=${cursor}` : ''}`);
      assert.equal(res.status, 200, res.text);
      seen.push(...res.json.items.map((e: Item) => e.id));
      cursor = res.json.next_cursor;
      pages++;
    } while (cursor);
    assert.equal(seen.length, 230);
    assert.equal(new Set(seen).size, 230);
    assert.deepEqual(seen, [...seen].sort((a, b) => b - a), 'newest first');
    assert.equal(pages, 2);
  });

  it('filters: exact type, a prefix, actor, client, account, time range', async () => {
    const enabled = await get('/audit?type=client.enabled&client_id=walk.client&limit=200');
    assert.equal(enabled.json.items.length, 115);
    assert.ok(enabled.json.items.every((e: Item) => e.type === 'client.enabled'));
    for (const prefix of ['client.', 'client.*']) {
      const res = await get(`/audit?type=${prefix}&client_id=walk.client&limit=200`);
      assert.equal(res.json.items.length, 200, prefix);
      assert.ok(res.json.next_cursor);
    }
    const account = await get('/audit?account_id=acct-10&limit=200');
    assert.equal(account.json.items.length, 23);
    const actor = await get('/audit?actor=admin-cli&client_id=walk.client&limit=1');
    assert.equal(actor.json.items[0].actor, 'admin-cli');
    assert.equal((await get('/audit?actor=client:nobody')).json.items.length, 0);
    const newest = (await get('/audit?client_id=walk.client&limit=1')).json.items[0] as Item;
    const until = await get(`/audit?client_id=walk.client&until=${encodeURIComponent(newest.at)}&limit=200`);
    assert.ok(until.json.items.every((e: Item) => e.at < newest.at), 'until is exclusive');
    const since = await get(`/audit?client_id=walk.client&since=${encodeURIComponent(newest.at)}&limit=200`);
    assert.ok(since.json.items.some((e: Item) => e.id === newest.id), 'since is inclusive');
    assert.ok(since.json.items.every((e: Item) => e.at >= newest.at));
  });

  it('bad filters are 400 problems', async () => {
    for (const query of ['type=no.such.event', 'type=nosuch.', 'since=yesterday', 'until=2026-13-01T00:00:00Z', 'since=2026-02-01T00:00:00Z&until=2026-01-01T00:00:00Z', `cursor=${Buffer.from('["x"]').toString('base64url')}`]) {
      const res = await get(`/audit?${query}`);
      assert.equal(res.status, 400, `${query}: ${res.text}`);
    }
  });

  it('a change made through the API is audited with the operator as actor', async () => {
    const admin = await machineOperator(server.context, server.url, 'audit.admin', 'admin');
    assert.equal((await api(server.url, admin.token, 'POST', '/signing-keys/rotate')).status, 201);
    const res = await get('/audit?type=signing_key.rotated&limit=1');
    assert.equal(res.json.items[0].actor, 'client:audit.admin');
  });

  it('exports NDJSON: every line valid, as many as the list, with a file name; no secret anywhere', async () => {
    const { apiKey } = await createClient(server.context, { clientId: 'audit.secret' });
    await server.context.clients.issueKey('audit.secret', 'second', 'admin-cli');
    const doc = (await api(server.url, null, 'GET', '/openapi.json')).json;
    const lineSchema = doc.paths['/audit/export'].get.responses['200'].content['application/x-ndjson']['x-item-schema'];
    const ajv = new Ajv2020({ strict: false });
    addFormats.default(ajv);
    const valid = ajv.compile(lineSchema);

    const res = await get('/audit/export?client_id=walk.client&since=2000-01-01T00:00:00Z');
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^application\/x-ndjson/);
    assert.match(res.headers.get('content-disposition') ?? '', /^attachment; filename="propusk-audit-20000101T000000Z-now\.ndjson"$/);
    const lines = res.text.trimEnd().split('\n').map((l) => JSON.parse(l) as Item);
    assert.equal(lines.length, 230);
    for (const line of lines) assert.ok(valid(line), JSON.stringify(valid.errors));
    assert.deepEqual(lines.map((l) => l.id), [...lines.map((l) => l.id)].sort((a, b) => a - b), 'oldest first');

    const everything = await get('/audit/export');
    assert.ok(!everything.text.includes(apiKey), 'the api-key is not in the audit log');
  });

  it('an export the client abandons mid-way stops, and the server goes on', async () => {
    for (let i = 0; i < 1500; i++) await server.context.audit.record({ type: 'client.enabled', actor: 'admin-cli', clientId: 'bulk.client' });
    const controller = new AbortController();
    const res = await fetch(`${server.url}/admin/api/v1/audit/export`, { headers: { authorization: `Bearer ${token}` }, signal: controller.signal });
    const reader = res.body!.getReader();
    await reader.read();
    controller.abort();
    await reader.read().catch(() => undefined);
    assert.equal((await fetch(`${server.url}/healthz`)).status, 200);
    assert.equal((await get('/audit?limit=1')).status, 200);
  });
}

describe('management API: audit (SQLite)', () => auditSuite('SQLite'));
describePostgres('management API: audit (PostgreSQL)', () => auditSuite('PostgreSQL'));
