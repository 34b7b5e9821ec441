/**
 * Consent remembered per account and client ,
 * through the pages without JavaScript: another browser of the same account is not asked again for
 * what it allowed, a wider scope asks for the rest, `prompt=consent` always asks, signing out
 * everywhere keeps the consent while revoking the application on the account page forgets it, and
 * revoking (disabling) a client forgets every consent given to it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { FormsAgent, paramsOf, type Page } from './support/forms-agent.ts';
import { REDIRECT_URI, authorizeUrl, exchangeCode, newUser, setupCodeFlow, type CodeFlowSetup } from './support/setup.ts';
import { accountPage, applicationsOn, formOf } from '../account/support.ts';
import { scopeNames, type RememberedConsent } from '../../src/accounts/consents.ts';

let s: CodeFlowSetup;
before(async () => {
  s = await setupCodeFlow();
});
after(() => s.server.stop());

type User = Awaited<ReturnType<typeof newUser>>;

/** A new browser signs in to web.app with `params`; returns the page after the password (consent page or redirect). */
async function signInElsewhere(user: User, params: Record<string, string> = {}): Promise<{ agent: FormsAgent; page: Page }> {
  const agent = new FormsAgent(s.issuer);
  const login = await agent.follow(authorizeUrl(s.issuer, params));
  assert.match(login.html, /name="password"/, 'a new browser signs in first');
  return { agent, page: await agent.submit(login, '/login', { login: user.login, password: user.password }) };
}

const isConsentPage = (page: Page): boolean => page.status === 200 && /name="decision"/.test(page.html);
const codeOf = (page: Page): string | undefined => (page.url.startsWith(REDIRECT_URI) ? paramsOf(page.url).code : undefined);
const rememberedScopes = (c: RememberedConsent | undefined): string[] => (c ? scopeNames(c).sort() : []);
const consentEvents = async (accountId: string, type = 'consent.granted') => (await s.server.context.audit.tail({ type, limit: 200 })).filter((e) => e.accountId === accountId);

/** Signs in with a new browser and allows what the consent page asks; returns the browser. */
async function consentElsewhere(user: User, params: Record<string, string> = {}): Promise<FormsAgent> {
  const { agent, page } = await signInElsewhere(user, params);
  assert.ok(isConsentPage(page), 'the consent page');
  const done = await agent.submit(page, '/consent', { decision: 'allow' });
  assert.ok(codeOf(done), `a code in ${done.url}`);
  return agent;
}

