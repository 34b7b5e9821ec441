/**
 * The console over HTTP with a browser without JavaScript: the sign-in request (PKCE S256, the
 * `propusk.admin` resource), the callback's checks, form tokens, the page of an operator without a
 * role, what support staff see, and that a role withdrawn or an account disabled takes effect on
 * the next console request; the token's expiry (a silent new sign-in) and signing out (the token
 * revoked, the provider's session ended).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { TestServer } from '../support/server.ts';
import { eventually } from '../cluster/support.ts';
import { FormsAgent, formOf, operatorAccount, signIn, startConsoleServer } from './support.ts';

let s: TestServer;
before(async () => {
  s = await startConsoleServer();
});
after(() => s?.stop());

/** The `<nav>` links of a console page. */
const navOf = (html: string): string[] => [...(/<nav class="console-nav"[^>]*>([\s\S]*?)<\/nav>/.exec(html)?.[1] ?? '').matchAll(/href="([^"]+)"/g)].map((m) => m[1]!);

const setCookie = (res: Response, name: string) => res.headers.getSetCookie().find((c) => c.startsWith(`${name}=`));

describe('console sign-in', () => {
  it('/console without a session is a landing page; any other page starts a sign-in that comes back to it', async () => {
    const agent = new FormsAgent(s.issuer);
    const landing = await agent.follow('/console');
    assert.equal(landing.status, 200);
    assert.match(landing.html, /href="\/console\/sign-in"/);
    const res = await agent.request('/console/signing-keys?cursor=x');
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), '/console/sign-in?next=%2Fconsole%2Fsigning-keys%3Fcursor%3Dx');
  });

  it('redirects to the authorization endpoint with PKCE S256, the propusk.admin resource, state and nonce; the checks go in a sealed cookie', async () => {
    const agent = new FormsAgent(s.issuer);
    const res = await agent.request('/console/sign-in?next=/console/signing-keys');
    assert.equal(res.status, 302);
    const url = new URL(res.headers.get('location')!);
    assert.equal(`${url.origin}${url.pathname}`, `${s.issuer}/connect/authorize`);
    const q = url.searchParams;
    assert.equal(q.get('client_id'), 'propusk-console');
    assert.equal(q.get('response_type'), 'code');
    assert.equal(q.get('redirect_uri'), `${s.issuer}/console/callback`);
    assert.equal(q.get('scope'), 'openid propusk.admin');
    assert.equal(q.get('resource'), 'urn:propusk:api:propusk.admin');
    assert.equal(q.get('code_challenge_method'), 'S256');
    assert.match(q.get('code_challenge') ?? '', /^[A-Za-z0-9_-]{43}$/);
    assert.ok(q.get('state') && q.get('nonce'));
    const cookie = setCookie(res, 'propusk.console.signin')!;
    assert.match(cookie, /; path=\/console/i);
    assert.match(cookie, /; httponly/i);
    assert.match(cookie, /; samesite=lax/i);
    for (const secret of [q.get('state')!, q.get('nonce')!]) assert.ok(!cookie.includes(secret), 'the cookie is sealed');
  });

  it('signs in without a consent page and lands on the page asked for; the token is in an HttpOnly cookie only', async () => {
    const admin = await operatorAccount(s.context, 'admin');
    const agent = new FormsAgent(s.issuer);
    let page = await agent.follow('/console/sign-in?next=/console/signing-keys');
    assert.match(page.html, /name="password"/);
    page = await agent.submit(page, '/login', { login: admin.login, password: admin.password });
    assert.equal(page.url, `${s.issuer}/console/signing-keys`);
    assert.equal(page.status, 200);
    assert.doesNotMatch(page.html, /name="decision"/);
    assert.ok(agent.jar.has('propusk.console'));
    assert.ok(!agent.jar.has('propusk.console.signin'), 'the sign-in cookie is gone');
    assert.equal(page.headers.get('cache-control'), 'no-store');
    assert.match(page.headers.get('content-security-policy') ?? '', /form-action 'self'/);
    assert.equal(page.headers.get('x-frame-options'), 'DENY');
    assert.doesNotMatch(page.html, /access_token|propusk\.console=/);
  });

  it('the callback refuses a wrong state, and a callback without a sign-in of this browser', async () => {
    const admin = await operatorAccount(s.context, 'admin');
    const agent = new FormsAgent(s.issuer);
    // Sign in at the provider, stopping at the redirect to the callback.
    let res = await agent.request('/console/sign-in');
    let location = res.headers.get('location')!;
    const page = await agent.follow(location);
    const form = formOf(page.html, '/login');
    res = await agent.request(form.action, { form: { csrf: form.csrf, login: admin.login, password: admin.password } });
    for (let i = 0; i < 5 && !(location = res.headers.get('location')!).includes('/console/callback'); i++) res = await agent.request(location);
    const callback = new URL(location, s.issuer);
    assert.ok(callback.searchParams.get('code'));
    const wrong = new URL(callback);
    wrong.searchParams.set('state', 'not-the-state');
    res = await agent.request(wrong.href);
    assert.equal(res.status, 400);
    assert.match(await res.text(), /ERR_CONSOLE_SIGN_IN/);
    assert.ok(!agent.jar.has('propusk.console'));
    // The sign-in is used up: the right state no longer works either.
    res = await agent.request(callback.href);
    assert.equal(res.status, 400);
    assert.ok(!agent.jar.has('propusk.console'));
    // Another browser (no sign-in cookie) cannot use the code.
    const other = new FormsAgent(s.issuer);
    res = await other.request(callback.href);
    assert.equal(res.status, 400);
    assert.ok(!other.jar.has('propusk.console'));
  });
});

