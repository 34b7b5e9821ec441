/**
 * With an https issuer every cookie is `Secure`, also when the server is reached over plain http
 * behind a TLS-terminating proxy that sends no forwarding headers (PROPUSK_TRUST_PROXY unset): the
 * sign-in session and interaction cookies, the language choice, the account pages' sign-in CSRF
 * cookie and session (shared by the account pages, the portal and the device pages).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestServer, type TestServer } from '../support/server.ts';
import { createClient, createUser } from '../support/fixtures.ts';

const ISSUER = 'https://id.example.test';
const REDIRECT_URI = 'https://app.example.test/cb';

/** A cookie jar that talks to the test server while every URL the server hands out names the issuer. */
class Browser {
  readonly jar = new Map<string, string>();
  readonly setCookies: string[] = [];
  constructor(private readonly server: TestServer) {}

  local(url: string): string {
    return url.startsWith(ISSUER) ? `${this.server.url}${url.slice(ISSUER.length)}` : new URL(url, this.server.url).href;
  }

  async request(url: string, form?: Record<string, string>): Promise<Response> {
    const res = await fetch(this.local(url), {
      method: form ? 'POST' : 'GET',
      redirect: 'manual',
      headers: { cookie: [...this.jar].map(([k, v]) => `${k}=${v}`).join('; '), ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
      body: form ? new URLSearchParams(form) : undefined,
    });
    for (const c of res.headers.getSetCookie()) {
      this.setCookies.push(c);
      const [pair = ''] = c.split(';');
      const eq = pair.indexOf('=');
      this.jar.set(pair.slice(0, eq), pair.slice(eq + 1));
    }
    return res;
  }

  /** Follows redirects that stay on the issuer; returns the last response and its body. */
  async follow(url: string, form?: Record<string, string>): Promise<{ url: string; res: Response; html: string }> {
    let res = await this.request(url, form);
    let current = url;
    for (let i = 0; i < 10 && res.status >= 300 && res.status < 400; i++) {
      const location = new URL(res.headers.get('location')!, ISSUER).href;
      if (!location.startsWith(ISSUER)) return { url: location, res, html: '' };
      await res.body?.cancel();
      current = location;
      res = await this.request(location);
    }
    return { url: current, res, html: await res.text() };
  }
}

const field = (html: string, name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1]?.replace(/&amp;/g, '&');
const action = (html: string, part: string) => [...html.matchAll(/action="([^"]*)"/g)].map((m) => m[1]!.replace(/&amp;/g, '&')).find((a) => a.includes(part));

describe('an https issuer reached over plain http, no proxy headers', () => {
  let server: TestServer;
  let user: { login: string; password: string };
  before(async () => {
    server = await startTestServer({ PROPUSK_ISSUER: ISSUER, PROPUSK_SIGN_IN_DELAY_MS: '0' });
    await createClient(server.context, { clientId: 'web.app', grantTypes: ['authorization_code'], redirectUris: [REDIRECT_URI], scopes: ['openid', 'extern.api'] });
    const created = await createUser(server.context);
    user = { login: created.account.login, password: created.password };
  });
  after(() => server?.stop());

  it('marks every cookie Secure across sign-in, consent, the account pages, the portal and the device pages', async () => {
    const b = new Browser(server);
    const authorize = `${ISSUER}/connect/authorize?response_type=code&client_id=web.app&scope=openid%20extern.api&redirect_uri=${encodeURIComponent(REDIRECT_URI)}&state=s1&nonce=n1&ui_locales=en`;
    const login = await b.follow(authorize);
    assert.match(login.html, /name="password"/);
    const consent = await b.follow(action(login.html, '/login')!, { csrf: field(login.html, 'csrf')!, login: user.login, password: user.password });
    assert.match(consent.html, /name="decision"/);
    const done = await b.follow(action(consent.html, '/consent')!, { csrf: field(consent.html, 'csrf')!, decision: 'allow' });
    assert.ok(done.url.startsWith(REDIRECT_URI), done.url);
    await (await b.request('/account?lang=ru')).body?.cancel();

    const anonymous = new Browser(server);
    const accountSignIn = await anonymous.follow('/account');
    assert.match(accountSignIn.html, /name="password"/);
    await (await anonymous.request('/integrations/sign-in')).body?.cancel();
    const portal = await anonymous.follow('/integrations/sign-in');
    await anonymous.follow(action(portal.html, '/integrations/sign-in')!, { csrf: field(portal.html, 'csrf')!, login: user.login, password: user.password });
    await (await anonymous.request('/device')).body?.cancel();

    const names = new Set([...b.setCookies, ...anonymous.setCookies].map((c) => c.split('=')[0]));
    for (const expected of ['_session', '_interaction', 'propusk.csrf']) assert.ok(names.has(expected), `${expected} was set (${[...names].join(', ')})`);
    for (const c of [...b.setCookies, ...anonymous.setCookies]) assert.match(c, /;\s*secure/i, c);
  });
});
