// End to end: the real provider and the demo API, both started in this
// process on ephemeral ports; tokens obtained over HTTP exactly as an
// integrator would, then sent to the API with `Authorization: Bearer`.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { demoAccounts, startExternApi, type AccountsResponse, type MeResponse, type RunningExternApi } from '../src/index.ts';
import { postForm, startTestServer, type TestServer } from '../../../packages/server/test/support/server.ts';
import { createClient, createUser, resourceCredentials } from '../../../packages/server/test/support/fixtures.ts';
import { FormsAgent } from '../../../packages/server/test/codeflow/support/forms-agent.ts';
import { claims, createPartner, linkedUser, requestToken, sign } from '../../../packages/server/test/trusted/support.ts';
import { passDevicePages } from './support.ts';

const REALM = 'urn:propusk:api:extern.api';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Answer {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

async function get(api: RunningExternApi, path: string, token?: string, init: RequestInit = {}): Promise<Answer> {
  const res = await fetch(`${api.url}${path}`, {
    ...init,
    headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>) };
}

const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

function assertInvalidToken(answer: Answer): void {
  assert.equal(answer.status, 401, JSON.stringify(answer.body));
  assert.equal(answer.body.error, 'invalid_token');
  assert.match(answer.headers.get('www-authenticate') ?? '', /^Bearer realm="urn:propusk:api:extern\.api", error="invalid_token", error_description="[^"]+"$/);
}

describe('extern-api end to end', () => {
  let server: TestServer;
  let client: { clientId: string; apiKey: string };
  /** No cache: every request is introspected, revocation is seen at once. */
  let api: RunningExternApi;
  /** A 1 s cache: revocation is seen after at most 1 s. */
  let cachedApi: RunningExternApi;
  let introspections = 0;

  const issue = async (scope = 'extern.api'): Promise<string> => {
    const res = await postForm(`${server.url}/connect/token`, { grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.apiKey, scope });
    assert.equal(res.status, 200, res.text);
    return res.json.access_token as string;
  };
  const revoke = async (token: string, who: { clientId: string; apiKey: string } = client) => {
    const res = await postForm(`${server.url}/connect/revocation`, { token, client_id: who.clientId, client_secret: who.apiKey });
    assert.equal(res.status, 200, res.text);
  };

  before(async () => {
    server = await startTestServer();
    client = await createClient(server.context, { clientId: 'extern.e2e', scopes: ['extern.api', 'extern.test-tools'] });
    const credentials = await resourceCredentials(server.context, 'extern.api');
    const common = { issuer: server.issuer, clientId: credentials.clientId, clientSecret: credentials.secret, onError: (error: unknown) => assert.fail(String(error)) };
    api = await startExternApi({
      ...common,
      cache: false,
      fetch: (input, init) => {
        if (new URL(input).pathname === '/connect/introspect') introspections++;
        return fetch(input, init);
      },
    });
    cachedApi = await startExternApi({ ...common, cache: { ttlSeconds: 1 } });
  });
  after(async () => {
    await api?.close();
    await cachedApi?.close();
    await server?.stop();
  });

  it('GET /healthz answers without a token', async () => {
    const answer = await get(api, '/healthz');
    assert.equal(answer.status, 200);
    assert.deepEqual(answer.body, { status: 'ok' });
  });

  describe('client_credentials token', () => {
    it('GET /v1/me says whose token it is', async () => {
      const token = await issue();
      const before = Date.now();
      const answer = await get(api, '/v1/me', token);
      assert.equal(answer.status, 200, JSON.stringify(answer.body));
      assert.equal(answer.headers.get('content-type'), 'application/json; charset=utf-8');
      assert.equal(answer.headers.get('cache-control'), 'no-store');
      const me = answer.body as unknown as MeResponse;
      assert.equal(me.sub, null, 'an application token has no user');
      assert.equal(me.client_id, client.clientId);
      assert.deepEqual(me.scopes, ['extern.api']);
      const lifetime = Date.parse(me.expires_at) - before;
      assert.ok(lifetime > 86_398_000 && lifetime <= 86_401_000, `expires_at ${me.expires_at}`);
    });

    it('GET /v1/accounts lists the demo accounts of the token owner, the same every time', async () => {
      const first = await get(api, '/v1/accounts', await issue());
      assert.equal(first.status, 200, JSON.stringify(first.body));
      const body = first.body as unknown as AccountsResponse;
      assert.equal(body.owner, `client:${client.clientId}`);
      assert.deepEqual(body.accounts, demoAccounts(`client:${client.clientId}`));
      assert.ok(body.accounts.length >= 1 && body.accounts.length <= 3);
      // Another token of the same client: the same accounts.
      assert.deepEqual((await get(api, '/v1/accounts', await issue())).body, first.body);
    });

    it('HEAD works like GET without a body', async () => {
      const res = await fetch(`${api.url}/v1/me`, { method: 'HEAD', headers: { authorization: `Bearer ${await issue()}` } });
      assert.equal(res.status, 200);
      assert.equal(await res.text(), '');
    });
  });

  describe('refusals', () => {
    it('no token: 401 with a bare Bearer challenge', async () => {
      for (const path of ['/v1/me', '/v1/accounts']) {
        const answer = await get(api, path);
        assert.equal(answer.status, 401);
        assert.equal(answer.headers.get('www-authenticate'), `Bearer realm="${REALM}"`);
        assert.equal(answer.body.error, 'unauthorized');
      }
    });

    it('a token in the query string is ignored: 401 as if there were none', async () => {
      const answer = await get(api, `/v1/me?access_token=${await issue()}`);
      assert.equal(answer.status, 401);
      assert.equal(answer.headers.get('www-authenticate'), `Bearer realm="${REALM}"`);
    });

    it('a token issued for extern.test-tools: 401 invalid_token', async () => {
      assertInvalidToken(await get(api, '/v1/me', await issue('extern.test-tools')));
      assertInvalidToken(await get(cachedApi, '/v1/accounts', await issue('extern.test-tools')));
    });

    it('a revoked token, cache disabled: 401 at the very next request', async () => {
      const token = await issue();
      assert.equal((await get(api, '/v1/me', token)).status, 200);
      await revoke(token);
      assertInvalidToken(await get(api, '/v1/me', token));
    });

    it('a revoked token, 1 s cache: still 200 right after revocation, 401 once the TTL has passed', async () => {
      const token = await issue();
      assert.equal((await get(cachedApi, '/v1/me', token)).status, 200);
      await revoke(token);
      assert.equal((await get(cachedApi, '/v1/me', token)).status, 200, 'the documented revocation delay');
      await sleep(1200);
      assertInvalidToken(await get(cachedApi, '/v1/me', token));
    });

    it('a malformed Authorization header: 400 invalid_request', async () => {
      const res = await fetch(`${api.url}/v1/me`, { headers: { authorization: 'Bearer two tokens' } });
      assert.equal(res.status, 400);
      assert.equal(((await res.json()) as { error: string }).error, 'invalid_request');
      assert.match(res.headers.get('www-authenticate') ?? '', /error="invalid_request"/);
    });

    it('unknown paths are 404 and other methods 405, as JSON, without asking the issuer', async () => {
      const before = introspections;
      const missing = await get(api, '/v1/nope', await issue());
      assert.equal(missing.status, 404);
      assert.equal(missing.body.error, 'not_found');
      const post = await get(api, '/v1/me', await issue(), { method: 'POST' });
      assert.equal(post.status, 405);
      assert.equal(post.headers.get('allow'), 'GET, HEAD');
      assert.equal(post.body.error, 'method_not_allowed');
      assert.equal(introspections, before);
    });
  });

  describe('device flow token (a user signed in on another device)', () => {
    it('answers 200 for the user who approved, and 401 once the token is revoked', async () => {
      const device = await createClient(server.context, {
        clientId: 'extern.device',
        name: 'Accounting plug-in',
        grantTypes: [DEVICE_GRANT, 'refresh_token'],
        scopes: ['openid', 'extern.api'],
      });
      const { account, password } = await createUser(server.context);
      const auth = await postForm(`${server.url}/connect/deviceauthorization`, { client_id: device.clientId, client_secret: device.apiKey, scope: 'openid extern.api' });
      assert.equal(auth.status, 200, auth.text);
      const userCode = auth.json.user_code as string;

      // The user opens verification_uri_complete in a browser, signs in and allows access.
      const agent = new FormsAgent(server.issuer);
      let page = await passDevicePages(agent, await agent.follow(auth.json.verification_uri_complete as string), userCode);
      page = await agent.submit(page, '/login', { login: account.login, password });
      page = await agent.submit(page, '/consent', { decision: 'allow' });
      assert.equal(page.status, 200, page.html.slice(0, 500));

      const res = await postForm(`${server.url}/connect/token`, {
        grant_type: DEVICE_GRANT,
        device_code: auth.json.device_code as string,
        client_id: device.clientId,
        client_secret: device.apiKey,
        scope: 'openid extern.api',
      });
      assert.equal(res.status, 200, res.text);
      const token = res.json.access_token as string;

      const me = await get(api, '/v1/me', token);
      assert.equal(me.status, 200, JSON.stringify(me.body));
      assert.equal(me.body.sub, account.id);
      assert.equal(me.body.client_id, device.clientId);
      assert.deepEqual((await get(api, '/v1/accounts', token)).body, { owner: account.id, accounts: demoAccounts(account.id) });

      await revoke(token, device);
      assertInvalidToken(await get(api, '/v1/me', token));
    });
  });

  describe('trusted grant token (a partner identified the user itself)', () => {
    it('answers 200 for the linked account, and 401 once the partner revokes the token', async () => {
      const partner = await createPartner(server.context, 'partner.e2e');
      const account = await linkedUser(server.context, partner, 'partner-user-7');
      const res = await requestToken(server, partner, await sign(partner, claims(partner, 'partner-user-7')));
      assert.equal(res.status, 200, res.text);
      const token = res.json.access_token as string;

      const me = await get(api, '/v1/me', token);
      assert.equal(me.status, 200, JSON.stringify(me.body));
      assert.deepEqual({ ...me.body, expires_at: undefined }, { sub: account.id, client_id: partner.clientId, scopes: ['extern.api'], expires_at: undefined });
      const accounts = await get(api, '/v1/accounts', token);
      assert.equal(accounts.status, 200);
      assert.deepEqual(accounts.body, { owner: account.id, accounts: demoAccounts(account.id) });

      await revoke(token, partner);
      assertInvalidToken(await get(api, '/v1/me', token));
    });
  });
});
