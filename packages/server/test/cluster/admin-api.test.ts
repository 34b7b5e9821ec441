/**
 * The management API on two `propusk serve` processes sharing one PostgreSQL schema: a change made
 * through the API on one instance holds on the other within a second (the change feed). The
 * operator is made as a deployment would make it: `propusk admin client create` and
 * `client grant-role` on the database, then client_credentials at any instance.
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { api } from '../admin-api/support.ts';
import { Cluster, describeCluster, eventually, on, servedBy } from './support.ts';

const A = 0;
const B = 1;

describeCluster('management API on two instances', () => {
  let c: Cluster;
  let token: string;

  before(async () => {
    c = await Cluster.start();
    const created = await c.cli(['client', 'create', '--client-id', 'ops.bot', '--name', 'Ops bot', '--grant-types', 'client_credentials', '--json']);
    assert.equal(created.code, 0, created.stderr);
    const apiKey = (JSON.parse(created.stdout) as { api_key: string }).api_key;
    const granted = await c.cli(['client', 'grant-role', 'ops.bot', 'admin']);
    assert.equal(granted.code, 0, granted.stderr);
    ({ value: token } = await eventually('a propusk.admin token', 3000, async () => {
      const res = await c.post(undefined, '/connect/token', { grant_type: 'client_credentials', client_id: 'ops.bot', client_secret: apiKey, scope: 'propusk.admin' });
      return res.status === 200 ? (res.json.access_token as string) : undefined;
    }));
  });
  after(() => c?.stop());

  /** A management API request pinned to instance `i`. */
  const call = async (i: number, method: string, path: string, body?: unknown) => {
    const res = await api(c.issuer, token, method, path, body, on(i));
    servedBy(res, i);
    return res;
  };

  it('an api-key revoked through the API on one instance is refused at the token endpoint of the other within a second', async () => {
    const created = await call(A, 'POST', '/clients', { client_id: 'svc.cluster', name: 'Cluster service', grant_types: ['client_credentials'], scopes: ['extern.api'] });
    assert.equal(created.status, 201, created.text);
    const issued = await call(A, 'POST', '/clients/svc.cluster/keys', { label: 'to revoke' });
    assert.equal(issued.status, 201, issued.text);
    const tokenWith = (i: number, secret: string) => c.post(i, '/connect/token', { grant_type: 'client_credentials', client_id: 'svc.cluster', client_secret: secret, scope: 'extern.api' });
    // Both keys work on both instances, so B holds the client and its keys in its cache.
    for (const i of [A, B]) {
      assert.equal((await tokenWith(i, created.json.api_key)).status, 200);
      assert.equal((await tokenWith(i, issued.json.api_key)).status, 200);
    }

    const revoked = await call(A, 'DELETE', `/clients/svc.cluster/keys/${issued.json.api_key_id}`);
    assert.equal(revoked.status, 204, revoked.text);
    const { value: refused, afterMs } = await eventually('instance B refuses the revoked key', 1000, async () => {
      const res = await tokenWith(B, issued.json.api_key);
      return res.status === 200 ? undefined : res;
    });
    assert.equal(refused.status, 401, refused.text);
    assert.equal(refused.json.error, 'invalid_client');
    assert.ok(afterMs < 1000, `${afterMs} ms`);
    assert.equal((await tokenWith(B, created.json.api_key)).status, 200, 'the other key still works');
    assert.equal((await call(B, 'GET', '/clients/svc.cluster/keys')).json.items.find((k: { api_key_id: string }) => k.api_key_id === issued.json.api_key_id).revoked_at !== null, true);
  });

  it('redirect URIs changed through the API on one instance are what the other instance authorizes within a second', async () => {
    const created = await call(A, 'POST', '/clients', { client_id: 'web.cluster', name: 'Cluster web', grant_types: ['authorization_code'], redirect_uris: ['https://old.example/cb'] });
    assert.equal(created.status, 201, created.text);
    const authorize = (i: number, redirectUri: string) =>
      c.fetch(i, `/connect/authorize?${new URLSearchParams({ response_type: 'code', client_id: 'web.cluster', scope: 'openid', redirect_uri: redirectUri, state: 's', nonce: 'n' })}`);
    assert.equal((await authorize(B, 'https://old.example/cb')).status, 303);

    const changed = await call(A, 'PATCH', '/clients/web.cluster', { redirect_uris: ['https://new.example/cb'] });
    assert.equal(changed.status, 200, changed.text);
    const { afterMs } = await eventually('instance B accepts the new redirect URI', 1000, async () => ((await authorize(B, 'https://new.example/cb')).status === 303 ? true : undefined));
    assert.ok(afterMs < 1000, `${afterMs} ms`);
    assert.equal((await authorize(B, 'https://old.example/cb')).status, 400);
  });
});