describe('console access', () => {
  it('refuses a form without its form token (or with another session\'s): nothing changes', async () => {
    const admin = await operatorAccount(s.context, 'admin');
    const agent = new FormsAgent(s.issuer);
    await signIn(agent, admin);
    const before = (await s.context.keys.list()).length;
    let res = await agent.request('/console/signing-keys/rotate', { form: { confirm: 'yes' } });
    assert.equal(res.status, 403);
    assert.match(await res.text(), /ERR_CSRF_TOKEN_INVALID/);
    const other = new FormsAgent(s.issuer);
    await signIn(other, await operatorAccount(s.context, 'admin'));
    const foreign = formOf((await other.follow('/console/signing-keys/rotate')).html, '/rotate');
    res = await agent.request('/console/signing-keys/rotate', { form: { confirm: 'yes', csrf: foreign.csrf } });
    assert.equal(res.status, 403);
    assert.equal((await s.context.keys.list()).length, before, 'no rotation');
    // With its own token the same form rotates.
    const own = formOf((await agent.follow('/console/signing-keys/rotate')).html, '/rotate');
    res = await agent.request('/console/signing-keys/rotate', { form: { confirm: 'yes', csrf: own.csrf } });
    assert.equal(res.status, 303);
    assert.equal((await s.context.keys.list()).length, before + 1);
  });

  it('an account without a role gets a 403 page with a sign-out button, not a sign-in loop', async () => {
    const nobody = await operatorAccount(s.context, null);
    const agent = new FormsAgent(s.issuer);
    const page = await signIn(agent, nobody);
    assert.equal(page.status, 403);
    assert.equal(page.url, `${s.issuer}/console`);
    assert.deepEqual(navOf(page.html), []);
    assert.match(page.html, new RegExp(nobody.login.replace(/[.]/g, '\\.')));
    formOf(page.html, '/console/sign-out');
    const again = await agent.follow('/console/signing-keys');
    assert.equal(again.status, 403);
    assert.equal(again.url, `${s.issuer}/console/signing-keys`);
  });

  it('support staff see users and links only; clients, APIs, signing keys and the audit log are 403', async () => {
    const support = await operatorAccount(s.context, 'support');
    const agent = new FormsAgent(s.issuer);
    const page = await signIn(agent, support, '/console/sign-in?next=/console/signing-keys');
    assert.equal(page.status, 403);
    for (const href of navOf(page.html)) assert.match(href, /^\/console\/(users|links)$/);
    for (const path of ['/console/clients', '/console/clients/propusk-console', '/console/apis', '/console/signing-keys', '/console/signing-keys/rotate', '/console/audit']) {
      const res = await agent.follow(path);
      assert.equal(res.status, 403, path);
      assert.deepEqual(navOf(res.html).filter((h) => !/^\/console\/(users|links)$/.test(h)), [], path);
    }
    const rotate = await agent.request('/console/signing-keys/rotate', { form: { confirm: 'yes', csrf: formOf(page.html, '/sign-out').csrf } });
    assert.equal(rotate.status, 403);
  });

  it('an auditor sees signing keys without the rotate button, and a rotation is refused', async () => {
    const auditor = await operatorAccount(s.context, 'auditor');
    const agent = new FormsAgent(s.issuer);
    const page = await signIn(agent, auditor, '/console/sign-in?next=/console/signing-keys');
    assert.equal(page.status, 200);
    assert.doesNotMatch(page.html, /\/console\/signing-keys\/rotate/);
    const res = await agent.request('/console/signing-keys/rotate', { form: { confirm: 'yes', csrf: formOf(page.html, '/sign-out').csrf } });
    assert.equal(res.status, 403);
  });

  it('a role withdrawn, or the account disabled, is refused on the next console request', async () => {
    const admin = await operatorAccount(s.context, 'admin');
    const agent = new FormsAgent(s.issuer);
    assert.equal((await signIn(agent, admin, '/console/sign-in?next=/console/signing-keys')).status, 200);

    await s.context.roles.revoke({ account: admin.login }, 'admin', 'admin-cli');
    let page = await agent.follow('/console/signing-keys');
    assert.equal(page.status, 403);
    assert.deepEqual(navOf(page.html), []);
    await s.context.roles.grant({ account: admin.login }, 'admin', 'admin-cli');
    assert.equal((await agent.follow('/console/signing-keys')).status, 200);

    await s.context.accounts.disable(admin.login, 'admin-cli');
    const res = await agent.request('/console/signing-keys');
    assert.equal(res.status, 303);
    assert.match(res.headers.get('location')!, /^\/console\/sign-in/);
    assert.ok(!agent.jar.has('propusk.console'), 'the console session is dropped');
    page = await agent.follow('/console/signing-keys');
    assert.match(page.html, /name="password"/, 'a disabled account must sign in again, and cannot');
  });

  it('an expired token is renewed by a silent sign-in while the provider session lives', async () => {
    const ctx = s.context;
    const admin = await operatorAccount(ctx, 'admin');
    const agent = new FormsAgent(s.issuer);
    await ctx.db.updateTable('resource').set({ access_token_ttl: 1 }).where('scope', '=', 'propusk.admin').execute();
    await ctx.repos.changes.publish('resource', 'urn:propusk:api:propusk.admin');
    try {
      await eventually('a 1 s console token', 5000, async () => {
        const fresh = new FormsAgent(s.issuer);
        await signIn(fresh, admin);
        const cookie = fresh.jar.get('propusk.console')!;
        await new Promise((r) => setTimeout(r, 1100));
        const res = await fresh.request('/console/signing-keys');
        return res.status === 303 && cookie ? true : undefined;
      });
      await signIn(agent, admin);
      await new Promise((r) => setTimeout(r, 1100));
      const res = await agent.request('/console/signing-keys');
      assert.equal(res.status, 303);
      assert.equal(res.headers.get('location'), '/console/sign-in?next=%2Fconsole%2Fsigning-keys');
      const page = await agent.follow('/console/sign-in?next=%2Fconsole%2Fsigning-keys');
      assert.equal(page.url, `${s.issuer}/console/signing-keys`, 'no sign-in page: the provider session is alive');
      assert.equal(page.status, 200);
    } finally {
      await ctx.db.updateTable('resource').set({ access_token_ttl: 900 }).where('scope', '=', 'propusk.admin').execute();
      await ctx.repos.changes.publish('resource', 'urn:propusk:api:propusk.admin');
    }
  });

  it('signing out revokes the token and ends the provider session (RP-initiated logout back to /console)', async () => {
    const admin = await operatorAccount(s.context, 'admin');
    const agent = new FormsAgent(s.issuer);
    const page = await signIn(agent, admin, '/console/sign-in?next=/console/signing-keys');
    const session = agent.jar.get('propusk.console')!;
    const { action, csrf } = formOf(page.html, '/console/sign-out');
    const res = await agent.request(action, { form: { csrf } });
    assert.equal(res.status, 303);
    const end = new URL(res.headers.get('location')!);
    assert.equal(`${end.origin}${end.pathname}`, `${s.issuer}/connect/endsession`);
    assert.equal(end.searchParams.get('post_logout_redirect_uri'), `${s.issuer}/console`);
    assert.equal(end.searchParams.get('client_id'), 'propusk-console');
    assert.ok(end.searchParams.get('id_token_hint'));
    assert.ok(!agent.jar.has('propusk.console'));
    // The provider asks to confirm; yes ends its session and returns to the console's landing page.
    const confirm = await agent.follow(end.href);
    const landed = await agent.submit(confirm, '/connect/endsession', { logout: 'yes', xsrf: /name="xsrf" value="([^"]+)"/.exec(confirm.html)![1]! });
    assert.equal(landed.url, `${s.issuer}/console`);
    assert.match(landed.html, /href="\/console\/sign-in"/);
    const again = await agent.follow('/console/sign-in');
    assert.match(again.html, /name="password"/, 'the provider session ended');
    // The old session cookie no longer works (once the 5 s token cache has let go of it).
    const replay = new FormsAgent(s.issuer);
    replay.jar.set('propusk.console', session);
    await eventually('the revoked token refused', 7000, async () => ((await replay.request('/console/signing-keys')).status === 303 ? true : undefined));
  });
});

