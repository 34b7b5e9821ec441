/**
 * Two-step verification on `/account` without JavaScript: the sign-in's second step (a reload shows
 * it again, it does not post the password twice); new recovery codes shown once, after which the old
 * set no longer works and each new code works once; removing the last factor asks for the password
 * again when the sign-in is older than 5 minutes; every change is audited and ends the account's
 * other sessions, keeping this one.
 */
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { after, before, describe, it } from 'node:test';
import { FormsAgent, type Page } from '../codeflow/support/forms-agent.ts';
import { newUser, setupCodeFlow, type CodeFlowSetup } from '../codeflow/support/setup.ts';
import { freshStep, recoveryCodesOf, totpCode } from './support.ts';

let s: CodeFlowSetup;
before(async () => {
  s = await setupCodeFlow('http://127.0.0.1:9', { PROPUSK_SIGN_IN_DELAY_MS: '0' });
});
after(() => s.server.stop());

type User = Awaited<ReturnType<typeof newUser>>;

async function withApp(user: User): Promise<{ secret: string; codes: string[] }> {
  const ctx = s.server.context;
  const begun = (await ctx.secondFactors.beginTotp({ id: user.id, login: user.login }))!;
  const confirmed = await ctx.secondFactors.confirmTotp({ id: user.id, login: user.login }, totpCode(begun.secret, -1), { actor: `account:${user.id}` });
  assert.ok(confirmed.ok && confirmed.recoveryCodes);
  return { secret: begun.secret, codes: confirmed.recoveryCodes };
}

/** Password on /account; returns the second step's page. */
async function password(agent: FormsAgent, user: User): Promise<Page> {
  const form = await agent.follow('/account?lang=en');
  return agent.submit(form, '/account/sign-in', { login: user.login, password: user.password });
}

const signedIn = (page: Page) => /Signed in as/.test(page.html) && !/name="password"/.test(page.html);

describe('/account with a second factor', () => {
  it('the second step after the password; a reload shows it again; the code signs in', async () => {
    await freshStep();
    const user = await newUser(s);
    const { secret } = await withApp(user);
    const agent = new FormsAgent(s.issuer);
    const second = await password(agent, user);
    assert.match(second.html, /autocomplete="one-time-code"/);
    assert.match(second.url, /\/account\?|\/account$/, 'the second step is a GET of /account (post/redirect/get)');
    const reloaded = await agent.follow(second.url);
    assert.match(reloaded.html, /autocomplete="one-time-code"/);
    const home = await agent.submit(reloaded, '/account/second-factor', { method: 'totp', code: totpCode(secret) });
    assert.ok(signedIn(home), home.html.slice(0, 800));
    assert.match(home.html, /data-two-step="on"/);
  });

  it('new recovery codes: shown once; the old set stops working; each new code works once', async () => {
    await freshStep();
    const user = await newUser(s);
    const { secret, codes: old } = await withApp(user);
    const agent = new FormsAgent(s.issuer);
    await agent.submit(await password(agent, user), '/account/second-factor', { method: 'totp', code: totpCode(secret) });
    const manage = await agent.follow('/account/two-step?lang=en');
    const shown = await agent.submit(manage, '/account/two-step/recovery-codes', {});
    const fresh = recoveryCodesOf(shown);
    assert.equal(fresh.length, 10);
    assert.equal(fresh.filter((c) => old.includes(c)).length, 0);
    // Leaving the page forgets them.
    await agent.follow('/account/two-step?lang=en');
    assert.equal(recoveryCodesOf(await agent.follow('/account/two-step/recovery-codes')).length, 0);

    const other = new FormsAgent(s.issuer);
    const refused = await other.submit(await password(other, user), '/account/second-factor', { method: 'recovery', code: old[0]! });
    assert.equal(refused.status, 401);
    const ok = await other.submit(await other.follow('/account?lang=en&method=recovery'), '/account/second-factor', { method: 'recovery', code: fresh[0]! });
    assert.ok(signedIn(ok));
    const third = new FormsAgent(s.issuer);
    const again = await third.submit(await password(third, user), '/account/second-factor', { method: 'recovery', code: fresh[0]! });
    assert.equal(again.status, 401);
  });

  it('removing the last factor asks for the password after 5 minutes; the change is audited and ends the other sessions', async () => {
    await freshStep();
    const user = await newUser(s);
    const { secret } = await withApp(user);
    const mine = new FormsAgent(s.issuer);
    await mine.submit(await password(mine, user), '/account/second-factor', { method: 'totp', code: totpCode(secret) });
    const elsewhere = new FormsAgent(s.issuer);
    assert.ok(signedIn(await elsewhere.submit(await password(elsewhere, user), '/account/second-factor', { method: 'totp', code: totpCode(secret, 1) })));

    // This browser's sign-in is now older than 5 minutes.
    await sql`update oidc_model set payload = json_set(payload, '$.loginTs', ${Math.floor(Date.now() / 1000) - 600}) where model = 'Session' and account_id = ${user.id}`.execute(s.server.context.db);
    const manage = await mine.follow('/account/two-step?lang=en');
    const asked = await mine.submit(manage, '/account/two-step/totp/remove', {});
    assert.equal(asked.status, 200);
    assert.match(asked.html, /name="password"/);
    assert.equal((await s.server.context.secondFactors.summary(user.id)).totp, true, 'nothing removed yet');
    const wrong = await mine.submit(asked, '/account/two-step/confirm-password', { password: 'not-the-password' });
    assert.equal(wrong.status, 401);
    const confirmed = await mine.submit(asked, '/account/two-step/confirm-password', { password: user.password });
    assert.match(confirmed.url, /done=reauthenticated/);
    const removed = await mine.submit(confirmed, '/account/two-step/totp/remove', {});
    assert.match(removed.url, /done=removed/);
    assert.deepEqual(await s.server.context.secondFactors.summary(user.id), { totp: false, passkeys: 0, recoveryCodes: 0 });

    const events = await s.server.context.audit.page({ types: ['mfa.removed', 'account.tokens_revoked'], accountId: user.id }, 10);
    assert.ok(events.some((e) => e.type === 'mfa.removed'));
    assert.ok(events.some((e) => e.type === 'account.tokens_revoked' && (e.details as { reason?: string }).reason === 'mfa_changed'));
    assert.ok(signedIn(await mine.follow('/account?lang=en')), 'this session stays');
    assert.ok(!signedIn(await elsewhere.follow('/account?lang=en')), 'the other session ended');
  });
});
