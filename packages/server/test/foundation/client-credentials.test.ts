/** client_credentials → opaque token → introspection → revocation; client authentication and deny-by-default. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { basic, postForm, startTestServer, type TestServer } from '../support/server.ts';
import { createClient, resourceCredentials } from '../support/fixtures.ts';

describe('client_credentials, introspection and revocation', () => {
  let server: TestServer;
  let client: { clientId: string; apiKey: string; apiKeyId: string };
  let api: { clientId: string; secret: string };
  let testTools: { clientId: string; secret: string };
  const token = () => `${server.url}/connect/token`;
  const introspect = (t: string, who = api) => postForm(`${server.url}/connect/introspect`, { token: t }, { authorization: basic(who.clientId, who.secret) });

  before(async () => {
    server = await startTestServer();
    client = await createClient(server.context, { clientId: 'service.one', scopes: ['extern.api', 'extern.test-tools'] });
    api = await resourceCredentials(server.context, 'extern.api');
    testTools = await resourceCredentials(server.context, 'extern.test-tools');
  });
  after(() => server.stop());

  const issue = async (scope = 'extern.api') => {
    const res = await postForm(token(), { grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.apiKey, scope });
    assert.equal(res.status, 200, res.text);
    return res;
  };

  it('issues an opaque 24 h token for the API, not cached', async () => {
    const res = await issue();
    assert.equal(res.json.token_type, 'Bearer');
    assert.equal(res.json.expires_in, 86400);
    assert.equal(res.json.scope, 'extern.api');
    assert.match(res.json.access_token as string, /^[A-Za-z0-9_-]{40,}$/);
    assert.equal(res.headers.get('cache-control'), 'no-store');
  });

  it('introspection says active for the API, then inactive after revocation', async () => {
    const { json } = await issue();
    const at = json.access_token as string;
    const active = await introspect(at);
    assert.equal(active.status, 200);
    assert.equal(active.json.active, true);
    assert.equal(active.json.client_id, client.clientId);
    assert.equal(active.json.aud, 'urn:propusk:api:extern.api');
    assert.equal(active.json.scope, 'extern.api');

    const revoked = await postForm(`${server.url}/connect/revocation`, { token: at, client_id: client.clientId, client_secret: client.apiKey });
    assert.equal(revoked.status, 200);
    assert.deepEqual((await introspect(at)).json, { active: false });
  });

  it('a token for one API is not active for another API', async () => {
    const { json } = await issue('extern.api');
    assert.deepEqual((await introspect(json.access_token as string, testTools)).json, { active: false });
    const other = await issue('extern.test-tools');
    assert.equal((await introspect(other.json.access_token as string, testTools)).json.active, true);
    assert.deepEqual((await introspect(other.json.access_token as string, api)).json, { active: false });
  });

  it('a JWT is not introspected or revoked (unsupported_token_type); an unknown opaque value is inactive', async () => {
    // JWT-format tokens are validated by the API itself (README); introspection is for opaque tokens.
    const header = Buffer.from(JSON.stringify({ alg: 'RS256', typ: 'at+jwt' })).toString('base64url');
    const payload = Buffer.from(JSON.stringify({ sub: 'x' })).toString('base64url');
    const jwt = `${header}.${payload}.c2lnbmF0dXJl`;
    const res = await introspect(jwt);
    assert.equal(res.status, 400, res.text);
    assert.equal(res.json.error, 'unsupported_token_type');
    assert.match(res.json.error_description as string, /introspected/);
    const revoked = await postForm(`${server.url}/connect/revocation`, { token: jwt, client_id: client.clientId, client_secret: client.apiKey });
    assert.equal(revoked.status, 400, revoked.text);
    assert.equal(revoked.json.error, 'unsupported_token_type');
    // Opaque values (no dots) go straight to the lookup.
    assert.deepEqual((await introspect('x'.repeat(43))).json, { active: false });
    assert.deepEqual((await introspect('a.b')).json, { active: false });
  });

  it('a client that is not an API cannot introspect, even its own token', async () => {
    const { json } = await issue();
    const res = await introspect(json.access_token as string, { clientId: client.clientId, secret: client.apiKey });
    assert.deepEqual(res.json, { active: false });
  });

  it('another client cannot revoke the token', async () => {
    const other = await createClient(server.context, { clientId: 'service.other' });
    const { json } = await issue();
    await postForm(`${server.url}/connect/revocation`, { token: json.access_token as string, client_id: other.clientId, client_secret: other.apiKey });
    assert.equal((await introspect(json.access_token as string)).json.active, true);
  });

  it('accepts client_secret_basic as well as client_secret_post', async () => {
    const res = await postForm(token(), { grant_type: 'client_credentials', scope: 'extern.api' }, { authorization: basic(client.clientId, client.apiKey) });
    assert.equal(res.status, 200, res.text);
  });

  it('a wrong api-key is invalid_client (401)', async () => {
    const res = await postForm(token(), { grant_type: 'client_credentials', client_id: client.clientId, client_secret: '00000000-0000-0000-0000-000000000000', scope: 'extern.api' });
    assert.equal(res.status, 401);
    assert.equal(res.json.error, 'invalid_client');
    assert.equal(typeof res.json.error_description, 'string');
    const basicRes = await postForm(token(), { grant_type: 'client_credentials', scope: 'extern.api' }, { authorization: basic(client.clientId, 'nope') });
    assert.equal(basicRes.status, 401);
    assert.match(basicRes.headers.get('www-authenticate') ?? '', /^Basic /);
  });

  it('an unknown client is invalid_client', async () => {
    const res = await postForm(token(), { grant_type: 'client_credentials', client_id: 'nobody', client_secret: client.apiKey, scope: 'extern.api' });
    assert.equal(res.status, 401);
    assert.equal(res.json.error, 'invalid_client');
  });

  it('a revoked api-key is refused at once; other keys keep working', async () => {
    const second = await server.context.clients.issueKey(client.clientId, undefined, 'admin-cli');
    const ok = await postForm(token(), { grant_type: 'client_credentials', client_id: client.clientId, client_secret: second.api_key, scope: 'extern.api' });
    assert.equal(ok.status, 200);
    await server.context.clients.revokeKey(client.clientId, second.api_key_id, 'admin-cli');
    const refused = await postForm(token(), { grant_type: 'client_credentials', client_id: client.clientId, client_secret: second.api_key, scope: 'extern.api' });
    assert.equal(refused.status, 401);
    assert.equal(refused.json.error, 'invalid_client');
    assert.equal((await issue()).status, 200);
  });

  it('a grant type the client is not registered for is unauthorized_client', async () => {
    const device = await createClient(server.context, { clientId: 'device.only', grantTypes: ['urn:ietf:params:oauth:grant-type:device_code'] });
    const res = await postForm(token(), { grant_type: 'client_credentials', client_id: device.clientId, client_secret: device.apiKey, scope: 'extern.api' });
    assert.equal(res.status, 400);
    assert.equal(res.json.error, 'unauthorized_client');
    assert.ok(res.json.error_description);
  });

  it('a scope the client is not registered for is invalid_scope', async () => {
    const narrow = await createClient(server.context, { clientId: 'narrow', scopes: ['extern.api'] });
    const res = await postForm(token(), { grant_type: 'client_credentials', client_id: narrow.clientId, client_secret: narrow.apiKey, scope: 'extern.test-tools' });
    assert.equal(res.status, 400);
    assert.equal(res.json.error, 'invalid_scope');
    assert.ok(res.json.error_description);
  });

  it('a token request without an API scope is invalid_scope with a useful description', async () => {
    const res = await postForm(token(), { grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.apiKey });
    assert.equal(res.status, 400);
    assert.equal(res.json.error, 'invalid_scope');
    assert.match(res.json.error_description as string, /extern\.api/);
  });

  it('an unsupported grant type is unsupported_grant_type', async () => {
    const res = await postForm(token(), { grant_type: 'password', client_id: client.clientId, client_secret: client.apiKey, username: 'a', password: 'b' });
    assert.equal(res.status, 400);
    assert.equal(res.json.error, 'unsupported_grant_type');
  });

  it('a disabled client is refused', async () => {
    const c = await createClient(server.context, { clientId: 'to.disable' });
    await server.context.clients.disable(c.clientId, 'admin-cli');
    const res = await postForm(token(), { grant_type: 'client_credentials', client_id: c.clientId, client_secret: c.apiKey, scope: 'extern.api' });
    assert.equal(res.status, 401);
    assert.equal(res.json.error, 'invalid_client');
  });

  it('a body over the size limit gets 413', async () => {
    const res = await postForm(token(), { grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.apiKey, scope: 'x'.repeat(70_000) });
    assert.equal(res.status, 413);
    assert.equal(res.json.error, 'invalid_request');
  });

  it('records when an api-key was last used', async () => {
    const c = await createClient(server.context, { clientId: 'usage.tracked' });
    const [before] = await server.context.clients.listKeys(c.clientId);
    assert.equal(before!.lastUsedAt, null);
    await postForm(token(), { grant_type: 'client_credentials', client_id: c.clientId, client_secret: c.apiKey, scope: 'extern.api' });
    await new Promise((r) => setTimeout(r, 50));
    const [after] = await server.context.clients.listKeys(c.clientId);
    assert.ok(after!.lastUsedAt instanceof Date);
  });
});
