/**
 * The account pages through HTTP without JavaScript (a cookie jar and form posts): sign-in, the
 * applications holding access and revoking one, password change, sign out everywhere, CSRF and
 * ownership checks, no-store. Every revocation is checked where it matters: introspection and the
 * refresh grant.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setupCodeFlow, authorizeUrl, type CodeFlowSetup } from '../codeflow/support/setup.ts';
import { createUser } from '../support/fixtures.ts';
import { FormsAgent, accountPage, codeFlowTokens, formOf, applicationsOn, isAccountPage, signInToAccount, tokenState } from './support.ts';

let s: CodeFlowSetup;
before(async () => {
  s = await setupCodeFlow();
});
after(() => s.server.stop());

const newUser = async () => {
  const { account, password } = await createUser(s.server.context);
  return { login: account.login, password, id: account.id };
};
const rowsOf = async (accountId: string) =>
  (await s.server.context.db.selectFrom('oidc_model').select(['model', 'id']).where('account_id', '=', accountId).execute()).map((r) => r.model).sort();

describe('account sign-in', () => {
  it('without a session GET /account shows the sign-in form, not cached, with its own CSRF cookie', async () => {
    const agent = new FormsAgent(s.issuer);
    const res = await agent.request('/account');
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('cache-control'), 'no-store');
    const html = await res.text();
    assert.match(html, /action="\/account\/sign-in/);
    assert.match(html, /name="csrf" value="[^"]+"/);
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('propusk.csrf='));
    assert.ok(cookie, 'sign-in CSRF cookie');
    assert.match(cookie, /httponly/i);
    assert.match(cookie, /samesite=lax/i);
  });

  it('a wrong password gets the generic message (401); a post without the CSRF token is refused (403)', async () => {
    const agent = new FormsAgent(s.issuer);
    const login = await accountPage(agent);
    const wrong = await agent.submit(login, '/account/sign-in', { login: s.user.login, password: 'not the password' });
    assert.equal(wrong.status, 401);
    assert.match(wrong.html, /Неверный логин или пароль/);
    const unknown = await agent.submit(login, '/account/sign-in', { login: 'nobody@example.com', password: 'not the password' });
    assert.equal(unknown.status, 401);
    assert.equal(unknown.html.match(/class="notice[^"]*"[^>]*>[\s\S]*?<\/div>/)?.[0], wrong.html.match(/class="notice[^"]*"[^>]*>[\s\S]*?<\/div>/)?.[0], 'same message for an unknown login');
    const forged = await agent.request('/account/sign-in', { form: { login: s.user.login, password: s.user.password } });
    assert.equal(forged.status, 403);
    assert.ok(!forged.headers.getSetCookie().some((c) => c.startsWith('_session=')), 'no session without the token');
    const otherBrowser = new FormsAgent(s.issuer);
    const foreign = await otherBrowser.request('/account/sign-in', { form: { csrf: formOf(login.html, '/account/sign-in').csrf, login: s.user.login, password: s.user.password } });
    assert.equal(foreign.status, 403, 'a token of another browser is refused');
  });

  it('signs in with the form: a provider session cookie (HttpOnly, SameSite=Lax), 303 to /account, the account page', async () => {
    const agent = new FormsAgent(s.issuer);
    const login = await accountPage(agent);
    const form = formOf(login.html, '/account/sign-in');
    const res = await agent.request(form.action, { form: { csrf: form.csrf, login: s.user.login, password: s.user.password } });
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), '/account');
    const session = res.headers.getSetCookie().find((c) => c.startsWith('_session='));
    assert.ok(session);
    assert.match(session, /httponly/i);
    assert.match(session, /samesite=lax/i);
    const page = await accountPage(agent);
    assert.ok(isAccountPage(page));
    assert.equal(page.headers.get('cache-control'), 'no-store');
    assert.match(page.html, new RegExp(s.user.login.replace(/[.]/g, '\\.')));
    // The same session signs the user in to applications: the authorize flow asks for consent, not a password.
    const next = await agent.follow(authorizeUrl(s.issuer));
    assert.doesNotMatch(next.html, /name="password"/);
  });
});

describe('applications holding access', () => {
  it('a browser signed in through the authorize flow sees the application; revoking it kills its access and refresh tokens at once', async () => {
    const user = await newUser();
    const agent = new FormsAgent(s.issuer);
    const first = await codeFlowTokens(s, agent, user);
    const page = await accountPage(agent);
    assert.ok(isAccountPage(page), 'signed in through the authorize flow');
    assert.match(page.html, /Бухгалтерия Онлайн/);
    assert.match(page.html, /Доступ к API Экстерна/);
    assert.match(page.html, /<time datetime="/, 'granted and last-used times');
    assert.deepEqual(applicationsOn(page), ['web.app']);
    const grants = await s.server.context.db.selectFrom('oidc_model').select('id').where('model', '=', 'Grant').where('account_id', '=', user.id).execute();
    assert.equal(grants.length, 1);
    const grantId = grants[0]!.id;

    const before = await tokenState(s, first);
    assert.equal(before.active, true);
    assert.equal(before.refresh.status, 200);
    const tokens = before.refresh.tokens!;

    // "Revoke access" opens a confirmation that names the application and what ends.
    const confirm = await agent.follow('/account/applications/web.app/revoke');
    assert.equal(confirm.status, 200);
    assert.match(confirm.html, /Отозвать доступ «Бухгалтерия Онлайн»\?/);
    assert.match(confirm.html, /data-consequences/);
    assert.match(confirm.html, /Доступ к API Экстерна/, 'the permissions it loses');
    assert.equal((await tokenState(s, first)).active, true, 'opening the confirmation changes nothing');
    const revoke = formOf(confirm.html, '/applications/web.app/revoke');
    const res = await agent.request(revoke.action, { form: { csrf: revoke.csrf, confirm: 'yes' } });
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), '/account?done=revoked');
    assert.equal(res.headers.get('cache-control'), 'no-store');
    const after = await tokenState(s, tokens);
    assert.equal(after.active, false, 'access token inactive at once');
    assert.equal(after.refresh.status, 400);
    assert.equal(after.refresh.error, 'invalid_grant');
    assert.equal((await tokenState(s, first)).active, false);

    const again = await agent.follow(res.headers.get('location')!);
    assert.ok(isAccountPage(again), 'revoking an application keeps the browser signed in');
    assert.match(again.html, /Доступ приложения отозван/);
    assert.deepEqual(applicationsOn(again), []);
    assert.deepEqual(await rowsOf(user.id), ['Session'], 'only the browser session is left');
    const events = await s.server.context.audit.tail({ type: 'grant.revoked' });
    assert.ok(events.some((e) => e.accountId === user.id && e.details.grant_id === grantId && e.clientId === 'web.app' && e.actor === `account:${user.id}`));
    const forgotten = await s.server.context.audit.tail({ type: 'consent.revoked' });
    assert.ok(forgotten.some((e) => e.accountId === user.id && e.clientId === 'web.app' && e.actor === `account:${user.id}`), 'the remembered consent is forgotten');
    assert.equal(await s.server.context.consents.find(user.id, 'web.app'), undefined);
  });

  it('refuses a revoke without the CSRF token or with another session token; nothing changes', async () => {
    const user = await newUser();
    const agent = new FormsAgent(s.issuer);
    const tokens = await codeFlowTokens(s, agent, user);
    const page = await accountPage(agent);
    const [clientId] = applicationsOn(page);
    const action = `/account/applications/${clientId}/revoke`;
    const without = await agent.request(action, { form: {} });
    assert.equal(without.status, 403);
    assert.match(await without.text(), /ERR_CSRF_TOKEN_INVALID/);
    const other = new FormsAgent(s.issuer);
    const otherPage = await signInToAccount(other, user);
    const foreign = await agent.request(action, { form: { csrf: formOf(otherPage.html, '/account/password').csrf } });
    assert.equal(foreign.status, 403, "another session's token");
    const get = await agent.request(action);
    assert.equal(get.status, 200, 'GET is the confirmation page, never the change');
    assert.equal((await tokenState(s, tokens)).active, true, 'still active');
    assert.deepEqual(applicationsOn(await accountPage(agent)), [clientId]);
  });

  it("an application of another account cannot be revoked: 404, its access stays", async () => {
    const owner = await newUser();
    const ownerAgent = new FormsAgent(s.issuer);
    const tokens = await codeFlowTokens(s, ownerAgent, owner);
    const [clientId] = applicationsOn(await accountPage(ownerAgent));
    assert.equal(clientId, 'web.app');

    const intruder = new FormsAgent(s.issuer);
    const page = await signInToAccount(intruder, await newUser());
    const csrf = formOf(page.html, '/account/password').csrf;
    const res = await intruder.request(`/account/applications/${encodeURIComponent(clientId!)}/revoke`, { form: { csrf } });
    assert.equal(res.status, 404);
    const missing = await intruder.request('/account/applications/no-such-client/revoke', { form: { csrf } });
    assert.equal(missing.status, 404);
    assert.equal((await tokenState(s, tokens)).active, true);
    assert.deepEqual(applicationsOn(await accountPage(ownerAgent)), [clientId]);
    assert.ok(await s.server.context.consents.find(owner.id, 'web.app'), "the owner's consent is still remembered");
  });
});

describe('password change', () => {
  it('revokes the tokens and sessions of every other session, keeps this one (told so); the old password stops working', async () => {
    const user = await newUser();
    const here = new FormsAgent(s.issuer);
    await signInToAccount(here, user);
    const hereTokens = await codeFlowTokens(s, here, user);
    const elsewhere = new FormsAgent(s.issuer);
    const elsewhereTokens = await codeFlowTokens(s, elsewhere, user);
    assert.ok(isAccountPage(await accountPage(elsewhere)));

    const page = await accountPage(here);
    const post = (fields: Record<string, string>) => here.submit(page, '/account/password', fields);
    const newPassword = 'a brand new password';
    const wrong = await post({ current_password: 'not it at all', new_password: newPassword, confirm_password: newPassword });
    assert.equal(wrong.status, 400);
    assert.match(wrong.html, /Текущий пароль указан неверно/);
    const mismatch = await post({ current_password: user.password, new_password: newPassword, confirm_password: `${newPassword}!` });
    assert.equal(mismatch.status, 400);
    assert.match(mismatch.html, /Новые пароли не совпадают/);
    const short = await post({ current_password: user.password, new_password: 'short', confirm_password: 'short' });
    assert.equal(short.status, 400);
    assert.match(short.html, /от 10 до 256 символов/);
    assert.equal((await tokenState(s, elsewhereTokens)).active, true, 'failed attempts change nothing');

    const oldCookie = here.jar.get('_session');
    const form = formOf(page.html, '/account/password');
    const res = await here.request(form.action, { form: { csrf: form.csrf, current_password: user.password, new_password: newPassword, confirm_password: newPassword } });
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), '/account?done=password_changed');

    const done = await here.follow(res.headers.get('location')!);
    assert.ok(isAccountPage(done), 'the session doing the change keeps working');
    assert.match(done.html, /Пароль изменён/);
    assert.match(done.html, /Все остальные сеансы завершены/);
    assert.notEqual(here.jar.get('_session'), oldCookie, 'the session id was rotated');
    const stale = new FormsAgent(s.issuer);
    stale.jar.set('_session', oldCookie!);
    stale.jar.set('_session.sig', here.jar.get('_session.sig')!);
    assert.ok(!isAccountPage(await accountPage(stale)), 'the old session id no longer works');

    for (const tokens of [elsewhereTokens, hereTokens]) {
      const state = await tokenState(s, tokens);
      assert.equal(state.active, false);
      assert.equal(state.refresh.error, 'invalid_grant');
    }
    assert.ok(!isAccountPage(await accountPage(elsewhere)), 'the other session is signed out');
    assert.deepEqual(await rowsOf(user.id), ['Session']);

    const oldLogin = await signInToAccount(new FormsAgent(s.issuer), user);
    assert.equal(oldLogin.status, 401, 'the old password no longer works');
    assert.ok(isAccountPage(await signInToAccount(new FormsAgent(s.issuer), { login: user.login, password: newPassword })));
    // The kept session still signs in to applications (consent again: the grants went with the password).
    assert.ok((await codeFlowTokens(s, here, { login: user.login, password: 'unused: no password page expected' })).access_token);

    const events = await s.server.context.audit.tail({ type: 'account.password_changed' });
    assert.ok(events.some((e) => e.accountId === user.id && e.outcome === 'success'));
    assert.ok(events.some((e) => e.accountId === user.id && e.outcome === 'failure' && e.details.reason === 'incorrect'));
    const revocations = await s.server.context.audit.tail({ type: 'account.tokens_revoked' });
    assert.ok(revocations.some((e) => e.accountId === user.id && e.details.reason === 'password_changed' && e.details.kept_current_session === true));
    const all = JSON.stringify(await s.server.context.audit.tail({ limit: 1000 }));
    for (const secret of [user.password, newPassword, hereTokens.access_token, hereTokens.refresh_token, elsewhereTokens.refresh_token]) assert.ok(!all.includes(secret), 'no secret in audit events');
  });
});

describe('sign out', () => {
  it('sign out everywhere revokes every session, grant and token of the account, this session included', async () => {
    const user = await newUser();
    const here = new FormsAgent(s.issuer);
    await signInToAccount(here, user);
    const hereTokens = await codeFlowTokens(s, here, user);
    const elsewhere = new FormsAgent(s.issuer);
    const elsewhereTokens = await codeFlowTokens(s, elsewhere, user);
    const bystander = new FormsAgent(s.issuer);
    const bystanderTokens = await codeFlowTokens(s, bystander);

    // The confirmation says what ends and names the applications losing access.
    const confirm = await here.follow('/account/sign-out-everywhere');
    assert.equal(confirm.status, 200);
    assert.match(confirm.html, /Выйти на всех устройствах\?/);
    assert.match(confirm.html, /Приложения потеряют доступ \(1\): Бухгалтерия Онлайн/);
    assert.equal((await tokenState(s, hereTokens)).active, true, 'opening the confirmation changes nothing');
    const form = formOf(confirm.html, '/account/sign-out-everywhere');
    const res = await here.request(form.action, { form: { csrf: form.csrf, confirm: 'yes' } });
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), '/account?done=signed_out_everywhere');
    const after = await here.follow('/account?done=signed_out_everywhere');
    assert.match(after.html, /name="password"/, 'back to the sign-in form');
    assert.match(after.html, /Вы вышли на всех устройствах/);
    assert.ok(!isAccountPage(await accountPage(elsewhere)));
    for (const tokens of [hereTokens, elsewhereTokens]) {
      const state = await tokenState(s, tokens);
      assert.equal(state.active, false);
      assert.equal(state.refresh.error, 'invalid_grant');
    }
    assert.deepEqual(await rowsOf(user.id), []);
    assert.equal((await tokenState(s, bystanderTokens)).active, true, 'other accounts keep their tokens');
    const events = await s.server.context.audit.tail({ type: 'account.signed_out_everywhere' });
    assert.ok(events.some((e) => e.accountId === user.id));
  });

  it('sign out on this device ends this session only; other sessions and offline access stay', async () => {
    const user = await newUser();
    const here = new FormsAgent(s.issuer);
    // Without offline_access oidc-provider binds tokens to the browser session (they end with it); with it they outlive it.
    const tokens = await codeFlowTokens(s, here, user, { scope: 'openid offline_access extern.api', prompt: 'consent' });
    const elsewhere = new FormsAgent(s.issuer);
    await signInToAccount(elsewhere, user);
    const page = await accountPage(here);
    const signedOut = await here.submit(page, '/account/sign-out?', {});
    assert.match(signedOut.html, /Вы вышли из аккаунта на этом устройстве/);
    assert.ok(!isAccountPage(await accountPage(here)));
    assert.ok(isAccountPage(await accountPage(elsewhere)));
    assert.equal((await tokenState(s, tokens)).active, true);
  });
});