describe('console APIs: the JWT signature algorithm', () => {
  it('the form offers RS256 (selected), ES256 and EdDSA; JWT with ES256 creates an ES256 API; an opaque API ignores the choice', async () => {
    const agent = new FormsAgent(s.issuer);
    await signIn(agent, await operatorAccount(s.context, 'admin'));
    const page = await agent.follow('/console/apis');
    assert.equal(page.status, 200);
    const select = /<select[^>]*name="access_token_signing_alg"[^>]*>([\s\S]*?)<\/select>/.exec(page.html)?.[1] ?? '';
    assert.deepEqual([...select.matchAll(/<option value="([^"]+)"/g)].map((m) => m[1]), ['RS256', 'ES256', 'EdDSA']);
    assert.match(select, /<option value="RS256" selected>/);

    const { csrf } = formOf(page.html, '/console/apis');
    let res = await agent.request('/console/apis', { form: { csrf, scope: 'console.es256', name: 'ES256 API', access_token_format: 'jwt', access_token_signing_alg: 'ES256' } });
    assert.equal(res.status, 303, await res.text());
    assert.equal((await s.context.repos.resources.findByScope('console.es256'))?.accessTokenSigningAlg, 'ES256');
    assert.ok((await s.context.keys.list()).some((k) => k.alg === 'ES256' && k.signing), 'an ES256 key signs');

    res = await agent.request('/console/apis', { form: { csrf, scope: 'console.opaque', name: 'Opaque API', access_token_format: 'opaque', access_token_signing_alg: 'EdDSA' } });
    assert.equal(res.status, 303, await res.text());
    assert.equal((await s.context.repos.resources.findByScope('console.opaque'))?.accessTokenSigningAlg, null);
    assert.ok(!(await s.context.keys.list()).some((k) => k.alg === 'EdDSA'), 'no EdDSA key for an opaque API');

    const list = await agent.follow('/console/apis');
    assert.match(list.html, /jwt ES256, \d+ (s|с)</);
  });

  it('the rotation page names the current key of each algorithm; a rotation replaces each of them', async () => {
    const agent = new FormsAgent(s.issuer);
    await signIn(agent, await operatorAccount(s.context, 'admin'));
    const signing = (await s.context.keys.list()).filter((k) => k.signing);
    assert.deepEqual(signing.map((k) => k.alg).sort(), ['ES256', 'RS256'], 'the ES256 API of the test before');
    const confirm = await agent.follow('/console/signing-keys/rotate');
    for (const k of signing) assert.match(confirm.html, new RegExp(`\\(${k.alg}\\)[\\s\\S]*?${k.kid}`), `${k.alg} key shown`);
    const res = await agent.request('/console/signing-keys/rotate', { form: { confirm: 'yes', csrf: formOf(confirm.html, '/rotate').csrf } });
    assert.equal(res.status, 303);
    const now = (await s.context.keys.list()).filter((k) => k.signing);
    assert.deepEqual(now.map((k) => k.alg).sort(), ['ES256', 'RS256']);
    assert.ok(now.every((k) => !signing.some((o) => o.kid === k.kid)), 'every algorithm has a new key');
    const done = await agent.follow(res.headers.get('location')!);
    for (const k of now) assert.ok(done.html.includes(k.kid), `${k.alg} new key named`);
    assert.match(done.html, /Ключи заменены, по одному на алгоритм/);
  });
});
