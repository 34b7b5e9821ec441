/**
 * Authorization code flow through the pages without JavaScript (a cookie jar and form posts):
 * sign-in, consent, errors, CSRF, prompt handling, and the token endpoint's refusals.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { FormsAgent, formOf, paramsOf, type Page } from './support/forms-agent.ts';
import { API_AUDIENCE, REDIRECT_URI, authorizeUrl, exchangeCode, introspect, newUser, pkce, refresh, setupCodeFlow, type CodeFlowSetup } from './support/setup.ts';

/** The refresh-token reuse interval of this server, short enough to wait out in a test. */
const REUSE_INTERVAL_SECONDS = 3;

let s: CodeFlowSetup;
before(async () => {
  s = await setupCodeFlow(undefined, { PROPUSK_REFRESH_REUSE_INTERVAL: String(REUSE_INTERVAL_SECONDS) });
});
after(() => s.server.stop());

/** Signs in and consents; returns the callback URL (the client's redirect_uri with code or error). */
async function signIn(agent: FormsAgent, url: string, options: { login?: string; password?: string; decision?: 'allow' | 'deny' } = {}): Promise<Page> {
  const login = await agent.follow(url);
  assert.equal(login.status, 200, login.html);
  const afterLogin = await agent.submit(login, '/login', { login: options.login ?? s.user.login, password: options.password ?? s.user.password });
  if (afterLogin.url.startsWith(REDIRECT_URI)) return afterLogin;
  assert.match(afterLogin.html, /name="decision"/, 'consent page after sign-in');
  return agent.submit(afterLogin, '/consent', { decision: options.decision ?? 'allow' });
}

async function codeFor(agent = new FormsAgent(s.issuer), params: Record<string, string> = {}, user: { login: string; password: string } = s.user) {
  const state = 'st-' + Math.random().toString(36).slice(2);
  const callback = await signIn(agent, authorizeUrl(s.issuer, { state, ...params }), { login: user.login, password: user.password });
  const p = paramsOf(callback.url);
  assert.equal(p.state, state);
  assert.ok(p.code, `code in ${callback.url}`);
  return { code: p.code, agent, params: p };
}