describe('remembered consent', () => {
  it('another browser of the same account gets a code without the consent page; prompt=none works there', async () => {
    const user = await newUser(s);
    await consentElsewhere(user);
    const remembered = await s.server.context.consents.find(user.id, 'web.app');
    assert.deepEqual(rememberedScopes(remembered), ['email', 'extern.api', 'openid', 'profile']);
    assert.deepEqual(Object.values(remembered?.resourceScopes ?? {}), [['extern.api']]);

    const { agent, page } = await signInElsewhere(user);
    const code = codeOf(page);
    assert.ok(code, `signed in and sent straight back with a code, not asked again: ${page.url}`);
    const tokens = await exchangeCode(s, code);
    assert.equal(tokens.status, 200, tokens.text);
    assert.ok(tokens.json.id_token && tokens.json.refresh_token);
    const silent = await agent.follow(authorizeUrl(s.issuer, { prompt: 'none' }));
    assert.ok(codeOf(silent), `prompt=none answered with a code: ${silent.url}`);
    assert.equal((await consentEvents(user.id)).length, 1, 'asked once');
  });

  it('only what was allowed is remembered: a wider scope asks again (prompt=none → consent_required), then the union is remembered', async () => {
    const user = await newUser(s);
    await consentElsewhere(user, { scope: 'openid extern.api' });

    const { agent, page } = await signInElsewhere(user, { scope: 'openid profile extern.api' });
    assert.ok(isConsentPage(page), 'profile was never allowed: asked');
    const none = await agent.follow(authorizeUrl(s.issuer, { scope: 'openid profile extern.api', prompt: 'none' }));
    assert.equal(paramsOf(none.url).error, 'consent_required');
    const again = await agent.follow(authorizeUrl(s.issuer, { scope: 'openid profile extern.api' }));
    assert.ok(codeOf(await agent.submit(again, '/consent', { decision: 'allow' })));
    assert.deepEqual(rememberedScopes(await s.server.context.consents.find(user.id, 'web.app')), ['extern.api', 'openid', 'profile']);

    assert.ok(codeOf((await signInElsewhere(user, { scope: 'openid profile extern.api' })).page), 'the union is remembered');
    assert.ok(codeOf((await signInElsewhere(user, { scope: 'openid extern.api' })).page), 'and a narrower request too');
    assert.ok(isConsentPage((await signInElsewhere(user, { scope: 'openid profile email extern.api' })).page), 'email was never allowed');
  });

  it('prompt=consent asks even when the consent is remembered', async () => {
    const user = await newUser(s);
    await consentElsewhere(user);
    const { page } = await signInElsewhere(user, { prompt: 'consent' });
    assert.ok(isConsentPage(page));
  });

  it('a denial is not remembered', async () => {
    const user = await newUser(s);
    const { agent, page } = await signInElsewhere(user);
    const denied = await agent.submit(page, '/consent', { decision: 'deny' });
    assert.equal(paramsOf(denied.url).error, 'access_denied');
    assert.equal(await s.server.context.consents.find(user.id, 'web.app'), undefined);
    assert.ok(isConsentPage((await signInElsewhere(user)).page));
  });

  it('sign out everywhere keeps the consent; the account page still lists the application, and revoking it there forgets the consent', async () => {
    const user = await newUser(s);
    const first = await consentElsewhere(user);
    const page = await first.follow('/account/sign-out-everywhere');
    const out = await first.request(formOf(page.html, '/account/sign-out-everywhere').action, { form: { csrf: formOf(page.html, '/account/sign-out-everywhere').csrf } });
    assert.equal(out.status, 303);
    const rows = await s.server.context.db.selectFrom('oidc_model').select('model').where('account_id', '=', user.id).execute();
    assert.deepEqual(rows, [], 'sessions, grants and tokens are gone');

    assert.ok(codeOf((await signInElsewhere(user, { scope: 'openid extern.api' })).page), 'still remembered after signing out everywhere');
    // The operator revokes the account's tokens: the consent, not a grant, keeps the application listed.
    await s.server.context.revocation.revokeAccount(user.id, { actor: 'admin-cli', reason: 'operator' });
    const account = new FormsAgent(s.issuer);
    const login = await accountPage(account);
    const listed = await account.submit(login, '/account/sign-in', { login: user.login, password: user.password });
    assert.deepEqual(applicationsOn(listed), ['web.app'], 'listed without any live grant');
    assert.match(listed.html, /Бухгалтерия Онлайн/);
    const revoke = formOf((await account.follow('/account/applications/web.app/revoke')).html, '/applications/web.app/revoke');
    const res = await account.request(revoke.action, { form: { csrf: revoke.csrf } });
    assert.equal(res.headers.get('location'), '/account?done=revoked');
    assert.deepEqual(applicationsOn(await accountPage(account)), []);
    assert.equal(await s.server.context.consents.find(user.id, 'web.app'), undefined);
    assert.equal((await consentEvents(user.id, 'consent.revoked')).length, 1);

    assert.ok(isConsentPage((await signInElsewhere(user)).page), 'asked again after revoking');
  });

  it('revoking a client (as when it is disabled) forgets every consent given to it', async () => {
    const user = await newUser(s);
    await consentElsewhere(user);
    await s.server.context.revocation.revokeClient('web.app', { actor: 'admin-cli', reason: 'client_disabled' });
    assert.equal(await s.server.context.consents.find(user.id, 'web.app'), undefined);
    assert.ok(isConsentPage((await signInElsewhere(user)).page));
  });
});
