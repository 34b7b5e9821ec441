/**
 * GET /links/partners: the partners support staff may link users for — the enabled clients with the
 * trusted permission, by client_id, names only — readable with `links:read`, without `clients:read`.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../support/server.ts';
import { createClient } from '../support/fixtures.ts';
import { api, machineOperator, type MachineOperator } from './support.ts';

describe('management API: partners to link for', () => {
  let server: TestServer;
  let support: MachineOperator;

  before(async () => {
    server = await startTestServer();
    const ctx = server.context;
    support = await machineOperator(ctx, server.url, 'ops.support', 'support');
    for (const id of ['p.b', 'p.a', 'p.disabled', 'p.c']) {
      await createClient(ctx, { clientId: id, name: `Partner ${id}`, grantTypes: ['trusted'] });
      await ctx.clients.setPermission(id, 'trusted', true, null);
    }
    await ctx.clients.disable('p.disabled', 'admin-cli');
    await createClient(ctx, { clientId: 'p.phone', grantTypes: ['trusted'] });
    await ctx.clients.setPermission('p.phone', 'link-by-phone', true, null);
  });
  after(() => server.stop());

  it('lists the enabled clients with the trusted permission by client_id, names only, in pages', async () => {
    const first = await api(server.url, support.token, 'GET', '/links/partners?limit=2');
    assert.equal(first.status, 200, first.text);
    assert.deepEqual(first.json.items, [
      { client_id: 'p.a', name: 'Partner p.a' },
      { client_id: 'p.b', name: 'Partner p.b' },
    ]);
    const rest = await api(server.url, support.token, 'GET', `/links/partners?limit=2&cursor=${first.json.next_cursor}`);
    assert.deepEqual(rest.json.items, [{ client_id: 'p.c', name: 'Partner p.c' }]);
    assert.equal(rest.json.next_cursor, null);
  });

  it('support staff read it without the clients API', async () => {
    assert.equal((await api(server.url, support.token, 'GET', '/signing-keys')).status, 403);
    const nobody = await machineOperator(server.context, server.url, 'ops.nobody', null);
    assert.equal((await api(server.url, nobody.token, 'GET', '/links/partners')).status, 403);
  });

  it('bad input is a 400 problem', async () => {
    assert.equal((await api(server.url, support.token, 'GET', '/links/partners?limit=0')).status, 400);
    assert.equal((await api(server.url, support.token, 'GET', '/links/partners?cursor=%21')).json.type, 'urn:propusk:problem:invalid-cursor');
    assert.equal((await api(server.url, support.token, 'GET', '/links/partners?client_id=x')).status, 400);
  });
});