describe('authorization endpoint', () => {
  it('is listed in discovery with userinfo and end session', async () => {
    const d = (await (await fetch(`${s.issuer}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
    assert.equal(d.authorization_endpoint, `${s.issuer}/connect/authorize`);
    assert.equal(d.userinfo_endpoint, `${s.issuer}/connect/userinfo`);
    assert.equal(d.end_session_endpoint, `${s.issuer}/connect/endsession`);
    assert.deepEqual(d.response_types_supported, ['code']);
    assert.equal(d.authorization_response_iss_parameter_supported, true);
  });

  it('redirects with code, state and iss after sign-in and consent; cookies are HttpOnly and SameSite', async () => {
    const agent = new FormsAgent(s.issuer);
    const res = await agent.request(authorizeUrl(s.issuer));
    assert.equal(res.status, 303);
    const cookies = res.headers.getSetCookie();
    assert.ok(cookies.some((c) => c.startsWith('_interaction=')));
    for (const c of cookies) {
      assert.match(c, /httponly/i);
      assert.match(c, /samesite=lax/i);
    }
    const { params } = await codeFor(agent);
    assert.equal(params.iss, s.issuer);
  });

  it('accepts POST (answered with 303 to GET, so the SameSite=Lax session cookie still applies)', async () => {
    const agent = new FormsAgent(s.issuer);
    const url = new URL(authorizeUrl(s.issuer));
    const res = await agent.request(`${s.issuer}/connect/authorize`, { form: Object.fromEntries(url.searchParams) });
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), `/connect/authorize${url.search}`);
    const page = await agent.follow(`${s.issuer}/connect/authorize`, { form: Object.fromEntries(url.searchParams) });
    assert.equal(page.status, 200);
    assert.match(page.html, /name="password"/);
  });

  it('signs in by phone number too', async () => {
    const { code } = await codeFor(new FormsAgent(s.issuer), { login_hint: s.user.phone });
    assert.ok(code);
    const agent = new FormsAgent(s.issuer);
    const callback = await signIn(agent, authorizeUrl(s.issuer), { login: s.user.phone });
    assert.ok(paramsOf(callback.url).code);
  });

  it('shows an error page and never redirects to an unregistered redirect_uri', async () => {
    const res = await fetch(authorizeUrl(s.issuer, { redirect_uri: 'https://evil.example/cb' }), { redirect: 'manual' });
    assert.equal(res.status, 400);
    assert.equal(res.headers.get('location'), null);
    assert.match(res.headers.get('content-type') ?? '', /text\/html/);
    const html = await res.text();
    assert.match(html, /<html lang="ru"/);
    assert.match(html, /redirect_uri/);
    // The rejected URI is named only as text in the developers' details block, never as a link or a form target.
    const details = /<details[\s>][\s\S]*?<\/details>/.exec(html)?.[0] ?? '';
    assert.match(details, /<code>https:\/\/evil\.example\/cb<\/code>/);
    assert.doesNotMatch(html.replace(details, ''), /evil\.example/);
    assert.doesNotMatch(html, /(href|action|src)="[^"]*evil\.example/);
  });

  it('prompt=none without a session → login_required at the redirect_uri', async () => {
    const res = await fetch(authorizeUrl(s.issuer, { prompt: 'none', state: 'x1' }), { redirect: 'manual' });
    assert.equal(res.status, 303);
    const p = paramsOf(res.headers.get('location')!);
    assert.ok(res.headers.get('location')!.startsWith(REDIRECT_URI));
    assert.equal(p.error, 'login_required');
    assert.equal(p.state, 'x1');
    assert.equal(p.iss, s.issuer);
  });

  it('remembers consent per client and scope set: prompt=none → code without pages; a new scope asks again', async () => {
    const { agent } = await codeFor();
    const silent = await agent.follow(authorizeUrl(s.issuer, { prompt: 'none', state: 'silent' }));
    assert.ok(silent.url.startsWith(REDIRECT_URI), silent.url);
    assert.equal(paramsOf(silent.url).state, 'silent');
    const code = paramsOf(silent.url).code!;
    assert.equal((await exchangeCode(s, code)).status, 200);

    // A subset of the granted scopes needs no page either.
    const subset = await agent.follow(authorizeUrl(s.issuer, { scope: 'openid profile' }));
    assert.ok(paramsOf(subset.url).code, subset.url);

    // prompt=consent asks again even though everything was granted.
    const forced = await agent.follow(authorizeUrl(s.issuer, { prompt: 'consent' }));
    assert.equal(forced.status, 200);
    assert.match(forced.html, /name="decision"/);
  });

  it('a scope that was not granted yet asks for consent again (prompt=none → consent_required)', async () => {
    const { agent } = await codeFor(undefined, { scope: 'openid profile' }, await newUser(s));
    const none = await agent.follow(authorizeUrl(s.issuer, { scope: 'openid profile email', prompt: 'none' }));
    assert.equal(paramsOf(none.url).error, 'consent_required');
    const more = await agent.follow(authorizeUrl(s.issuer, { scope: 'openid profile email' }));
    assert.equal(more.status, 200);
    assert.match(more.html, /name="decision"/);
    assert.match(more.html, /Адрес электронной почты/);
  });

  it('prompt=login and max_age=0 ask for the password again even with a session', async () => {
    const { agent } = await codeFor();
    for (const extra of [{ prompt: 'login' }, { max_age: '0' }]) {
      const page = await agent.follow(authorizeUrl(s.issuer, extra));
      assert.equal(page.status, 200);
      assert.match(page.html, /name="password"/);
    }
  });

  it('prefills login_hint and honours ui_locales and Accept-Language', async () => {
    const en = await new FormsAgent(s.issuer).follow(authorizeUrl(s.issuer, { ui_locales: 'en', login_hint: 'someone@example.com' }));
    assert.match(en.html, /<html lang="en"/);
    assert.match(en.html, /value="someone@example.com"/);
    assert.match(en.html, /Sign in/);
    const accept = await new FormsAgent(s.issuer, { 'accept-language': 'en-US,en;q=0.9' }).follow(authorizeUrl(s.issuer));
    assert.match(accept.html, /<html lang="en"/);
    const ru = await new FormsAgent(s.issuer).follow(authorizeUrl(s.issuer));
    assert.match(ru.html, /<html lang="ru"/);
    assert.match(ru.html, /Войти/);
    // The language switch link keeps the user on the step, in the other language.
    const href = /class="lang-switch" href="([^"]*)"/.exec(ru.html)?.[1];
    assert.ok(href);
    const switched = await new FormsAgent(s.issuer).follow(href.replace(/&amp;/g, '&'));
    assert.equal(switched.status, 400, 'another browser has no interaction cookie');
    const agent = new FormsAgent(s.issuer);
    const page = await agent.follow(authorizeUrl(s.issuer));
    const again = await agent.follow(/class="lang-switch" href="([^"]*)"/.exec(page.html)![1]!.replace(/&amp;/g, '&'));
    assert.match(again.html, /<html lang="en"/);
    assert.match(again.html, /name="password"/);
  });
});

describe('sign-in refusals', () => {
  it('a wrong password gets the generic message, and is audited without secrets', async () => {
    const agent = new FormsAgent(s.issuer);
    const login = await agent.follow(authorizeUrl(s.issuer));
    const page = await agent.submit(login, '/login', { login: s.user.login, password: 'wrong-password-123' });
    assert.equal(page.status, 401);
    assert.match(page.html, /Неверный логин или пароль/);
    assert.match(page.html, /name="password"/);
    const unknown = await agent.submit(page, '/login', { login: 'nobody@example.com', password: 'wrong-password-123' });
    assert.equal(unknown.status, 401);
    assert.match(unknown.html, /Неверный логин или пароль/);
    const events = await s.server.context.audit.tail({ type: 'login.password', limit: 50 });
    const failures = events.filter((e) => e.outcome === 'failure');
    // Failures of one kind from one address are counted in one row.
    assert.ok(failures.reduce((n, e) => n + (e.count ?? 1), 0) >= 2);
    assert.doesNotMatch(JSON.stringify(events), /wrong-password-123|nobody@example/);
  });

  it('a disabled account cannot sign in (same generic message)', async () => {
    const { account, password } = await (await import('../support/fixtures.ts')).createUser(s.server.context);
    await s.server.context.accounts.disable(account.id, 'admin-cli');
    const agent = new FormsAgent(s.issuer);
    const login = await agent.follow(authorizeUrl(s.issuer));
    const page = await agent.submit(login, '/login', { login: account.login, password });
    assert.equal(page.status, 401);
    assert.match(page.html, /Неверный логин или пароль/);
  });

  it('empty fields re-render with a message', async () => {
    const agent = new FormsAgent(s.issuer);
    const login = await agent.follow(authorizeUrl(s.issuer));
    const page = await agent.submit(login, '/login', { login: '', password: '' });
    assert.equal(page.status, 400);
    assert.match(page.html, /Введите логин и пароль/);
  });

  it('a form without (or with a wrong) CSRF token is refused with 403 and changes nothing', async () => {
    const user = await newUser(s);
    const agent = new FormsAgent(s.issuer);
    const login = await agent.follow(authorizeUrl(s.issuer));
    const { action, csrf } = formOf(login.html, '/login');
    const missing = await agent.request(action, { form: { login: user.login, password: user.password } });
    assert.equal(missing.status, 403);
    assert.match(missing.headers.get('content-type') ?? '', /text\/html/);
    assert.match(await missing.text(), /ERR_CSRF_TOKEN_INVALID/);
    const wrong = await agent.request(action, { form: { csrf: `${csrf.startsWith('A') ? 'B' : 'A'}${csrf.slice(1)}`, login: user.login, password: user.password } });
    assert.equal(wrong.status, 403);
    // The token of another interaction does not fit either.
    const other = new FormsAgent(s.issuer);
    const otherLogin = await other.follow(authorizeUrl(s.issuer));
    const foreign = await agent.request(action, { form: { csrf: formOf(otherLogin.html, '/login').csrf, login: user.login, password: user.password } });
    assert.equal(foreign.status, 403);
    // The right token still works afterwards.
    const ok = await agent.submit(login, '/login', { login: user.login, password: user.password });
    assert.match(ok.html, /name="decision"/);
  });

  it('refuses non-urlencoded bodies', async () => {
    const agent = new FormsAgent(s.issuer);
    const login = await agent.follow(authorizeUrl(s.issuer));
    const { action, csrf } = formOf(login.html, '/login');
    const res = await agent.request(action, { method: 'POST', headers: { 'content-type': 'application/json' } });
    assert.equal(res.status, 415);
    void csrf;
  });

  it('an unknown or finished interaction shows a friendly page', async () => {
    const res = await fetch(`${s.issuer}/interaction/unknown-uid`, { headers: { accept: 'text/html' } });
    assert.equal(res.status, 400);
    assert.match(await res.text(), /ERR_INTERACTION_EXPIRED/);
    const json = await fetch(`${s.issuer}/interaction/unknown-uid`, { headers: { accept: 'application/json' } });
    assert.equal(((await json.json()) as { error: string }).error, 'ERR_INTERACTION_EXPIRED');
    const agent = new FormsAgent(s.issuer);
    const login = await agent.follow(authorizeUrl(s.issuer));
    await signIn(agent, authorizeUrl(s.issuer));
    // The first interaction's page was superseded by the second flow's cookie.
    const stale = await agent.submit(login, '/login', { login: s.user.login, password: s.user.password });
    assert.equal(stale.status, 400);
    assert.match(stale.html, /ERR_INTERACTION_EXPIRED/);
  });

  it('cancel on the sign-in page and deny on the consent page → access_denied at the redirect_uri', async () => {
    const agent = new FormsAgent(s.issuer);
    const login = await agent.follow(authorizeUrl(s.issuer, { state: 'c1' }));
    const cancelled = await agent.submit(login, '/abort', {});
    assert.deepEqual([paramsOf(cancelled.url).error, paramsOf(cancelled.url).state], ['access_denied', 'c1']);

    const denied = await signIn(new FormsAgent(s.issuer), authorizeUrl(s.issuer, { state: 'd1' }), { ...(await newUser(s)), decision: 'deny' });
    assert.ok(denied.url.startsWith(REDIRECT_URI));
    const p = paramsOf(denied.url);
    assert.equal(p.error, 'access_denied');
    assert.equal(p.state, 'd1');
    assert.equal(p.code, undefined);
    const events = await s.server.context.audit.tail({ type: 'consent.denied', limit: 5 });
    assert.equal(events[0]?.clientId, 'web.app');
  });
});

describe('token endpoint', () => {
  it('code exchange: opaque 24 h API token, id_token, refresh token, no-store', async () => {
    const user = await newUser(s); // a first sign-in to web.app: asked for consent
    const { code } = await codeFor(undefined, {}, user);
    const res = await exchangeCode(s, code);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.headers.get('cache-control'), 'no-store');
    assert.equal(res.json.token_type, 'Bearer');
    assert.equal(res.json.expires_in, 86400);
    assert.equal(String(res.json.access_token).split('.').length, 1, 'opaque access token');
    assert.ok(res.json.id_token);
    assert.ok(res.json.refresh_token);
    const info = await introspect(s, String(res.json.access_token));
    assert.equal(info.active, true);
    assert.equal(info.aud, API_AUDIENCE);
    const [granted] = await s.server.context.audit.tail({ type: 'consent.granted', limit: 1 });
    assert.equal(granted?.accountId, user.id);
    assert.equal(granted?.details.remembered, true);
    assert.equal(granted?.details.scope, 'openid profile email extern.api');
    const signIns = await s.server.context.audit.tail({ type: 'login.password', limit: 50 });
    assert.ok(signIns.some((e) => e.outcome === 'success' && e.accountId === user.id));
  });

  it('a reused code is refused and the tokens issued with it are revoked', async () => {
    const { code } = await codeFor();
    const first = await exchangeCode(s, code);
    assert.equal(first.status, 200);
    const again = await exchangeCode(s, code);
    assert.equal(again.status, 400);
    assert.equal(again.json.error, 'invalid_grant');
    assert.equal((await introspect(s, String(first.json.access_token))).active, false);
    const r = await refresh(s, String(first.json.refresh_token));
    assert.equal(r.json.error, 'invalid_grant');
  });

  it('of concurrent exchanges of one code, exactly one gets tokens and the losers revoke them as a reuse would; concurrent refreshes with one token all get tokens (reuse interval)', async () => {
    const since = new Date();
    const { code } = await codeFor();
    const exchanges = await Promise.all(Array.from({ length: 8 }, () => exchangeCode(s, code)));
    assert.equal(exchanges.filter((r) => r.status === 200).length, 1, JSON.stringify(exchanges.map((r) => r.status)));
    for (const r of exchanges.filter((x) => x.status !== 200)) assert.equal(r.json.error, 'invalid_grant');
    // A lost race is a reuse of the code: the winner's grant is revoked and the reuse audited.
    const winner = exchanges.find((r) => r.status === 200)!;
    assert.equal((await introspect(s, String(winner.json.access_token))).active, false, "the winner's access token is revoked");
    assert.equal((await refresh(s, String(winner.json.refresh_token))).json.error, 'invalid_grant', "the winner's refresh token is revoked");
    let reuses: Awaited<ReturnType<typeof s.server.context.audit.tail>> = [];
    for (let i = 0; i < 40 && reuses.length === 0; i++) {
      reuses = await s.server.context.audit.tail({ type: 'authorization_code.reuse_detected', since });
      if (reuses.length === 0) await new Promise((r) => setTimeout(r, 50));
    }
    assert.ok(reuses.length >= 1, 'the reuse is audited');
    assert.ok(reuses.every((e) => e.outcome === 'failure' && e.details.grant_revoked === true));

    const fresh = await exchangeCode(s, (await codeFor()).code);
    const refreshes = await Promise.all(Array.from({ length: 8 }, () => refresh(s, String(fresh.json.refresh_token))));
    assert.equal(refreshes.filter((r) => r.status === 200).length, 8, JSON.stringify(refreshes.map((r) => r.text)));
    for (const r of refreshes) assert.equal((await introspect(s, String(r.json.access_token))).active, true, 'nothing revoked');
  });

  it('a refresh token rotates; reuse of a rotated one within the reuse interval gets tokens, after it revokes the grant', async () => {
    const { code } = await codeFor();
    const first = await exchangeCode(s, code);
    const rt1 = String(first.json.refresh_token);
    const second = await refresh(s, rt1);
    assert.equal(second.status, 200, second.text);
    const rt2 = String(second.json.refresh_token);
    assert.notEqual(rt2, rt1);
    assert.equal((await introspect(s, String(second.json.access_token))).active, true);
    const within = await refresh(s, rt1);
    assert.equal(within.status, 200, within.text);
    assert.equal((await introspect(s, String(second.json.access_token))).active, true, 'nothing revoked within the interval');
    await new Promise((r) => setTimeout(r, REUSE_INTERVAL_SECONDS * 1000 + 300));
    const reuse = await refresh(s, rt1);
    assert.equal(reuse.json.error, 'invalid_grant');
    assert.equal((await refresh(s, rt2)).json.error, 'invalid_grant');
    assert.equal((await introspect(s, String(second.json.access_token))).active, false);
  });

  it('redirect_uri must match the one of the authorization request', async () => {
    const { code } = await codeFor();
    const res = await exchangeCode(s, code, { redirect_uri: 'http://127.0.0.1:9/other' });
    assert.equal(res.json.error, 'invalid_grant');
  });

  it('PKCE: optional for confidential clients but checked when used; a wrong verifier is refused', async () => {
    const { verifier, challenge } = pkce();
    const { code } = await codeFor(undefined, { code_challenge: challenge, code_challenge_method: 'S256' });
    const wrong = await exchangeCode(s, code, { code_verifier: pkce().verifier });
    assert.equal(wrong.json.error, 'invalid_grant');
    const { code: code2 } = await codeFor(undefined, { code_challenge: challenge, code_challenge_method: 'S256' });
    assert.equal((await exchangeCode(s, code2)).json.error, 'invalid_grant', 'verifier missing');
    const { code: code3 } = await codeFor(undefined, { code_challenge: challenge, code_challenge_method: 'S256' });
    assert.equal((await exchangeCode(s, code3, { code_verifier: verifier })).status, 200);
  });

  it('PKCE S256 is required for public clients', async () => {
    const res = await fetch(authorizeUrl(s.issuer, { client_id: s.spa.clientId, state: 'p1' }), { redirect: 'manual' });
    const p = paramsOf(res.headers.get('location')!);
    assert.equal(p.error, 'invalid_request');
    assert.match(p.error_description ?? '', /PKCE/);

    const { verifier, challenge } = pkce();
    const { code } = await codeFor(undefined, { client_id: s.spa.clientId, code_challenge: challenge, code_challenge_method: 'S256' });
    const tokenUrl = `${s.issuer}/connect/token`;
    const body = { grant_type: 'authorization_code', code, client_id: s.spa.clientId, redirect_uri: REDIRECT_URI };
    const wrong = await fetch(tokenUrl, { method: 'POST', body: new URLSearchParams({ ...body, code_verifier: pkce().verifier }) });
    assert.equal(((await wrong.json()) as { error: string }).error, 'invalid_grant');
    const { code: code2 } = await codeFor(undefined, { client_id: s.spa.clientId, code_challenge: challenge, code_challenge_method: 'S256' });
    const ok = await fetch(tokenUrl, { method: 'POST', body: new URLSearchParams({ ...body, code: code2, code_verifier: verifier }) });
    assert.equal(ok.status, 200);
  });

  it('userinfo answers the API token of the code exchange, and a token without audience (refresh with OIDC scopes only)', async () => {
    const { code } = await codeFor();
    const tokens = await exchangeCode(s, code);
    const api = await fetch(`${s.issuer}/connect/userinfo`, { headers: { authorization: `Bearer ${String(tokens.json.access_token)}` } });
    assert.equal(api.status, 200);
    assert.equal(((await api.json()) as Record<string, unknown>).email, s.user.login);
    const r = await refresh(s, String(tokens.json.refresh_token), { scope: 'openid profile email' });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.scope, 'openid profile email');
    const ui = await fetch(`${s.issuer}/connect/userinfo`, { headers: { authorization: `Bearer ${String(r.json.access_token)}` } });
    assert.equal(ui.status, 200);
    const claims = (await ui.json()) as Record<string, unknown>;
    assert.equal(claims.sub, s.user.id);
    assert.equal(claims.email, s.user.login);
    assert.equal(claims.family_name, 'Петров');
    // The API does not accept the userinfo token.
    assert.equal((await introspect(s, String(r.json.access_token))).active, false);
    // Without `scope` the refresh gives the API token again.
    const back = await refresh(s, String(r.json.refresh_token));
    assert.equal((await introspect(s, String(back.json.access_token))).aud, API_AUDIENCE);
  });
});
