/**
 * `/metrics` (Prometheus text; loopback only, or a bearer token) with normalised route labels, and
 * the JSON logs: a request id on every line of a request, echoed in X-Request-Id; no query string,
 * body or credential header in any line.
 */
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { basic, postForm, startTestServer, type TestServer } from '../support/server.ts';
import { createClient } from '../support/fixtures.ts';
import { REDIRECT_URI, authorizeUrl } from './support.ts';

const METRICS_TOKEN = 'scrape-token-0123456789abcdef';

describe('/metrics without PROPUSK_METRICS_TOKEN', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ PROPUSK_TRUST_PROXY: '1' });
    await createClient(server.context, { clientId: 'web.app', grantTypes: ['authorization_code'], redirectUris: [REDIRECT_URI], scopes: ['openid'] });
  });
  after(() => server.stop());

  it('serves Prometheus text to loopback clients, with normalised routes and the documented series', async () => {
    const svc = await createClient(server.context, { clientId: 'svc.metrics' });
    await postForm(`${server.url}/connect/token`, { grant_type: 'client_credentials', scope: 'extern.api' }, { authorization: basic(svc.clientId, svc.apiKey) });
    const interaction = await fetch(authorizeUrl(server.url, { scope: 'openid' }), { redirect: 'manual' });
    const uid = /\/interaction\/([^/?]+)/.exec(interaction.headers.get('location') ?? '')?.[1];
    assert.ok(uid);
    await fetch(`${server.url}/interaction/${uid}`);
    await fetch(`${server.url}/device/SOMEUIDXYZ123`);
    await fetch(`${server.url}/no/such/path-with-secret-abcdef`);

    const res = await fetch(`${server.url}/metrics`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
    assert.equal(res.headers.get('cache-control'), 'no-store');
    const text = await res.text();
    for (const series of [
      /propusk_http_requests_total\{route="\/connect\/token",method="POST",status="200"\} 1/,
      /propusk_http_requests_total\{route="\/connect\/authorize",method="GET",status="303"\} 1/,
      /propusk_http_requests_total\{route="\/interaction\/:uid",method="GET",status="400"\} 1/,
      /propusk_http_requests_total\{route="\/device\/:uid",method="GET",status="400"\} 1/,
      /propusk_http_requests_total\{route="unmatched",method="GET",status="404"\} 1/,
      /propusk_http_request_duration_seconds_bucket\{le="0\.05",route="\/connect\/token"\} \d/,
      /propusk_tokens_issued_total\{grant_type="client_credentials"\} 1/,
      /propusk_db_query_duration_seconds_count\{statement="select",outcome="ok"\} [1-9]/,
      /propusk_process_resident_memory_bytes \d/,
      /# TYPE propusk_sign_in_failures_total counter/,
      /propusk_password_hashing\{state="waiting"\} 0/,
      /# TYPE propusk_rate_limit_hits_total counter/,
    ]) {
      assert.match(text, series);
    }
    assert.ok(!text.includes(uid), 'no interaction uid in a label');
    assert.ok(!text.includes('SOMEUIDXYZ123') && !text.includes('path-with-secret'), 'no raw path in a label');
  });

  it('refuses requests that came through a proxy (X-Forwarded-For) with 403', async () => {
    const res = await fetch(`${server.url}/metrics`, { headers: { 'x-forwarded-for': '127.0.0.1' } });
    assert.equal(res.status, 403);
    assert.equal(((await res.json()) as { error: string }).error, 'access_denied');
  });
});

describe('/metrics with PROPUSK_METRICS_TOKEN', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ PROPUSK_METRICS_TOKEN: METRICS_TOKEN });
  });
  after(() => server.stop());

  it('requires the bearer token, even from loopback', async () => {
    const none = await fetch(`${server.url}/metrics`);
    assert.equal(none.status, 401);
    assert.match(none.headers.get('www-authenticate') ?? '', /^Bearer /);
    assert.equal((await fetch(`${server.url}/metrics`, { headers: { authorization: 'Bearer wrong-token-0123456789' } })).status, 401);
    const ok = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    assert.equal(ok.status, 200);
    assert.match(await ok.text(), /propusk_http_requests_total/);
    assert.equal((await fetch(`${server.url}/metrics`, { method: 'POST', headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).status, 405);
  });

  it('rejects a token shorter than 16 characters at start-up', async () => {
    await assert.rejects(startTestServer({ PROPUSK_METRICS_TOKEN: 'short' }), /PROPUSK_METRICS_TOKEN/);
  });
});

