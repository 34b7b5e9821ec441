/**
 * Per-client rate limit of the token endpoint (provider/token-rate-limit.ts): 429
 * `temporarily_unavailable` with Retry-After past PROPUSK_TOKEN_RATE_LIMIT per window, per
 * authenticated client; off with 0.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { postForm, startTestServer, type TestServer } from '../support/server.ts';
import { createClient } from '../support/fixtures.ts';

const tokenRequest = (server: TestServer, clientId: string, secret: string) =>
  postForm(`${server.url}/connect/token`, { grant_type: 'client_credentials', client_id: clientId, client_secret: secret, scope: 'extern.api' });

describe('token endpoint rate limit', () => {
  let server: TestServer;
  let a: { clientId: string; apiKey: string };
  let b: { clientId: string; apiKey: string };
  before(async () => {
    server = await startTestServer({ PROPUSK_TOKEN_RATE_LIMIT: '3', PROPUSK_TOKEN_RATE_WINDOW: '2' });
    a = await createClient(server.context, { clientId: 'svc.a' });
    b = await createClient(server.context, { clientId: 'svc.b' });
  });
  after(() => server.stop());

  it('answers 429 temporarily_unavailable with Retry-After past the limit, per client, and recovers after the window', async () => {
    // Requests that fail client authentication do not spend the named client's budget.
    for (let i = 0; i < 5; i++) assert.equal((await tokenRequest(server, a.clientId, 'not-the-key')).status, 401);
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await tokenRequest(server, a.clientId, a.apiKey)).status);
    assert.deepEqual(statuses, [200, 200, 200]);
    const limited = await tokenRequest(server, a.clientId, a.apiKey);
    assert.equal(limited.status, 429);
    assert.deepEqual(Object.keys(limited.json).sort(), ['error', 'error_description']);
    assert.equal(limited.json.error, 'temporarily_unavailable');
    assert.match(String(limited.json.error_description), /^rate limit exceeded; retry after [12] s$/);
    assert.match(limited.headers.get('retry-after') ?? '', /^[12]$/);
    assert.equal(limited.headers.get('cache-control'), 'no-store');

    assert.equal((await tokenRequest(server, b.clientId, b.apiKey)).status, 200, 'another client is not affected');

    await new Promise((r) => setTimeout(r, Number(limited.headers.get('retry-after')) * 1000 + 100));
    assert.equal((await tokenRequest(server, a.clientId, a.apiKey)).status, 200, 'served again after Retry-After');

    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    assert.match(metrics, /propusk_rate_limit_hits_total\{limit="token_client"\} 1\n/);
    assert.match(metrics, /propusk_http_requests_total\{route="\/connect\/token",method="POST",status="429"\} 1\n/);
  });
});

describe('token endpoint rate limit off (PROPUSK_TOKEN_RATE_LIMIT=0)', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ PROPUSK_TOKEN_RATE_LIMIT: '0' });
  });
  after(() => server.stop());

  it('never answers 429', async () => {
    const c = await createClient(server.context, { clientId: 'svc.unlimited' });
    assert.equal(server.context.limits.tokenRate, undefined);
    const statuses = await Promise.all(Array.from({ length: 250 }, () => tokenRequest(server, c.clientId, c.apiKey).then((r) => r.status)));
    assert.deepEqual(new Set(statuses), new Set([200]));
  });
});
