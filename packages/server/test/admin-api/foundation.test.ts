/**
 * The management API's foundation: tokens checked with @propusk/resource-server, roles read on
 * every request, RFC 9457 problems, the OpenAPI document, the operator-role CLI.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { postForm, runCli, startTestServer, type TestServer } from '../support/server.ts';
import { createClient, createUser } from '../support/fixtures.ts';
import { api, clientCredentialsToken, machineOperator, type MachineOperator } from './support.ts';
import { eventually } from '../cluster/support.ts';

describe('management API: authentication, roles, problems', () => {
  let server: TestServer;
  let admin: MachineOperator;
  let auditor: MachineOperator;
  let nobody: MachineOperator;

  before(async () => {
    server = await startTestServer();
    admin = await machineOperator(server.context, server.url, 'ops.admin', 'admin');
    auditor = await machineOperator(server.context, server.url, 'ops.auditor', 'auditor');
    nobody = await machineOperator(server.context, server.url, 'ops.nobody', null);
  });
  after(() => server.stop());

  it('the migrations created the API resource, its introspection client and the console client', async () => {
    const resource = (await server.context.resources.list()).find((r) => r.scope === 'propusk.admin');
    assert.equal(resource?.indicator, 'urn:propusk:api:propusk.admin');
    assert.equal(resource?.introspectionClientId, 'rs.propusk.admin');
    const console = await server.context.clients.get('propusk-console');
    assert.equal(console.public, true);
    assert.deepEqual(console.redirectUris, [`${server.context.config.issuer}/console/callback`]);
  });

  it('an admin lists signing keys; the answer is a page', async () => {
    const res = await api(server.url, admin.token, 'GET', '/signing-keys');
    assert.equal(res.status, 200, res.text);
    assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
    assert.equal(res.headers.get('cache-control'), 'no-store');
    assert.ok(Array.isArray(res.json.items) && res.json.items.length >= 1);
    assert.equal(res.json.next_cursor, null);
    assert.equal(res.json.items.filter((k: { signing: boolean }) => k.signing).length, 1);
  });

  it('no token: 401 with a Bearer challenge, as a problem document', async () => {
    const res = await api(server.url, null, 'GET', '/signing-keys');
    assert.equal(res.status, 401);
    assert.match(res.headers.get('www-authenticate') ?? '', /^Bearer realm="propusk\.admin"/);
    assert.match(res.headers.get('content-type') ?? '', /^application\/problem\+json/);
    assert.equal(res.json.type, 'urn:propusk:problem:invalid-token');
    assert.equal(res.json.status, 401);
  });

  it('a token for another API is refused as invalid_token', async () => {
    const other = await createClient(server.context, { clientId: 'ops.extern', scopes: ['extern.api'] });
    const token = await clientCredentialsToken(server.url, other.clientId, other.apiKey, 'extern.api');
    const res = await api(server.url, token, 'GET', '/signing-keys');
    assert.equal(res.status, 401, res.text);
    assert.match(res.headers.get('www-authenticate') ?? '', /error="invalid_token"/);
    assert.equal(res.json.error, 'invalid_token');
  });

  it('no role: 403 problem; an auditor may read but not rotate, and nothing changes', async () => {
    const none = await api(server.url, nobody.token, 'GET', '/signing-keys');
    assert.equal(none.status, 403, none.text);
    assert.equal(none.json.type, 'urn:propusk:problem:forbidden');
    const before = (await api(server.url, admin.token, 'GET', '/signing-keys')).json.items;
    assert.equal((await api(server.url, auditor.token, 'GET', '/signing-keys')).status, 200);
    const rotate = await api(server.url, auditor.token, 'POST', '/signing-keys/rotate');
    assert.equal(rotate.status, 403);
    assert.deepEqual((await api(server.url, admin.token, 'GET', '/signing-keys')).json.items, before);
  });

  it('an admin rotates the signing key, audited with the client as actor', async () => {
    const res = await api(server.url, admin.token, 'POST', '/signing-keys/rotate');
    assert.equal(res.status, 201, res.text);
    const events = (await server.context.repos.audit.tail({ type: 'signing_key.rotated', limit: 1 })).reverse();
    assert.equal(events[0]?.actor, 'client:ops.admin');
  });

  it('a role withdrawn takes effect on the next request, though the token is still valid', async () => {
    const temp = await machineOperator(server.context, server.url, 'ops.temp', 'auditor');
    assert.equal((await api(server.url, temp.token, 'GET', '/signing-keys')).status, 200);
    await server.context.roles.revoke({ client: 'ops.temp' }, 'auditor', 'admin-cli');
    assert.equal((await api(server.url, temp.token, 'GET', '/signing-keys')).status, 403);
  });

  it('a disabled operator client is refused as invalid_token on the next request', async () => {
    const temp = await machineOperator(server.context, server.url, 'ops.disabled', 'admin');
    assert.equal((await api(server.url, temp.token, 'GET', '/signing-keys')).status, 200);
    await server.context.clients.disable('ops.disabled', 'admin-cli');
    const res = await api(server.url, temp.token, 'GET', '/signing-keys');
    assert.equal(res.status, 401, res.text);
    assert.match(res.headers.get('www-authenticate') ?? '', /invalid_token/);
  });

  it('bad input: unknown query parameter, bad cursor, bad JSON, wrong media type, huge body, unknown path, wrong method', async () => {
    const cases: [string, string, unknown, Record<string, string>, number, string][] = [
      ['GET', '/signing-keys?bogus=1', undefined, {}, 400, 'invalid-request'],
      ['GET', '/signing-keys?limit=0', undefined, {}, 400, 'invalid-request'],
      ['GET', '/signing-keys?limit=201', undefined, {}, 400, 'invalid-request'],
      ['GET', '/signing-keys?cursor=%%%', undefined, {}, 400, 'invalid-cursor'],
      ['GET', `/signing-keys?cursor=${Buffer.from('{"a":1}').toString('base64url')}`, undefined, {}, 400, 'invalid-cursor'],
      ['POST', '/signing-keys/rotate', '{not json', {}, 400, 'invalid-request'],
      ['POST', '/signing-keys/rotate', 'x=1', { 'content-type': 'application/x-www-form-urlencoded' }, 415, 'unsupported-media-type'],
      ['POST', '/signing-keys/rotate', JSON.stringify({ pad: 'x'.repeat(70_000) }), {}, 413, 'payload-too-large'],
      ['GET', '/nothing-here', undefined, {}, 404, 'not-found'],
      ['DELETE', '/signing-keys', undefined, {}, 405, 'method-not-allowed'],
    ];
    for (const [method, path, body, headers, status, slug] of cases) {
      const res = await api(server.url, admin.token, method, path, body, headers);
      assert.equal(res.status, status, `${method} ${path}: ${res.text}`);
      assert.match(res.headers.get('content-type') ?? '', /^application\/problem\+json/, `${method} ${path}`);
      assert.equal(res.json.type, `urn:propusk:problem:${slug}`, `${method} ${path}`);
    }
  });

  it('the path is matched whatever its case', async () => {
    assert.equal((await api(server.url, null, 'GET', '/ADMIN/API/V1/SIGNING-KEYS')).status, 401);
    assert.equal((await api(server.url, admin.token, 'GET', '/Admin/Api/V1/Signing-Keys')).status, 200);
  });

  it('serves its OpenAPI 3.1 document without a token', async () => {
    const res = await api(server.url, null, 'GET', '/openapi.json');
    assert.equal(res.status, 200);
    assert.equal(res.json.openapi, '3.1.1');
    assert.equal(res.json.paths['/signing-keys'].get.operationId, 'listSigningKeys');
    assert.equal(res.json.paths['/signing-keys/rotate'].post['x-propusk-permission'], 'signing-keys:write');
  });

  it('roles are granted to accounts too', async () => {
    const { account } = await createUser(server.context);
    await server.context.roles.grant({ account: account.login }, 'admin', 'admin-cli');
    assert.deepEqual(await server.context.roles.rolesOf({ kind: 'account', id: account.id }), ['admin']);
  });
});

describe('operator roles in the admin CLI', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.stop());

  it('grants and revokes roles to accounts and machine clients; a client with a role gets a propusk.admin token', async () => {
    const env = server.env;
    const { account } = await createUser(server.context, { login: 'desk@example.com' });
    const granted = await runCli(['admin', 'user', 'grant-role', 'desk@example.com', 'support', '--json'], env);
    assert.equal(granted.code, 0, granted.stderr);
    assert.deepEqual(JSON.parse(granted.stdout), { login: account.login, roles: ['support'], changed: true });
    const bad = await runCli(['admin', 'user', 'grant-role', 'desk@example.com', 'root'], env);
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /unknown role "root"/);

    const client = await createClient(server.context, { clientId: 'robot', scopes: ['extern.api'] });
    const refused = await postForm(`${server.url}/connect/token`, { grant_type: 'client_credentials', client_id: 'robot', client_secret: client.apiKey, scope: 'propusk.admin' });
    assert.equal(refused.status, 400, 'no propusk.admin scope before a role');
    const cg = await runCli(['admin', 'client', 'grant-role', 'robot', 'auditor'], env);
    assert.equal(cg.code, 0, cg.stderr);
    assert.match(cg.stdout, /robot: roles auditor/);
    // The CLI's change reaches the running server through the change feed within a second.
    const { value: token } = await eventually('propusk.admin token', 3000, async () => {
      const res = await postForm(`${server.url}/connect/token`, { grant_type: 'client_credentials', client_id: 'robot', client_secret: client.apiKey, scope: 'propusk.admin' });
      return res.status === 200 ? (res.json.access_token as string) : undefined;
    });
    assert.equal((await api(server.url, token, 'GET', '/signing-keys')).status, 200);

    const cr = await runCli(['admin', 'client', 'revoke-role', 'robot', 'auditor', '--json'], env);
    assert.equal(cr.code, 0, cr.stderr);
    assert.deepEqual(JSON.parse(cr.stdout).roles, []);
    await eventually('the scope goes with the last role', 3000, async () => {
      const res = await postForm(`${server.url}/connect/token`, { grant_type: 'client_credentials', client_id: 'robot', client_secret: client.apiKey, scope: 'propusk.admin' });
      return res.status === 400 && res.json.error === 'invalid_scope' ? true : undefined;
    });
    const events = await server.context.repos.audit.tail({ type: 'operator.role_granted', limit: 5 });
    assert.ok(events.some((e) => e.actor === 'admin-cli' && e.clientId === 'robot'));
  });
});
