/**
 * The resources operations of the management API, through HTTP (answers checked against the served
 * OpenAPI document): list page by page; create, whose introspection secret (shown once) introspects
 * the tokens a client gets for the new scope; the secret nowhere else; operators without
 * `resources:write` change nothing; bad input is a 4xx problem.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { basic, postForm, startTestServer, type TestServer } from '../support/server.ts';
import { api, machineOperator, type MachineOperator } from './support.ts';

describe('management API: resources', () => {
  let server: TestServer;
  let admin: MachineOperator;
  let support: MachineOperator;
  let auditor: MachineOperator;
  const logs: string[] = [];
  let secret: string;

  before(async () => {
    server = await startTestServer({ PROPUSK_LOG_LEVEL: 'trace' }, { logStream: { write: (line) => void logs.push(line) } });
    admin = await machineOperator(server.context, server.url, 'ops.admin', 'admin');
    support = await machineOperator(server.context, server.url, 'ops.support', 'support');
    auditor = await machineOperator(server.context, server.url, 'ops.auditor', 'auditor');
  });
  after(() => server.stop());

  const call = (method: string, path: string, body?: unknown) => api(server.url, admin.token, method, path, body);

  it('lists the resources by scope, with their introspection clients and effective token lifetime', async () => {
    const res = await api(server.url, auditor.token, 'GET', '/resources');
    assert.equal(res.status, 200, res.text);
    const scopes = res.json.items.map((r: { scope: string }) => r.scope);
    assert.deepEqual(scopes, [...scopes].sort());
    const admin = res.json.items.find((r: { scope: string }) => r.scope === 'propusk.admin');
    assert.equal(admin.indicator, 'urn:propusk:api:propusk.admin');
    assert.equal(admin.introspection_client_id, 'rs.propusk.admin');
    const extern = res.json.items.find((r: { scope: string }) => r.scope === 'extern.api');
    assert.equal(extern.access_token_ttl, server.context.config.ttl.accessToken);
    assert.equal(extern.access_token_format, 'opaque');
  });

  it('create: the introspection secret, once, introspects the tokens issued for the new scope; audited with the operator', async () => {
    const res = await call('POST', '/resources', { scope: 'billing.api', name: 'Billing API', access_token_format: 'opaque', access_token_ttl: 600 });
    assert.equal(res.status, 201, res.text);
    assert.equal(res.json.scope, 'billing.api');
    assert.equal(res.json.indicator, 'urn:propusk:api:billing.api');
    assert.equal(res.json.access_token_ttl, 600);
    assert.equal(res.json.introspection_client_id, 'rs.billing.api');
    secret = res.json.api_key;
    assert.match(secret, /^[0-9a-f-]{36}$/);

    const client = await call('POST', '/clients', { client_id: 'billing.job', name: 'Billing job', grant_types: ['client_credentials'], scopes: ['billing.api'] });
    assert.equal(client.status, 201, client.text);
    const token = await postForm(`${server.url}/connect/token`, { grant_type: 'client_credentials', client_id: 'billing.job', client_secret: client.json.api_key, scope: 'billing.api' });
    assert.equal(token.status, 200, token.text);
    assert.equal(token.json.expires_in, 600);
    const introspected = await postForm(`${server.url}/connect/introspect`, { token: token.json.access_token as string }, { authorization: basic('rs.billing.api', secret) });
    assert.equal(introspected.json.active, true, introspected.text);
    assert.equal(introspected.json.aud, 'urn:propusk:api:billing.api');

    const events = await server.context.audit.tail({ type: 'resource.created', limit: 100 });
    const event = events.find((e) => e.clientId === 'rs.billing.api');
    assert.equal(event?.actor, 'client:ops.admin');
    assert.deepEqual(event?.details, { scope: 'billing.api', indicator: 'urn:propusk:api:billing.api' });

    const listed = await call('GET', '/resources');
    assert.ok(listed.json.items.some((r: { scope: string }) => r.scope === 'billing.api'));
    assert.ok(!listed.text.includes(secret));
    const rs = await call('GET', '/clients/rs.billing.api');
    assert.equal(rs.json.kind, 'introspection');
    assert.ok(!rs.text.includes(secret));
    assert.ok(!(await call('GET', '/clients/rs.billing.api/keys')).text.includes(secret));
  });

  it('pages by scope', async () => {
    for (const scope of ['a.api', 'b.api', 'c.api']) {
      const res = await call('POST', '/resources', { scope, name: scope, indicator: `https://${scope}.example/`, access_token_format: 'jwt' });
      assert.equal(res.status, 201, res.text);
      assert.equal(res.json.access_token_format, 'jwt');
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await call('GET', `/resources?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      assert.ok(page.json.items.length <= 2);
      seen.push(...page.json.items.map((r: { scope: string }) => r.scope));
      cursor = page.json.next_cursor;
    } while (cursor);
    assert.deepEqual(seen, (await server.context.resources.list()).map((r) => r.scope).sort());
    assert.ok(seen.includes('b.api'));
  });

  it('create with access_token_signing_alg: the API’s JWT access tokens are signed with it; a key of that algorithm is added once and listed', async () => {
    const keysBefore = (await call('GET', '/signing-keys')).json.items as { alg: string }[];
    assert.deepEqual(keysBefore.map((k) => k.alg), ['RS256']);
    const res = await call('POST', '/resources', { scope: 'edwards.api', name: 'Edwards API', access_token_format: 'jwt', access_token_signing_alg: 'EdDSA' });
    assert.equal(res.status, 201, res.text);
    assert.equal(res.json.access_token_signing_alg, 'EdDSA');
    const listed = (await call('GET', '/resources?limit=200')).json.items as { scope: string; access_token_signing_alg: string | null }[];
    assert.equal(listed.find((r) => r.scope === 'edwards.api')?.access_token_signing_alg, 'EdDSA');
    assert.equal(listed.find((r) => r.scope === 'extern.api')?.access_token_signing_alg, null);
    assert.equal(listed.find((r) => r.scope === 'a.api')?.access_token_signing_alg, 'RS256', 'a JWT API created without one is RS256');

    const keys = (await call('GET', '/signing-keys')).json.items as { kid: string; alg: string; signing: boolean }[];
    assert.deepEqual(keys.map((k) => `${k.alg} ${k.signing}`).sort(), ['EdDSA true', 'RS256 true']);
    const events = await server.context.audit.tail({ type: 'signing_key.created', limit: 10 });
    assert.deepEqual(events.map((e) => [e.actor, e.details]), [['client:ops.admin', { kid: keys.find((k) => k.alg === 'EdDSA')!.kid, alg: 'EdDSA' }]]);

    const client = await call('POST', '/clients', { client_id: 'edwards.job', name: 'Edwards job', grant_types: ['client_credentials'], scopes: ['edwards.api'] });
    assert.equal(client.status, 201, client.text);
    const token = await postForm(`${server.url}/connect/token`, { grant_type: 'client_credentials', client_id: 'edwards.job', client_secret: client.json.api_key, scope: 'edwards.api' });
    assert.equal(token.status, 200, token.text);
    const header = JSON.parse(Buffer.from((token.json.access_token as string).split('.')[0]!, 'base64url').toString()) as Record<string, string>;
    assert.deepEqual([header.alg, header.typ, header.kid], ['EdDSA', 'at+jwt', keys.find((k) => k.alg === 'EdDSA')!.kid]);

    const again = await call('POST', '/resources', { scope: 'edwards2.api', name: 'Edwards API 2', access_token_format: 'jwt', access_token_signing_alg: 'EdDSA' });
    assert.equal(again.status, 201, again.text);
    assert.equal((await call('GET', '/signing-keys')).json.items.length, 2, 'no second EdDSA key');
  });

  it('bad input: 400 or 409 problems, nothing created', async () => {
    const count = async () => (await server.context.resources.list()).length;
    const before = await count();
    const cases: [unknown, number, RegExp?][] = [
      [{ scope: 'bad scope', name: 'x' }, 400, /scope must be/],
      [{ scope: 'openid', name: 'x' }, 400, /OpenID Connect scope/],
      [{ scope: 'x.api', name: '' }, 400, /name must be/],
      [{ scope: 'x.api', name: 'x', indicator: 'not a uri' }, 400, /absolute URI/],
      [{ scope: 'x.api', name: 'x', indicator: 'https://x.example/#f' }, 400, /fragment/],
      [{ scope: 'x.api', name: 'x', access_token_format: 'xml' }, 400],
      [{ scope: 'x.api', name: 'x', access_token_format: 'opaque', access_token_signing_alg: 'ES256' }, 400, /JWT access tokens only/],
      [{ scope: 'x.api', name: 'x', access_token_signing_alg: 'EdDSA' }, 400, /JWT access tokens only/],
      [{ scope: 'x.api', name: 'x', access_token_format: 'jwt', access_token_signing_alg: 'HS256' }, 400],
      [{ scope: 'x.api', name: 'x', access_token_format: 'jwt', access_token_signing_alg: 'none' }, 400],
      [{ scope: 'x.api', name: 'x', access_token_ttl: 5 }, 400, /60\.\.31536000/],
      [{ scope: 'x.api', name: 'x', access_token_ttl: 1.5 }, 400],
      [{ scope: 'x.api', name: 'x', access_token_ttl: '600' }, 400],
      [{ scope: 'x.api', name: 'x', secret: 'mine' }, 400],
      [{ name: 'x' }, 400],
      [{ scope: 'billing.api', name: 'again' }, 409, /already exists/],
      [{ scope: 'other.api', name: 'x', indicator: 'urn:propusk:api:billing.api' }, 409, /already exists/],
    ];
    for (const [body, status, detail] of cases) {
      const res = await call('POST', '/resources', body);
      assert.equal(res.status, status, `${JSON.stringify(body)}: ${res.text}`);
      if (detail) assert.match(res.json.detail, detail, res.text);
    }
    for (const path of ['/resources?cursor=%%%', `/resources?cursor=${Buffer.from('[1,2]').toString('base64url')}`]) {
      const res = await call('GET', path);
      assert.equal(res.status, 400);
      assert.equal(res.json.type, 'urn:propusk:problem:invalid-cursor');
    }
    assert.equal((await call('GET', '/resources?kind=api')).status, 400);
    assert.equal(await count(), before);
    assert.equal((await call('GET', '/clients/rs.x.api')).status, 404);
  });

  it('support and auditor may not create (403, nothing created); support may not list', async () => {
    const before = (await server.context.resources.list()).length;
    for (const who of [support, auditor]) {
      const res = await api(server.url, who.token, 'POST', '/resources', { scope: 'sneaky.api', name: 'Sneaky' });
      assert.equal(res.status, 403, res.text);
    }
    assert.equal((await server.context.resources.list()).length, before);
    assert.equal((await call('GET', '/clients/rs.sneaky.api')).status, 404);
    assert.equal((await api(server.url, support.token, 'GET', '/resources')).status, 403);
  });

  it('the introspection secret appears in no audit event and no log line', async () => {
    const audit = JSON.stringify(await server.context.audit.tail({ limit: 100_000 }));
    const log = logs.join('\n');
    assert.ok(log.includes('audit resource.created'), 'the log was captured');
    assert.match(secret, /^[0-9a-f-]{36}$/);
    assert.ok(!audit.includes(secret));
    assert.ok(!log.includes(secret));
  });
});
