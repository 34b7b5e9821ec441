// The demo API's own behaviour with a scripted issuer (a `fetch` that answers
// discovery and introspection in-process): the scope requirement, 503 when
// the issuer fails, and what each route answers for a given principal.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startExternApi, type RunningExternApi } from '../src/index.ts';

const ISSUER = 'https://id.test';
const AUDIENCE = 'urn:propusk:api:extern.api';

/** Introspection answers by token; `fail` makes the issuer answer 502. */
const answers = new Map<string, Record<string, unknown>>();
let fail = false;

const scriptedFetch = async (input: string | URL, init?: RequestInit): Promise<Response> => {
  const url = new URL(input);
  if (fail) return new Response('bad gateway', { status: 502 });
  if (url.pathname === '/.well-known/openid-configuration') {
    return Response.json({ issuer: ISSUER, introspection_endpoint: `${ISSUER}/connect/introspect`, jwks_uri: `${ISSUER}/jwks` });
  }
  if (url.pathname === '/connect/introspect') {
    const token = new URLSearchParams(String(init?.body)).get('token') ?? '';
    return Response.json(answers.get(token) ?? { active: false });
  }
  return new Response('not found', { status: 404 });
};

const active = (claims: Record<string, unknown>) => ({
  active: true,
  iss: ISSUER,
  aud: AUDIENCE,
  client_id: 'app.one',
  token_type: 'Bearer',
  exp: Math.floor(Date.now() / 1000) + 600,
  ...claims,
});

describe('extern-api routes (scripted issuer)', () => {
  let api: RunningExternApi;
  const get = (path: string, token?: string) =>
    fetch(`${api.url}${path}`, { headers: token === undefined ? {} : { authorization: `Bearer ${token}` } });

  before(async () => {
    api = await startExternApi({ issuer: ISSUER, clientSecret: 'secret', cache: false, fetch: scriptedFetch });
    answers.set('user-token', active({ sub: 'user-1', scope: 'openid extern.api' }));
    answers.set('no-scope', active({ sub: 'user-1', scope: 'openid' }));
  });
  after(() => api.close());

  it('/v1/me reports the principal', async () => {
    const res = await get('/v1/me', 'user-token');
    assert.equal(res.status, 200);
    const body = (await res.json()) as Record<string, unknown>;
    assert.deepEqual({ ...body, expires_at: typeof body.expires_at }, { sub: 'user-1', client_id: 'app.one', scopes: ['openid', 'extern.api'], expires_at: 'string' });
  });

  it('a token without the extern.api scope is 403 insufficient_scope on every /v1 route', async () => {
    for (const path of ['/v1/me', '/v1/accounts']) {
      const res = await get(path, 'no-scope');
      assert.equal(res.status, 403);
      assert.match(res.headers.get('www-authenticate') ?? '', /error="insufficient_scope".*, scope="extern\.api"$/);
      assert.equal(((await res.json()) as { error: string }).error, 'insufficient_scope');
    }
  });

  it('an issuer failure is 503 temporarily_unavailable, never a pass; /healthz stays up', async () => {
    fail = true;
    try {
      const res = await get('/v1/accounts', 'user-token');
      assert.equal(res.status, 503);
      assert.equal(res.headers.get('www-authenticate'), null);
      assert.equal(((await res.json()) as { error: string }).error, 'temporarily_unavailable');
      assert.equal((await get('/healthz')).status, 200);
    } finally {
      fail = false;
    }
    assert.equal((await get('/v1/accounts', 'user-token')).status, 200, 'recovers once the issuer answers');
  });
});
