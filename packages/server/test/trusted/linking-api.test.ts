/**
 * PUT /register-external-service-id: every answer code, parameter and authentication variants,
 * idempotency, the audit trail, and a trusted sign-in right after a self-service link.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PHONE_INDEX } from '../../src/storage/phone-uniqueness.ts';
import { request } from 'node:http';
import { basic, startTestServer, type TestServer } from '../support/server.ts';
import { createUser } from '../support/fixtures.ts';
import { claims, createPartner, requestToken, sign, type Partner } from './support.ts';

interface Answer {
  status: number;
  headers: Headers;
  json: Record<string, unknown>;
}

describe('PUT /register-external-service-id', () => {
  let server: TestServer;
  let partner: Partner;
  let accountId: string;
  const PHONE = '9123456789';

  before(async () => {
    server = await startTestServer();
    partner = await createPartner(server.context, 'linking.partner', { permissions: ['trusted', 'link-by-phone'] });
    accountId = (await createUser(server.context, { phone: PHONE })).account.id;
  });
  after(() => server.stop());

  const url = (query: Record<string, string> = {}) => `${server.url}/register-external-service-id${Object.keys(query).length ? `?${new URLSearchParams(query)}` : ''}`;
  const auth = (p: { clientId: string; apiKey: string } = partner) => ({ authorization: basic(p.clientId, p.apiKey) });

  async function call(init: { method?: string; query?: Record<string, string>; form?: Record<string, string>; headers?: Record<string, string>; body?: string }): Promise<Answer> {
    const headers: Record<string, string> = { ...init.headers };
    let body: string | undefined = init.body;
    if (init.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(init.form).toString();
    }
    const res = await fetch(url(init.query), { method: init.method ?? 'PUT', headers, ...(body === undefined ? {} : { body }) });
    const text = await res.text();
    return { status: res.status, headers: res.headers, json: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
  }

  const fails = (a: Answer, status: number, error: string) => {
    assert.equal(a.status, status, JSON.stringify(a.json));
    assert.equal(a.json.error, error, JSON.stringify(a.json));
    assert.equal(typeof a.json.error_description, 'string');
    assert.match(a.headers.get('content-type') ?? '', /application\/json/);
  };

  it('200: links by phone from the query string with HTTP Basic, and again idempotently', async () => {
    const first = await call({ query: { ServiceUserId: 'u-1', Phone: PHONE }, headers: auth() });
    assert.equal(first.status, 200, JSON.stringify(first.json));
    assert.equal(first.headers.get('cache-control'), 'no-store');
    assert.deepEqual({ ...first.json, created_at: undefined }, {
      client_id: partner.clientId,
      service_user_id: 'u-1',
      account_id: accountId,
      created_by: 'partner',
      created_at: undefined,
      created: true,
    });
    const again = await call({ query: { ServiceUserId: 'u-1', Phone: `+7 (${PHONE.slice(0, 3)}) ${PHONE.slice(3, 6)}-${PHONE.slice(6, 8)}-${PHONE.slice(8)}` }, headers: auth() });
    assert.equal(again.status, 200);
    assert.equal(again.json.created, false);
    assert.equal(again.json.account_id, accountId);
  });

  it('200: form body with form client credentials, parameter names in any case, 8-prefixed phone', async () => {
    const a = await call({ form: { serviceuserid: 'u-2', PHONE: `8${PHONE}`, client_id: partner.clientId, client_secret: partner.apiKey } });
    assert.equal(a.status, 200, JSON.stringify(a.json));
    assert.equal(a.json.service_user_id, 'u-2');
  });

  it('a trusted sign-in works right after a self-service link', async () => {
    const linked = await call({ form: { ServiceUserId: 'fresh-user', Phone: PHONE }, headers: auth() });
    assert.equal(linked.status, 200);
    const res = await requestToken(server, partner, await sign(partner, claims(partner, 'fresh-user')));
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.token_type, 'Bearer');
  });

  it('400: invalid phone, missing or too long ServiceUserId, a parameter given twice', async () => {
    fails(await call({ query: { ServiceUserId: 'u-3', Phone: '12345' }, headers: auth() }), 400, 'invalid_input');
    fails(await call({ query: { ServiceUserId: 'u-3' }, headers: auth() }), 400, 'invalid_input');
    fails(await call({ query: { Phone: PHONE }, headers: auth() }), 400, 'invalid_input');
    fails(await call({ query: { ServiceUserId: 'x'.repeat(201), Phone: PHONE }, headers: auth() }), 400, 'invalid_input');
    fails(await call({ query: { ServiceUserId: 'u-3', Phone: PHONE }, form: { serviceUserId: 'u-4' }, headers: auth() }), 400, 'invalid_request');
  });

  it('401: no credentials, a wrong api-key, an unknown client — with a Basic challenge', async () => {
    const none = await call({ query: { ServiceUserId: 'u-5', Phone: PHONE } });
    fails(none, 401, 'invalid_client');
    assert.match(none.headers.get('www-authenticate') ?? '', /^Basic /);
    fails(await call({ query: { ServiceUserId: 'u-5', Phone: PHONE }, headers: auth({ clientId: partner.clientId, apiKey: crypto.randomUUID() }) }), 401, 'invalid_client');
    fails(await call({ query: { ServiceUserId: 'u-5', Phone: PHONE }, headers: auth({ clientId: 'nobody', apiKey: partner.apiKey }) }), 401, 'invalid_client');
    fails(await call({ query: { ServiceUserId: 'u-5', Phone: PHONE }, headers: { authorization: 'Bearer abc' } }), 401, 'invalid_client');
  });

  it('400: the api-key in the query string is refused', async () => {
    fails(await call({ query: { ServiceUserId: 'u-5', Phone: PHONE, client_id: partner.clientId, client_secret: partner.apiKey } }), 400, 'invalid_request');
  });

  it('403: a client without the link-by-phone permission', async () => {
    const trustedOnly = await createPartner(server.context, 'trusted.only');
    fails(await call({ query: { ServiceUserId: 'u-6', Phone: PHONE }, headers: auth(trustedOnly) }), 403, 'unauthorized_client');
  });

  it('404: no active account has the phone', async () => {
    fails(await call({ query: { ServiceUserId: 'u-7', Phone: '9000000000' }, headers: auth() }), 404, 'account_not_found');
    const { account } = await createUser(server.context, { phone: '9000000077' });
    await server.context.accounts.disable(account.id, 'admin-cli');
    fails(await call({ query: { ServiceUserId: 'u-7', Phone: '9000000077' }, headers: auth() }), 404, 'account_not_found');
  });

  it('409: the phone matches several accounts (a database from before phones were unique)', async () => {
    // Such a database has no unique index on phones (storage/phone-uniqueness.ts): made here as it was.
    await server.context.db.schema.dropIndex(PHONE_INDEX).execute();
    const first = await createUser(server.context, { phone: '9555555554' });
    const second = await createUser(server.context, { phone: '9555555553' });
    await server.context.db.updateTable('account').set({ phone: '9555555555' }).where('id', 'in', [first.account.id, second.account.id]).execute();
    fails(await call({ query: { ServiceUserId: 'u-8', Phone: '9555555555' }, headers: auth() }), 409, 'ambiguous_phone');
  });

  it('409: the ServiceUserId is already linked to another account', async () => {
    await createUser(server.context, { phone: '9666666666' });
    assert.equal((await call({ query: { ServiceUserId: 'u-9', Phone: PHONE }, headers: auth() })).status, 200);
    fails(await call({ query: { ServiceUserId: 'u-9', Phone: '9666666666' }, headers: auth() }), 409, 'already_linked');
  });

  it('405 for other methods, 415 for a body that is not a form, 413 for an oversized body', async () => {
    const get = await call({ method: 'GET', query: { ServiceUserId: 'u-10', Phone: PHONE }, headers: auth() });
    fails(get, 405, 'method_not_allowed');
    assert.equal(get.headers.get('allow'), 'PUT');
    fails(await call({ method: 'POST', form: { ServiceUserId: 'u-10', Phone: PHONE }, headers: auth() }), 405, 'method_not_allowed');
    fails(await call({ body: JSON.stringify({ ServiceUserId: 'u-10', Phone: PHONE }), headers: { ...auth(), 'content-type': 'application/json' } }), 415, 'unsupported_media_type');
    const big = await call({ body: `ServiceUserId=${'x'.repeat(70 * 1024)}`, headers: { ...auth(), 'content-type': 'application/x-www-form-urlencoded' } });
    assert.equal(big.status, 413);
  });

  it('413 for an oversized chunked body (no Content-Length)', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(url(), { method: 'PUT', headers: { ...auth(), 'content-type': 'application/x-www-form-urlencoded', 'transfer-encoding': 'chunked' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', (err: NodeJS.ErrnoException) => (err.code === 'ECONNRESET' || err.code === 'EPIPE' ? undefined : reject(err)));
      req.write('ServiceUserId=');
      for (let i = 0; i < 70; i++) req.write('x'.repeat(1024));
      req.end();
    });
    assert.equal(status, 413);
  });

  it('audits links and refusals, without the api-key', async () => {
    const events = await server.context.audit.tail({ type: 'link.by_phone', limit: 1000 });
    assert.ok(events.some((e) => e.outcome === 'success' && e.details.service_user_id === 'u-1' && e.details.result === 'created' && e.accountId === accountId));
    assert.ok(events.some((e) => e.outcome === 'failure' && e.details.rule === 'ambiguous_phone'));
    assert.ok(events.some((e) => e.outcome === 'failure' && e.details.rule === 'invalid_client'));
    assert.ok(!JSON.stringify(events).includes(partner.apiKey));
  });
});
