/**
 * Safety of pages and responses: every HTML page (ours and the ones oidc-provider renders through
 * our hooks) carries the security headers, passes the Content-Security-Policy (no inline code; the
 * form_post page's one script is allowed by its hash), and is not cached; every token-bearing
 * JSON answer is `Cache-Control: no-store`; cookies are HttpOnly and SameSite; HSTS when https.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { basic, postForm, startTestServer, type TestServer } from '../support/server.ts';
import { createClient } from '../support/fixtures.ts';
import { assertNoInlineCode } from '../views/html-checks.ts';
import { FormsAgent, REDIRECT_URI, authorizeUrl, loginPage, setupOps, submitLogin, type OpsSetup } from './support.ts';
import { paramsOf } from '../codeflow/support/forms-agent.ts';

const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
const HTML = { accept: 'text/html' };

function cspDirectives(header: string | null): Map<string, string[]> {
  assert.ok(header, 'Content-Security-Policy is set');
  return new Map(header.split(';').map((d) => d.trim().split(/\s+/)).filter((d) => d[0]).map(([name, ...values]) => [name!, values]));
}

/** The headers and CSP every HTML page must have; returns the policy. */
function assertSafePage(name: string, res: { status: number; headers: Headers }): Map<string, string[]> {
  assert.match(res.headers.get('content-type') ?? '', /^text\/html/, `${name}: is a page`);
  const csp = cspDirectives(res.headers.get('content-security-policy'));
  assert.deepEqual(csp.get('frame-ancestors'), ["'none'"], `${name}: frame-ancestors 'none'`);
  assert.deepEqual(csp.get('default-src'), ["'self'"], name);
  assert.deepEqual(csp.get('object-src'), ["'none'"], name);
  assert.ok(!csp.get('script-src')?.includes("'unsafe-inline'"), `${name}: no unsafe-inline scripts`);
  assert.ok(!csp.get('style-src')?.includes("'unsafe-inline'"), `${name}: no unsafe-inline styles`);
  assert.equal(res.headers.get('x-content-type-options'), 'nosniff', name);
  assert.equal(res.headers.get('referrer-policy'), 'no-referrer', name);
  assert.equal(res.headers.get('x-frame-options'), 'DENY', name);
  assert.equal(res.headers.get('cache-control'), 'no-store', `${name}: not cached`);
  return csp;
}

describe('pages: security headers, CSP, no-store', () => {
  let s: OpsSetup;
  let device: { clientId: string; apiKey: string };
  before(async () => {
    s = await setupOps();
    device = await createClient(s.server.context, { clientId: 'device.app', grantTypes: [DEVICE_GRANT], scopes: ['openid', 'extern.api'] });
    await createClient(s.server.context, { clientId: 'post.app', grantTypes: ['authorization_code'], redirectUris: [REDIRECT_URI], scopes: ['openid'] });
  });
  after(() => s.server.stop());

  it('sign-in, consent, expired-interaction and error pages', async () => {
    const agent = new FormsAgent(s.issuer);
    const { page: login } = await loginPage(s, agent);
    assertSafePage('sign-in', login);
    assertNoInlineCode(login.html);
    const consent = await submitLogin(agent, login, s.user.login, s.user.password);
    assert.match(consent.html, /name="decision"/);
    const consentCsp = assertSafePage('consent', consent);
    assertNoInlineCode(consent.html);
    // Its forms end in a redirect to the client's registered URI, which may be a native app's
    // (com.example.app:/cb, http://[::1]:port/cb): no form-action could name it.
    assert.equal(consentCsp.get('form-action'), undefined, 'the consent page has no form-action');
    assert.equal(assertSafePage('sign-in', login).get('form-action'), undefined, 'nor the sign-in page');

    const pages: [string, string, number][] = [
      ['expired interaction', '/interaction/unknown-uid', 400],
      ['oidc-provider error page (unknown client)', '/connect/authorize?client_id=nobody&response_type=code&scope=openid&redirect_uri=https://x.example/cb', 400],
      ['not found', '/no/such/page', 404],
      ['device entry', '/device', 200],
      ['end session', '/connect/endsession', 200],
    ];
    for (const [name, path, status] of pages) {
      const res = await fetch(`${s.issuer}${path}`, { headers: HTML, redirect: 'manual' });
      const html = await res.text();
      assert.equal(res.status, status, `${name}: ${html.slice(0, 200)}`);
      assertSafePage(name, res);
      assertNoInlineCode(html);
    }
  });

  it('device confirmation page', async () => {
    const auth = await postForm(`${s.issuer}/connect/deviceauthorization`, { client_id: device.clientId, client_secret: device.apiKey, scope: 'openid extern.api' });
    assert.equal(auth.status, 200);
    assert.equal(auth.headers.get('cache-control'), 'no-store', 'device authorization response');
    const res = await fetch(String(auth.json.verification_uri_complete), { headers: HTML });
    const html = await res.text();
    assert.equal(res.status, 200);
    assertSafePage('device confirmation', res);
    assertNoInlineCode(html);
  });

  it('the form_post response: its one inline script is allowed by hash, nothing else inline', async () => {
    const agent = new FormsAgent(s.issuer);
    const login = await agent.follow(authorizeUrl(s.issuer, { response_mode: 'form_post' }));
    const consent = await submitLogin(agent, login, s.user.login, s.user.password);
    const res = await agent.request(new URL(/action="([^"]*consent[^"]*)"/.exec(consent.html)![1]!.replace(/&amp;/g, '&'), consent.url).href, {
      form: { csrf: /name="csrf" value="([^"]*)"/.exec(consent.html)![1]!, decision: 'allow' },
    });
    // Follow the redirects back to the authorization endpoint, which answers with the form_post page.
    let next = res;
    let url = res.url;
    for (let i = 0; i < 5 && next.status >= 300 && next.status < 400; i++) {
      url = new URL(next.headers.get('location')!, url).href;
      next = await agent.request(url);
    }
    const html = await next.text();
    assert.match(html, /<form method="post" action="http:\/\/127\.0\.0\.1:9\/cb">/);
    const csp = assertSafePage('form_post', next);
    const script = /<script>([\s\S]*?)<\/script>/.exec(html)![1]!;
    assert.ok(csp.get('script-src')!.includes(`'sha256-${createHash('sha256').update(script).digest('base64')}'`), 'the inline script is allowed by its hash');
  });

  it('pages whose forms stay on this site post only to it', async () => {
    for (const path of ['/account', '/integrations/sign-in', '/device']) {
      const res = await fetch(`${s.issuer}${path}`, { headers: HTML, redirect: 'manual' });
      await res.body?.cancel();
      assert.deepEqual(cspDirectives(res.headers.get('content-security-policy')).get('form-action'), ["'self'"], path);
    }
  });

  it('account and integrator portal pages', async () => {
    for (const path of ['/account', '/integrations/sign-in']) {
      const res = await fetch(`${s.issuer}${path}`, { headers: HTML, redirect: 'manual' });
      const html = await res.text();
      assert.ok(res.status < 500, `${path}: ${res.status}`);
      if (res.status === 404) continue; // not part of this build
      if (res.status >= 300 && res.status < 400) {
        assert.equal(res.headers.get('cache-control'), 'no-store', path);
        continue;
      }
      assertSafePage(path, res);
      assertNoInlineCode(html);
    }
  });

  it('cookies are HttpOnly and SameSite, and not Secure over plain http', async () => {
    const res = await fetch(authorizeUrl(s.issuer), { redirect: 'manual' });
    const cookies = res.headers.getSetCookie();
    assert.ok(cookies.length > 0);
    for (const c of cookies) {
      assert.match(c, /; httponly/i);
      assert.match(c, /; samesite=lax/i);
      assert.doesNotMatch(c, /; secure/i);
    }
    assert.equal(res.headers.get('strict-transport-security'), null, 'no HSTS for an http issuer');
  });
});

