/** Links through the management API: the support desk links a partner's user, and the partner's trusted grant follows. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { startTestServer, type TestServer } from '../support/server.ts';
import { createUser } from '../support/fixtures.ts';
import { createTestSchema, describePostgres, type TestSchema } from '../storage/support.ts';
import { claims, createPartner, requestToken, sign, type Partner } from '../trusted/support.ts';
import { api, machineOperator } from './support.ts';

type Link = { client_id: string; service_user_id: string; account_id: string; created_by: string };

function linksSuite(database: 'SQLite' | 'PostgreSQL'): void {
  let server: TestServer;
  let schema: TestSchema | undefined;
  let support: string;
  let auditor: string;
  let partner: Partner;

  before(async () => {
    if (database === 'PostgreSQL') schema = await createTestSchema();
    server = await startTestServer(schema ? { DATABASE_URL: schema.url } : {});
    support = (await machineOperator(server.context, server.url, 'links.support', 'support')).token;
    auditor = (await machineOperator(server.context, server.url, 'links.auditor', 'auditor')).token;
    partner = await createPartner(server.context, 'links.partner');
  });
  after(async () => {
    await server.stop();
    await schema?.drop();
  });

  const trustedToken = async (sub: string) => requestToken(server, partner, await sign(partner, claims(partner, sub)));

  it('a link made by support lets the partner get a token for that user; removing it stops it', async () => {
    const { account } = await createUser(server.context);
    assert.equal((await trustedToken('svc-1')).status, 400, 'not linked yet');
    assert.equal((await api(server.url, auditor, 'POST', '/links', { client_id: partner.clientId, service_user_id: 'svc-1', user: account.login })).status, 403);
    const created = await api(server.url, support, 'POST', '/links', { client_id: partner.clientId, service_user_id: 'svc-1', user: account.login });
    assert.equal(created.status, 201, created.text);
    assert.deepEqual({ ...created.json, created_at: undefined }, { client_id: partner.clientId, service_user_id: 'svc-1', account_id: account.id, created_by: 'support', existed: false, created_at: undefined });
    const token = await trustedToken('svc-1');
    assert.equal(token.status, 200, token.text);

    const again = await api(server.url, support, 'POST', '/links', { client_id: partner.clientId, service_user_id: 'svc-1', user: account.id });
    assert.equal(again.status, 200);
    assert.equal(again.json.existed, true);
    const other = await createUser(server.context);
    const conflict = await api(server.url, support, 'POST', '/links', { client_id: partner.clientId, service_user_id: 'svc-1', user: other.account.id });
    assert.equal(conflict.status, 409);

    const events = await server.context.repos.audit.tail({ type: 'link.created', limit: 1 });
    assert.equal(events.at(-1)?.actor, 'client:links.support');

    assert.equal((await api(server.url, support, 'DELETE', `/links/${partner.clientId}/svc-1`)).status, 204);
    assert.equal((await trustedToken('svc-1')).status, 400, 'unlinked');
    assert.equal((await api(server.url, support, 'DELETE', `/links/${partner.clientId}/svc-1`)).status, 404);
  });

  it('bad links: unknown client, unknown account, a bad service user id', async () => {
    const { account } = await createUser(server.context);
    assert.equal((await api(server.url, support, 'POST', '/links', { client_id: 'no.such.client', service_user_id: 'x', user: account.id })).status, 404);
    assert.equal((await api(server.url, support, 'POST', '/links', { client_id: partner.clientId, service_user_id: 'x', user: 'nobody@example.com' })).status, 404);
    assert.equal((await api(server.url, support, 'POST', '/links', { client_id: partner.clientId, service_user_id: ' ', user: account.id })).status, 400);
  });

  it('filters, and a walk of 205 links by cursor returns each once', async () => {
    const { account } = await createUser(server.context);
    const tag = randomBytes(3).toString('hex');
    for (let i = 0; i < 205; i++) await server.context.links.createBySupport(partner.clientId, `walk-${tag}-${String(i).padStart(3, '0')}`, account.id, null);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await api(server.url, support, 'GET', `/links?user=${encodeURIComponent(account.login)}&limit=${seen.length ? 200 : 17}${cursor ? `&cursor=${cursor}` : ''}`);
      assert.equal(res.status, 200, res.text);
      seen.push(...res.json.items.map((l: Link) => l.service_user_id));
      cursor = res.json.next_cursor;
    } while (cursor);
    assert.equal(seen.length, 205);
    assert.equal(new Set(seen).size, 205);
    const one = await api(server.url, support, 'GET', `/links?client_id=${partner.clientId}&service_user_id=walk-${tag}-007`);
    assert.deepEqual(one.json.items.map((l: Link) => l.account_id), [account.id]);
    assert.equal((await api(server.url, support, 'GET', '/links?user=nobody@example.com')).status, 404);
  });
}

describe('management API: links (SQLite)', () => linksSuite('SQLite'));
describePostgres('management API: links (PostgreSQL)', () => linksSuite('PostgreSQL'));
