/** Discovery and JWKS advertise exactly what works, at IdentityServer-style paths. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../support/server.ts';

describe('discovery and JWKS', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.stop());

  it('publishes the documented endpoints and capabilities', async () => {
    const res = await fetch(`${server.url}/.well-known/openid-configuration`);
    assert.equal(res.status, 200);
    const d = (await res.json()) as Record<string, unknown>;
    const iss = server.issuer;
    assert.equal(d.issuer, iss);
    assert.equal(d.jwks_uri, `${iss}/.well-known/openid-configuration/jwks`);
    assert.equal(d.token_endpoint, `${iss}/connect/token`);
    assert.equal(d.introspection_endpoint, `${iss}/connect/introspect`);
    assert.equal(d.revocation_endpoint, `${iss}/connect/revocation`);
    assert.equal(d.device_authorization_endpoint, `${iss}/connect/deviceauthorization`);
    assert.deepEqual(d.response_types_supported, ['code']);
    assert.deepEqual(d.code_challenge_methods_supported, ['S256']);
    assert.deepEqual(d.id_token_signing_alg_values_supported, ['RS256']);
    const grants = d.grant_types_supported as string[];
    for (const g of ['authorization_code', 'refresh_token', 'client_credentials']) assert.ok(grants.includes(g), g);
    assert.ok(!grants.includes('implicit'));
    assert.ok(!grants.includes('password'));
    const scopes = d.scopes_supported as string[];
    for (const s of ['openid', 'extern.api', 'extern.test-tools']) assert.ok(scopes.includes(s), s);
    assert.deepEqual((d.token_endpoint_auth_methods_supported as string[]).sort(), ['client_secret_basic', 'client_secret_post', 'none']);
  });

  it('serves the public signing keys, without private parts', async () => {
    const res = await fetch(`${server.url}/.well-known/openid-configuration/jwks`);
    assert.equal(res.status, 200);
    const { keys } = (await res.json()) as { keys: Record<string, unknown>[] };
    assert.equal(keys.length, 1);
    const [key] = keys;
    assert.equal(key!.kty, 'RSA');
    assert.equal(key!.alg, 'RS256');
    assert.equal(key!.use, 'sig');
    assert.equal(typeof key!.kid, 'string');
    for (const priv of ['d', 'p', 'q', 'dp', 'dq', 'qi']) assert.equal(key![priv], undefined, priv);
  });

  it('a new API resource appears in scopes_supported without a restart', async () => {
    await server.context.resources.create({ scope: 'extern.reports', name: 'Reports API' }, 'admin-cli');
    await new Promise((r) => setTimeout(r, 50));
    const d = (await (await fetch(`${server.url}/.well-known/openid-configuration`)).json()) as { scopes_supported: string[] };
    assert.ok(d.scopes_supported.includes('extern.reports'));
  });

  it('has no development interactions and answers unknown paths with a JSON 404', async () => {
    const res = await fetch(`${server.url}/interaction/does-not-exist`, { headers: { accept: 'application/json' } });
    assert.ok(res.status >= 400 && res.status < 500, String(res.status));
    const body = (await res.json()) as { error: string };
    assert.equal(typeof body.error, 'string');
  });

  it('health endpoints answer', async () => {
    assert.equal((await fetch(`${server.url}/healthz`)).status, 200);
    const ready = await fetch(`${server.url}/readyz`);
    assert.equal(ready.status, 200);
    assert.deepEqual(await ready.json(), { status: 'ready' });
  });
});
