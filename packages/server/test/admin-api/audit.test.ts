/**
 * The audit endpoints: every filter alone and combined, newest-first pages walked by cursor,
 * counting rows against since/until, bad input, roles, NDJSON exports (line schema, file name,
 * abandoned downloads) and no secret in the log; on SQLite and PostgreSQL.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { AuditEvent, AuditFilter } from '../../src/audit/types.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { createClient, createUser } from '../support/fixtures.ts';
import { createTestSchema, describePostgres, type TestSchema } from '../storage/support.ts';
import { api, API, machineOperator, type MachineOperator } from './support.ts';

interface Item {
  id: number;
  at: string;
  type: string;
  actor: string | null;
  client_id: string | null;
  account_id: string | null;
  outcome: 'success' | 'failure';
  details: Record<string, unknown>;
  source_ip: string | null;
  count: number;
  last_at: string | null;
}

const ids = (items: Item[]) => items.map((e) => e.id);
const q = encodeURIComponent;
const later = (iso: string, ms: number) => new Date(Date.parse(iso) + ms).toISOString();

function auditSuite(database: 'SQLite' | 'PostgreSQL'): void {
  let server: TestServer;
  let schema: TestSchema | undefined;
  let auditor: MachineOperator;
  let admin: MachineOperator;
  const logLines: string[] = [];
  const get = (path: string, token = auditor.token) => api(server.url, token, 'GET', path);
  /** Every item of `GET /audit?<query>`, walked by cursor (pages of 200). */
  const walk = async (query: string): Promise<Item[]> => {
    const items: Item[] = [];
    let cursor: string | null = null;
    do {
      const res = await get(`/audit?${query}&limit=200${cursor ? `&cursor=${cursor}` : ''}`);
      assert.equal(res.status, 200, res.text);
      items.push(...(res.json.items as Item[]));
      cursor = res.json.next_cursor;
    } while (cursor);
    return items;
  };

  before(async () => {
    if (database === 'PostgreSQL') schema = await createTestSchema();
    // Errors are logged (to see what an export that fails or is abandoned leaves in the log).
    server = await startTestServer({ PROPUSK_LOG_LEVEL: 'error', ...(schema ? { DATABASE_URL: schema.url } : {}) }, { logStream: { write: (line) => void logLines.push(line) } });
    auditor = await machineOperator(server.context, server.url, 'audit.reader', 'auditor');
    admin = await machineOperator(server.context, server.url, 'audit.admin', 'admin');
    // 230 events about one client, of two types, recorded through the service.
    for (let i = 0; i < 230; i++) {
      await server.context.audit.record({ type: i % 2 ? 'client.enabled' : 'client.disabled', actor: 'admin-cli', clientId: 'walk.client', accountId: i % 10 === 0 ? 'acct-10' : null });
    }
    // A few events about another client, by several actors, about several accounts.
    const { audit } = server.context;
    const details = { service_user_id: 'u-1' };
    await audit.record({ type: 'link.created', actor: 'client:ops.one', clientId: 'filter.client', accountId: 'acct-a', details });
    await audit.record({ type: 'link.removed', actor: 'client:ops.one', clientId: 'filter.client', accountId: 'acct-b', details });
    await audit.record({ type: 'link.created', actor: 'account:op-1', clientId: 'filter.client', accountId: 'acct-b', details });
    await audit.record({ type: 'consent.granted', actor: 'account:acct-a', clientId: 'filter.client', accountId: 'acct-a', details: { scope: 'openid', grant_id: 'g-1', remembered: true } });
    await audit.record({ type: 'link.removed', actor: 'account:op-1', clientId: 'filter.client', details });
  });
  after(async () => {
    await server.stop();
    await schema?.drop();
  });

  it('a walk of 230 events by cursor (a page of 200, then pages of 37) returns each exactly once, newest first', async () => {
    const seen: number[] = [];
    let cursor: string | null = null;
    const sizes: number[] = [];
    do {
      const res = await get(`/audit?client_id=walk.client&limit=${sizes.length === 0 ? 200 : 37}${cursor ? `&cursor=${cursor}` : ''}`);
      assert.equal(res.status, 200, res.text);
      sizes.push(res.json.items.length);
      seen.push(...ids(res.json.items));
      cursor = res.json.next_cursor;
    } while (cursor);
    assert.deepEqual(sizes, [200, 30]);
    assert.equal(new Set(seen).size, 230);
    assert.deepEqual(seen, [...seen].sort((a, b) => b - a), 'newest first');
    // Unfiltered, the whole log: the same walk by pages of 37.
    const everything: number[] = [];
    cursor = null;
    do {
      const res = await get(`/audit?limit=37${cursor ? `&cursor=${cursor}` : ''}`);
      everything.push(...ids(res.json.items));
      cursor = res.json.next_cursor;
    } while (cursor);
    assert.equal(new Set(everything).size, everything.length);
    assert.deepEqual(everything, [...everything].sort((a, b) => b - a));
    assert.ok(seen.every((id) => everything.includes(id)));
    assert.deepEqual(everything, ids(await walk('')), 'pages of 37 and of 200 list the same events');
  });

  it('each filter alone: type (exact and prefix), actor, client, account, since, until', async () => {
    const all = await walk('');
    const expect = (items: Item[], keep: (e: Item) => boolean, what: string) => {
      assert.deepEqual(ids(items), ids(all.filter(keep)), what);
      assert.ok(items.length > 0, `${what}: something to find`);
    };
    expect(await walk('type=link.created'), (e) => e.type === 'link.created', 'exact type');
    for (const prefix of ['link.', 'link.*']) expect(await walk(`type=${q(prefix)}`), (e) => e.type.startsWith('link.'), prefix);
    expect(await walk('type=client.'), (e) => e.type.startsWith('client.'), 'client.');
    expect(await walk('actor=account%3Aop-1'), (e) => e.actor === 'account:op-1', 'actor');
    expect(await walk('client_id=filter.client'), (e) => e.client_id === 'filter.client', 'client');
    expect(await walk('account_id=acct-b'), (e) => e.account_id === 'acct-b', 'account');
    expect(await walk('account_id=acct-10'), (e) => e.account_id === 'acct-10', 'account');
    assert.equal((await walk('account_id=acct-10')).length, 23);
    assert.deepEqual(await walk('actor=client%3Anobody'), []);
    assert.deepEqual(await walk('client_id=no.such.client'), []);
    assert.deepEqual(await walk('type=partner_key.added'), [], 'a known type nothing happened of');

    // since is inclusive, until exclusive, both by the time of the event.
    const pivot = all.find((e) => e.client_id === 'filter.client' && e.type === 'link.removed' && e.account_id === 'acct-b')!;
    expect(await walk(`since=${q(pivot.at)}`), (e) => e.at >= pivot.at || (e.last_at ?? '') >= pivot.at, 'since');
    assert.ok(ids(await walk(`since=${q(pivot.at)}`)).includes(pivot.id), 'since is inclusive');
    expect(await walk(`until=${q(pivot.at)}`), (e) => e.at < pivot.at, 'until');
    assert.ok(!ids(await walk(`until=${q(pivot.at)}`)).includes(pivot.id), 'until is exclusive');
    assert.ok(ids(await walk(`until=${q(later(pivot.at, 1))}`)).includes(pivot.id));
    assert.deepEqual(await walk(`since=${q(pivot.at)}&until=${q(pivot.at)}`), [], 'an empty range');
    // Any offset: the same instant.
    const offset = new Date(Date.parse(pivot.at)).toISOString().replace('Z', '+00:00');
    assert.deepEqual(ids(await walk(`since=${q(offset)}`)), ids(await walk(`since=${q(pivot.at)}`)));
  });

  it('filters combined', async () => {
    const all = await walk('');
    const first = all.find((e) => e.client_id === 'filter.client' && e.type === 'link.created' && e.account_id === 'acct-a')!;
    assert.deepEqual(
      ids(await walk(`type=link.&client_id=filter.client&account_id=acct-b`)),
      ids(all.filter((e) => e.type.startsWith('link.') && e.client_id === 'filter.client' && e.account_id === 'acct-b')),
    );
    assert.equal((await walk(`type=link.&client_id=filter.client&account_id=acct-b`)).length, 2);
    const byOp = await walk(`type=link.*&actor=account%3Aop-1&client_id=filter.client&since=${q(first.at)}&until=${q(later(all[0]!.at, 1))}`);
    assert.deepEqual(byOp.map((e) => [e.type, e.account_id]), [['link.removed', null], ['link.created', 'acct-b']]);
    assert.equal((await walk('type=client.enabled&client_id=walk.client')).length, 115);
    assert.equal((await walk('type=client.disabled&client_id=walk.client&account_id=acct-10')).length, 23);
    assert.deepEqual(await walk('type=client.enabled&client_id=walk.client&account_id=acct-10'), [], 'acct-10 only saw client.disabled');
    assert.deepEqual(await walk('type=link.&client_id=walk.client'), []);
  });

  it('a row counting repeated failures matches since by its last event and until by its first', async () => {
    // Unauthenticated failures of one kind from one address share a row (audit/aggregation.ts).
    const fail = () =>
      server.context.audit.record({ type: 'login.password', outcome: 'failure', clientId: 'counted.client', sourceIp: '203.0.113.7', details: { login_kind: 'email', ip: '203.0.113.7', via: 'authorize', reason: 'invalid_credentials' } });
    for (let i = 0; i < 3; i++) {
      await fail();
      await new Promise((resolve) => setTimeout(resolve, 15));
    }
    const [row] = await walk('client_id=counted.client');
    assert.ok(row && row.count === 3 && row.last_at && row.last_at > row.at, JSON.stringify(row));
    assert.equal(row.source_ip, '203.0.113.7');
    const found = async (range: string) => ids(await walk(`client_id=counted.client&${range}`)).includes(row.id);
    assert.equal(await found(`since=${q(row.last_at)}`), true, 'since = its last event');
    assert.equal(await found(`since=${q(later(row.last_at, 1))}`), false);
    assert.equal(await found(`since=${q(later(row.at, 1))}&until=${q(row.last_at)}`), true, 'a range between its first and last event');
    assert.equal(await found(`until=${q(row.at)}`), false, 'until = its first event');
    assert.equal(await found(`until=${q(later(row.at, 1))}`), true);
  });

  it('bad filters and cursors are 400 problems that repeat no stored data', async () => {
    const cursor = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const bad: [string, string][] = [
      ['type=no.such.event', 'invalid-request'],
      ['type=nosuch.', 'invalid-request'],
      ['type=nosuch.*', 'invalid-request'],
      ['type=client', 'invalid-request'],
      ['type=*', 'invalid-request'],
      ['type=', 'invalid-request'],
      [`type=${'x'.repeat(101)}`, 'invalid-request'],
      ['since=yesterday', 'invalid-request'],
      ['since=2026-03-01', 'invalid-request'],
      ['since=2026-03-01T00%3A00%3A00', 'invalid-request'],
      ['until=2026-13-01T00%3A00%3A00Z', 'invalid-request'],
      ['since=2026-02-01T00%3A00%3A00Z&until=2026-01-01T00%3A00%3A00Z', 'invalid-request'],
      ['since=2026-01-01T00%3A00%3A00Z&since=2026-01-02T00%3A00%3A00Z', 'invalid-request'],
      ['limit=0', 'invalid-request'],
      ['limit=201', 'invalid-request'],
      ['limit=ten', 'invalid-request'],
      ['colour=blue', 'invalid-request'],
      ['cursor=not-a-cursor!', 'invalid-cursor'],
      [`cursor=${cursor(['x'])}`, 'invalid-cursor'],
      [`cursor=${cursor([1.5])}`, 'invalid-cursor'],
      [`cursor=${cursor([1, 2])}`, 'invalid-cursor'],
      [`cursor=${cursor({ id: 1 })}`, 'invalid-cursor'],
      [`cursor=${cursor(['12'])}`, 'invalid-cursor'],
      [`cursor=${cursor([0])}`, 'invalid-cursor'],
      [`cursor=${cursor([2 ** 53])}`, 'invalid-cursor'],
    ];
    for (const [query, problem] of bad) {
      const res = await get(`/audit?${query}`);
      assert.equal(res.status, 400, `${query}: ${res.text}`);
      assert.equal(res.json.type, `urn:propusk:problem:${problem}`, `${query}: ${res.text}`);
      assert.doesNotMatch(res.text, /walk\.client|filter\.client|acct-|admin-cli/, `${query}: the problem names no stored data`);
      if (!query.startsWith('cursor') && !query.startsWith('limit')) {
        const exported = await get(`/audit/export?${query}`);
        assert.equal(exported.status, 400, `export ${query}: ${exported.text}`);
      }
    }
    assert.equal((await get('/audit/export?cursor=abc')).status, 400, 'the export takes no cursor');
  });

  it('the support role and an operator without a role are refused (403); the auditor and admin may read', async () => {
    const support = await machineOperator(server.context, server.url, 'audit.support', 'support');
    const nobody = await machineOperator(server.context, server.url, 'audit.nobody', null);
    for (const token of [support.token, nobody.token]) {
      for (const path of ['/audit', '/audit/export', '/audit?type=client.']) {
        const res = await get(path, token);
        assert.equal(res.status, 403, `${path}: ${res.text}`);
        assert.equal(res.json.type, 'urn:propusk:problem:forbidden');
      }
    }
    assert.equal((await get('/audit?limit=1', admin.token)).status, 200);
    assert.equal((await get('/audit/export?type=signing_key.rotated', admin.token)).status, 200);
    assert.equal((await get('/audit', null as unknown as string)).status, 401);
  });

  it('a change made through the API is audited with the operator as actor', async () => {
    const rotated = await api(server.url, admin.token, 'POST', '/signing-keys/rotate');
    assert.equal(rotated.status, 201, rotated.text);
    const [event] = (await get('/audit?type=signing_key.rotated&limit=1')).json.items as Item[];
    assert.equal(event?.actor, 'client:audit.admin');
    assert.equal(event?.outcome, 'success');
    assert.equal(typeof event?.details.kid, 'string');
    assert.deepEqual(ids(await walk('actor=client%3Aaudit.admin&type=signing_key.')), [event!.id]);
  });

  it('exports NDJSON: every line matches the line schema of the served document, as many as the list, oldest first, with a file name', async () => {
    const doc = (await api(server.url, null, 'GET', '/openapi.json')).json;
    const response = doc.paths['/audit/export'].get.responses['200'];
    const valid = new Ajv2020({ strict: false });
    addFormats.default(valid);
    const line = valid.compile(response.content['application/x-ndjson']['x-item-schema']);
    assert.ok(response.headers['Content-Disposition'], 'the download header is documented');

    for (const filters of ['client_id=walk.client', 'type=link.&client_id=filter.client', '', `type=client.&since=${q('2000-01-01T00:00:00Z')}`]) {
      const res = await get(`/audit/export?${filters}`);
      assert.equal(res.status, 200, res.text);
      assert.match(res.headers.get('content-type') ?? '', /^application\/x-ndjson/);
      assert.equal(res.headers.get('cache-control'), 'no-store');
      assert.ok(res.text.endsWith('\n'), 'every line ends with a newline');
      const lines = res.text.split('\n').slice(0, -1).map((l) => JSON.parse(l) as Item);
      for (const l of lines) assert.ok(line(l), `${JSON.stringify(l)}: ${JSON.stringify(line.errors)}`);
      const listed = await walk(filters);
      assert.deepEqual(ids(lines), ids(listed).reverse(), `${filters}: the list's events, oldest first`);
      assert.deepEqual(lines, listed.reverse(), 'each line is the item of the list');
    }

    const disposition = async (query: string) => (await get(`/audit/export?${query}`)).headers.get('content-disposition');
    assert.equal(await disposition(''), 'attachment; filename="propusk-audit-start-now.ndjson"');
    assert.equal(await disposition(`since=${q('2026-03-01T12:00:00Z')}`), 'attachment; filename="propusk-audit-20260301T120000Z-now.ndjson"');
    assert.equal(
      await disposition(`since=${q('2026-03-01T12:00:00+03:00')}&until=${q('2026-03-02T00:00:00.250Z')}`),
      'attachment; filename="propusk-audit-20260301T090000Z-20260302T000000.250Z.ndjson"',
      'UTC, basic format',
    );
  });

  it('exports more than one batch (500 rows a query) in order, each event once', async () => {
    // Appended straight to the repository: the same rows the service writes, without a log line each.
    const repo = server.context.repos.audit;
    for (let i = 0; i < 1234; i += 200) {
      await Promise.all(
        Array.from({ length: Math.min(200, 1234 - i) }, (_, j) =>
          repo.append({ at: new Date(), type: 'client.updated', actor: 'admin-cli', clientId: 'batch.client', accountId: null, outcome: 'success', details: { n: i + j } }),
        ),
      );
    }
    const res = await get('/audit/export?client_id=batch.client');
    const lines = res.text.split('\n').slice(0, -1).map((l) => JSON.parse(l) as Item);
    assert.equal(lines.length, 1234);
    assert.equal(new Set(ids(lines)).size, 1234);
    assert.deepEqual(ids(lines), [...ids(lines)].sort((a, b) => a - b));
    assert.deepEqual(new Set(lines.map((l) => l.details.n)).size, 1234);
    assert.equal((await walk('client_id=batch.client')).length, 1234);
  });

  /** `n` large events about `clientId`, so an export of them is far bigger than what the sockets buffer. */
  const appendLarge = async (clientId: string, n: number) => {
    const padding = 'x'.repeat(4000);
    for (let i = 0; i < n; i += 500) {
      await Promise.all(
        Array.from({ length: Math.min(500, n - i) }, (_, j) =>
          server.context.repos.audit.append({ at: new Date(), type: 'client.updated', actor: 'admin-cli', clientId, accountId: null, outcome: 'success', details: { n: i + j, padding } }),
        ),
      );
    }
  };
  /** An export of `path` whose first chunk has arrived, and the rest of it. */
  const startExport = async (path: string, signal?: AbortSignal) => {
    const res = await fetch(`${server.url}${API}${path}`, { headers: { authorization: `Bearer ${auditor.token}` }, ...(signal ? { signal } : {}) });
    assert.equal(res.status, 200);
    const reader = res.body!.getReader();
    const first = await reader.read();
    assert.ok(first.value && first.value.length > 0);
    return {
      rest: async () => {
        let text = Buffer.from(first.value!).toString('utf8');
        for (;;) {
          const { done, value } = await reader.read();
          if (done) return text;
          text += Buffer.from(value).toString('utf8');
        }
      },
      cancel: () => reader.read().catch(() => undefined),
    };
  };

  it('an export is the log as it was when it started: events appended during the download wait for the next one', async () => {
    await appendLarge('snapshot.client', 3000);
    const download = await startExport('/audit/export?client_id=snapshot.client');
    await appendLarge('snapshot.client', 700);
    const lines = (await download.rest()).split('\n').slice(0, -1).map((l) => JSON.parse(l) as Item);
    assert.equal(lines.length, 3000);
    assert.deepEqual(lines.map((l) => l.details.n as number).sort((a, b) => a - b), Array.from({ length: 3000 }, (_, i) => i), 'the first 3000');
    assert.equal((await walk('client_id=snapshot.client')).length, 3700, 'the list sees them all now');
  });

  it('an export the client abandons mid-way stops reading the log, logs no error, and the server goes on', async (t) => {
    const total = 6000;
    await appendLarge('bulk.client', total);
    // Count what the export reads from the service, and see it end.
    const service = server.context.audit;
    const original = service.export.bind(service);
    let read = 0;
    let ended!: () => void;
    const finished = new Promise<void>((resolve) => (ended = resolve));
    t.mock.method(service, 'export', (filter: AuditFilter, batch?: number) =>
      (async function* counted(): AsyncGenerator<AuditEvent> {
        try {
          for await (const event of original(filter, batch)) {
            read++;
            yield event;
          }
        } finally {
          ended();
        }
      })(),
    );
    const stderr = t.mock.method(console, 'error', () => undefined);
    const errorsBefore = logLines.filter((l) => (JSON.parse(l) as { level: number }).level >= 50).length;

    const controller = new AbortController();
    const download = await startExport('/audit/export?client_id=bulk.client', controller.signal);
    controller.abort();
    await download.cancel();

    let timer: NodeJS.Timeout | undefined;
    await Promise.race([finished, new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`the export went on reading (${read} events)`)), 10_000)))]);
    clearTimeout(timer);
    assert.ok(read < total, `stopped after ${read} of ${total} events`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(stderr.mock.callCount(), 0, `nothing printed: ${JSON.stringify(stderr.mock.calls.map((c) => String(c.arguments[0])))}`);
    assert.equal(logLines.filter((l) => (JSON.parse(l) as { level: number }).level >= 50).length, errorsBefore, 'no error logged');

    assert.equal((await fetch(`${server.url}/healthz`)).status, 200);
    assert.equal((await get('/audit?limit=1')).status, 200);
    t.mock.restoreAll();
    const again = await get('/audit/export?client_id=bulk.client');
    assert.equal(again.text.split('\n').length - 1, total, 'a whole export afterwards');
  });

  it('an export that fails mid-way (the database, say) is cut off, not ended as if complete, and the error is logged', async (t) => {
    const service = server.context.audit;
    const original = service.export.bind(service);
    t.mock.method(service, 'export', (filter: AuditFilter, batch?: number) =>
      (async function* failing(): AsyncGenerator<AuditEvent> {
        let n = 0;
        for await (const event of original(filter, batch)) {
          if (++n > 200) throw new Error('the database went away (test)');
          yield event;
        }
      })(),
    );
    const stderr = t.mock.method(console, 'error', () => undefined);
    const res = await fetch(`${server.url}${API}/audit/export`, { headers: { authorization: `Bearer ${auditor.token}` } });
    assert.equal(res.status, 200, 'the headers went before the failure');
    await assert.rejects(res.text(), 'the client sees an incomplete download');
    await new Promise((resolve) => setTimeout(resolve, 100));
    const logged = logLines.map((l) => JSON.parse(l) as { level: number; msg: string; err?: { message: string }; reqId?: string; path?: string }).filter((l) => l.level >= 50);
    const line = logged.find((l) => l.err?.message === 'the database went away (test)');
    assert.ok(line, `logged: ${JSON.stringify(logged)}`);
    assert.equal(line.path, `${API}/audit/export`);
    assert.ok(line.reqId);
    assert.equal(stderr.mock.callCount(), 0);
    t.mock.restoreAll();
    assert.equal((await get('/audit?limit=1')).status, 200);
  });

  it('no secret reaches the log: api-keys, introspection secrets, set-password links, tokens', async () => {
    const { apiKey } = await createClient(server.context, { clientId: 'audit.secret' });
    const second = await server.context.clients.issueKey('audit.secret', 'second', 'admin-cli');
    const { key: introspection } = await server.context.resources.create({ scope: 'audit.api', name: 'Audit API' }, 'admin-cli');
    const { account } = await createUser(server.context);
    const link = await api(server.url, admin.token, 'POST', `/users/${account.id}/password-link`);
    assert.equal(link.status, 201, link.text);
    const linkToken = new URL(link.json.url as string).pathname.split('/').pop()!;
    const secrets = { apiKey, second: second.api_key, introspection: introspection.api_key, linkToken, auditorKey: auditor.apiKey, adminToken: admin.token, auditorToken: auditor.token };
    assert.ok(Object.values(secrets).every((s) => s.length >= 20));

    const exported = (await get('/audit/export')).text;
    const listed = JSON.stringify(await walk(''));
    for (const [name, secret] of Object.entries(secrets)) {
      assert.ok(!exported.includes(secret), `${name} is not in the export`);
      assert.ok(!listed.includes(secret), `${name} is not in the list`);
    }
    // The events themselves are there.
    for (const type of ['api_key.issued', 'resource.created', 'account.password_link_issued']) assert.match(exported, new RegExp(`"type":"${type.replace('.', '\\.')}"`), type);
  });
}

describe('management API: audit (SQLite)', () => auditSuite('SQLite'));
describePostgres('management API: audit (PostgreSQL)', () => auditSuite('PostgreSQL'));