describe('structured logs with request ids', () => {
  let server: TestServer;
  const lines: Record<string, unknown>[] = [];
  before(async () => {
    server = await startTestServer({ PROPUSK_LOG_LEVEL: 'debug' }, { logStream: { write: (l) => void lines.push(JSON.parse(l) as Record<string, unknown>) } });
    await createClient(server.context, { clientId: 'web.app', grantTypes: ['authorization_code'], redirectUris: [REDIRECT_URI], scopes: ['openid'] });
  });
  after(() => server.stop());

  it('echoes a well-formed X-Request-Id, or generates one, and tags every log line of the request with it', async () => {
    const given = await fetch(`${server.url}/healthz`, { headers: { 'x-request-id': 'trace-0001-abcd' } });
    assert.equal(given.headers.get('x-request-id'), 'trace-0001-abcd');
    const generated = await fetch(`${server.url}/healthz`, { headers: { 'x-request-id': 'bad id with spaces' } });
    assert.match(generated.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/);

    const svc = await createClient(server.context, { clientId: 'svc.logs' });
    const res = await postForm(`${server.url}/connect/token`, { grant_type: 'client_credentials', scope: 'extern.api', client_id: svc.clientId, client_secret: svc.apiKey });
    const reqId = res.headers.get('x-request-id');
    const ofRequest = lines.filter((l) => l.reqId === reqId);
    assert.ok(ofRequest.some((l) => l.msg === 'request' && l.path === '/connect/token' && l.status === 200), 'access log line');
    assert.ok(ofRequest.some((l) => (l.audit as { type?: string } | undefined)?.type === 'token.issued'), 'the audit line carries the request id');
    assert.ok(!JSON.stringify(lines).includes(svc.apiKey));
    assert.ok(!JSON.stringify(lines).includes(String(res.json.access_token)));
  });

  it('our own routes (outside oidc-provider) share the request context: audit lines carry the request id, records the client IP', async () => {
    const since = new Date();
    const res = await fetch(`${server.url}/register-external-service-id?ServiceUserId=u-ctx&Phone=9000000000`, { method: 'PUT', headers: { authorization: basic('no.such.client', 'wrong') } });
    assert.equal(res.status, 401);
    const reqId = res.headers.get('x-request-id');
    const audited = lines.filter((l) => l.reqId === reqId && (l.audit as { type?: string } | undefined)?.type === 'link.by_phone');
    assert.equal(audited.length, 1, 'the audit line of the linking API carries the request id');
    assert.equal((audited[0]!.audit as { sourceIp?: unknown }).sourceIp, '127.0.0.1');
    const [stored] = await server.context.audit.tail({ type: 'link.by_phone', since });
    assert.equal(stored?.sourceIp, '127.0.0.1', 'the stored record has the client IP');
  });

  it('never logs query strings, bodies or credential headers', async () => {
    const secretState = 'state-secret-9f8e7d';
    await fetch(authorizeUrl(server.url, { scope: 'openid', state: secretState }), { redirect: 'manual', headers: { cookie: 'session=cookie-secret-123', authorization: 'Bearer header-secret-456' } });
    // A request that fails inside (server error path) is logged too, still without its query.
    await new Promise<void>((resolve, reject) => {
      const req = request(`${server.url}/connect/token?code=query-secret-789`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' } }, (res) => {
        res.resume();
        res.on('end', resolve);
      });
      req.on('error', reject);
      req.end('grant_type=authorization_code&code=body-secret-000&client_id=web.app');
    });
    const all = JSON.stringify(lines);
    for (const secret of [secretState, 'cookie-secret-123', 'header-secret-456', 'query-secret-789', 'body-secret-000']) assert.ok(!all.includes(secret), secret);
    assert.ok(lines.some((l) => l.path === '/connect/authorize'), 'the request itself is logged (path only)');
  });
});
