/**
 * Behind a reverse proxy (PROPUSK_TRUST_PROXY=1): URLs the provider builds stay those of the
 * issuer, cookies get Secure with an https issuer, and the client IP (rate
 * limits, audit) is the X-Forwarded-For entry the trusted proxies added. Without the setting the
 * headers are ignored.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestServer, type TestServer } from '../support/server.ts';
import { createClient } from '../support/fixtures.ts';
import { FormsAgent, REDIRECT_URI, authorizeUrl } from './support.ts';

const FORWARDED = { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'id.example.test' };

async function start(env: Record<string, string>): Promise<TestServer> {
  const server = await startTestServer({ PROPUSK_SIGN_IN_DELAY_MS: '0', ...env });
  await createClient(server.context, { clientId: 'web.app', grantTypes: ['authorization_code'], redirectUris: [REDIRECT_URI], scopes: ['openid', 'profile', 'email', 'extern.api'] });
  return server;
}

/** The client IP recorded for a failed sign-in sent with `headers`. */
async function recordedIp(server: TestServer, headers: Record<string, string>): Promise<unknown> {
  const agent = new FormsAgent(server.url, headers);
  const page = await agent.follow(authorizeUrl(server.url));
  assert.equal(page.status, 200, page.html.slice(0, 200));
  await agent.submit(page, '/login', { login: 'someone@example.com', password: 'wrong-password' });
  const [event] = (await server.context.audit.tail({ type: 'login.password', limit: 1 })).slice(-1);
  return event?.details.ip;
}

describe('PROPUSK_TRUST_PROXY=1', () => {
  let server: TestServer;
  before(async () => {
    server = await start({ PROPUSK_TRUST_PROXY: '1', PROPUSK_ISSUER: 'https://id.example.test' });
  });
  after(() => server.stop());

  it('builds endpoint URLs from the issuer', async () => {
    const d = (await (await fetch(`${server.url}/.well-known/openid-configuration`, { headers: FORWARDED })).json()) as Record<string, string>;
    assert.equal(d.issuer, 'https://id.example.test');
    assert.equal(d.token_endpoint, 'https://id.example.test/connect/token');
    assert.equal(d.jwks_uri, 'https://id.example.test/.well-known/openid-configuration/jwks');
  });

  it('marks cookies Secure (an https issuer), and redirects to https URLs', async () => {
    const res = await fetch(authorizeUrl(server.url), { headers: FORWARDED, redirect: 'manual' });
    assert.equal(res.status, 303);
    const cookies = res.headers.getSetCookie();
    assert.ok(cookies.length > 0);
    for (const c of cookies) assert.match(c, /; secure/i, c);
    assert.match(res.headers.get('location') ?? '', /^(https:\/\/id\.example\.test)?\/interaction\//);
  });

  it('takes the client IP from the right-most X-Forwarded-For entry (what the proxy appended)', async () => {
    assert.equal(await recordedIp(server, { 'x-forwarded-for': '203.0.113.9' }), '203.0.113.9');
    assert.equal(await recordedIp(server, { 'x-forwarded-for': '10.6.6.6, 203.0.113.10' }), '203.0.113.10', 'a client-written entry on the left is ignored');
  });
});

describe('PROPUSK_TRUST_PROXY=1 with PROPUSK_TRUST_PROXY_HOPS=2', () => {
  let server: TestServer;
  before(async () => {
    server = await start({ PROPUSK_TRUST_PROXY: '1', PROPUSK_TRUST_PROXY_HOPS: '2' });
  });
  after(() => server.stop());

  it('skips the entries of the inner proxies', async () => {
    assert.equal(await recordedIp(server, { 'x-forwarded-for': '10.6.6.6, 203.0.113.11, 192.0.2.1' }), '203.0.113.11');
  });
});

describe('without PROPUSK_TRUST_PROXY', () => {
  let server: TestServer;
  before(async () => {
    server = await start({});
  });
  after(() => server.stop());

  it('ignores X-Forwarded-* for URLs, cookies and the client IP', async () => {
    const d = (await (await fetch(`${server.url}/.well-known/openid-configuration`, { headers: FORWARDED })).json()) as Record<string, string>;
    assert.equal(d.token_endpoint, `${server.url}/connect/token`);
    const res = await fetch(authorizeUrl(server.url), { headers: FORWARDED, redirect: 'manual' });
    for (const c of res.headers.getSetCookie()) assert.doesNotMatch(c, /; secure/i);
    assert.equal(await recordedIp(server, { 'x-forwarded-for': '203.0.113.9' }), '127.0.0.1');
  });
});