describe('token-bearing answers are never cached', () => {
  let s: OpsSetup;
  before(async () => {
    s = await setupOps();
  });
  after(() => s.server.stop());

  it('token, introspection, revocation, userinfo, linking, device authorization and health', async () => {
    const agent = new FormsAgent(s.issuer);
    const { page } = await loginPage(s, agent);
    const consent = await submitLogin(agent, page, s.user.login, s.user.password);
    const callback = await agent.submit(consent, '/consent', { decision: 'allow' });
    const code = paramsOf(callback.url).code!;
    const token = await postForm(`${s.issuer}/connect/token`, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, client_id: s.web.clientId, client_secret: s.web.apiKey });
    assert.equal(token.status, 200);
    const accessToken = String(token.json.access_token);
    const answers: [string, Response | { status: number; headers: Headers }][] = [
      ['token (200)', token],
      ['token (error)', await postForm(`${s.issuer}/connect/token`, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, client_id: s.web.clientId, client_secret: s.web.apiKey })],
      ['introspection', await postForm(`${s.issuer}/connect/introspect`, { token: accessToken }, { authorization: basic(s.rs.clientId, s.rs.secret) })],
      ['userinfo', await fetch(`${s.issuer}/connect/userinfo`, { headers: { authorization: `Bearer ${accessToken}` } })],
      ['userinfo (401)', await fetch(`${s.issuer}/connect/userinfo`)],
      ['revocation', await postForm(`${s.issuer}/connect/revocation`, { token: String(token.json.refresh_token ?? accessToken), client_id: s.web.clientId, client_secret: s.web.apiKey })],
      ['device authorization (error)', await postForm(`${s.issuer}/connect/deviceauthorization`, { client_id: s.web.clientId, client_secret: s.web.apiKey })],
      ['linking', await fetch(`${s.issuer}/register-external-service-id`, { method: 'PUT' })],
      ['health', await fetch(`${s.issuer}/healthz`)],
    ];
    for (const [name, res] of answers) {
      assert.ok(res.status < 500, name);
      assert.equal(res.headers.get('cache-control'), 'no-store', `${name}: Cache-Control`);
      assert.equal(res.headers.get('x-content-type-options'), 'nosniff', name);
    }
    const discovery = await fetch(`${s.issuer}/.well-known/openid-configuration`);
    assert.notEqual(discovery.headers.get('cache-control'), 'no-store', 'discovery stays cacheable');
  });
});

describe('HSTS and Secure cookies when the issuer is https (behind a TLS proxy)', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ PROPUSK_ISSUER: 'https://id.example.test', PROPUSK_TRUST_PROXY: '1' });
    await createClient(server.context, { clientId: 'web.app', grantTypes: ['authorization_code'], redirectUris: [REDIRECT_URI], scopes: ['openid'] });
  });
  after(() => server.stop());

  it('sends Strict-Transport-Security on every answer', async () => {
    for (const path of ['/healthz', '/.well-known/openid-configuration', '/device', '/nowhere']) {
      const res = await fetch(`${server.url}${path}`, { headers: { 'x-forwarded-proto': 'https' } });
      assert.equal(res.headers.get('strict-transport-security'), 'max-age=31536000; includeSubDomains', path);
    }
  });
});
