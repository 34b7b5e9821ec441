/**
 * Second factors in the console over HTTP: a user's page shows the account's factors, and an
 * operator with `users:manage` resets them only after the confirmation (audited with the operator);
 * a client's page shows whether its sign-ins require two-step verification, and an admin turns it
 * on and off with a form (form token checked, audited); roles without the permission see neither
 * form and are refused.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { TestServer } from '../support/server.ts';
import { createClient, createUser, enrolTotp } from '../support/fixtures.ts';
import { FormsAgent, formOf, operatorAccount, signIn, startConsoleServer, type Person } from './support.ts';

let s: TestServer;
let support: Person;
let admin: Person;
let supportAgent: FormsAgent;
let adminAgent: FormsAgent;
before(async () => {
  s = await startConsoleServer();
  support = await operatorAccount(s.context, 'support');
  admin = await operatorAccount(s.context, 'admin');
  supportAgent = new FormsAgent(s.issuer);
  adminAgent = new FormsAgent(s.issuer);
  await signIn(supportAgent, support);
  await signIn(adminAgent, admin);
});
after(() => s?.stop());

const summary = (accountId: string) => s.context.secondFactors.summary(accountId);

describe('console: two-step verification of a user', () => {
  it("shows the account's factors; resets them only after the confirmation, audited with the operator", async () => {
    const { account } = await createUser(s.context);
    await enrolTotp(s.context, account);
    const page = await supportAgent.follow(`/console/users/${account.id}?lang=en`);
    assert.equal(page.status, 200);
    assert.match(page.html, /Two-step verification[\s\S]{0,200}authenticator app, recovery codes: 10/);
    assert.ok(page.html.includes(`href="/console/users/${account.id}/reset-mfa"`), 'the reset leads to its confirmation');

    const confirm = await supportAgent.follow(`/console/users/${account.id}/reset-mfa`);
    assert.equal(confirm.status, 200);
    assert.match(confirm.html, /Reset two-step verification\?/);
    assert.ok(confirm.html.includes(account.login));
    assert.match(confirm.html, /authenticator app, recovery codes: 10/, 'the confirmation names what goes');
    const { action, csrf } = formOf(confirm.html, '/reset-mfa');
    let res = await supportAgent.request(action, { form: { csrf } });
    assert.equal(res.status, 303, 'no confirm=yes: back to the confirmation');
    assert.equal(res.headers.get('location'), `/console/users/${account.id}/reset-mfa`);
    assert.equal((await summary(account.id)).totp, true, 'nothing removed without the confirmation');

    res = await supportAgent.request(action, { form: { csrf: 'forged', confirm: 'yes' } });
    assert.equal(res.status, 403, 'a wrong form token is refused');
    assert.equal((await summary(account.id)).totp, true);

    res = await supportAgent.request(action, { form: { csrf, confirm: 'yes' } });
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), `/console/users/${account.id}?done=mfa-reset`);
    assert.deepEqual(await summary(account.id), { totp: false, passkeys: 0, recoveryCodes: 0 });
    const [reset] = await s.context.audit.page({ types: ['mfa.reset'], accountId: account.id }, 5);
    assert.equal(reset?.actor, `account:${support.id}`);

    const after = await supportAgent.follow(`/console/users/${account.id}?done=mfa-reset`);
    assert.match(after.html, /Two-step verification is reset/);
    assert.match(after.html, /Two-step verification[\s\S]{0,200}off/);
    assert.ok(!after.html.includes(`/console/users/${account.id}/reset-mfa"`), 'nothing left to reset: no button');
  });

  it('an auditor sees the factors without the reset, and a reset is refused', async () => {
    const { account } = await createUser(s.context);
    await enrolTotp(s.context, account);
    const auditor = new FormsAgent(s.issuer);
    const home = await signIn(auditor, await operatorAccount(s.context, 'auditor'), '/console/sign-in?next=/console/users');
    const page = await auditor.follow(`/console/users/${account.id}?lang=ru`);
    assert.equal(page.status, 200);
    assert.match(page.html, /Двухэтапная проверка[\s\S]{0,200}приложение-аутентификатор, резервных кодов: 10/);
    assert.doesNotMatch(page.html, /\/reset-mfa"/);
    const res = await auditor.request(`/console/users/${account.id}/reset-mfa`, { form: { csrf: formOf(home.html, '/sign-out').csrf, confirm: 'yes' } });
    assert.equal(res.status, 403);
    assert.equal((await summary(account.id)).totp, true);
  });
});

describe('console: clients that require two-step verification', () => {
  it('shows the setting; an admin turns it on and off with the form, audited with the operator', async () => {
    await createClient(s.context, { clientId: 'console.mfa' });
    const page = await adminAgent.follow('/console/clients/console.mfa?lang=en');
    assert.equal(page.status, 200);
    assert.match(page.html, /Requires two-step verification[\s\S]{0,100}no/);
    let form = formOf(page.html, '/require-mfa');
    assert.match(page.html, /name="require" value="yes"/);
    let res = await adminAgent.request(form.action, { form: { csrf: form.csrf, require: 'yes' } });
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), '/console/clients/console.mfa?done=mfa-required');
    assert.equal((await s.context.clients.get('console.mfa')).requireMfa, true);

    const on = await adminAgent.follow('/console/clients/console.mfa?done=mfa-required');
    assert.match(on.html, /Every sign-in for this application now takes two-step verification/);
    assert.match(on.html, /Requires two-step verification[\s\S]{0,100}yes/);
    assert.match(on.html, /name="require" value="no"/);
    form = formOf(on.html, '/require-mfa');
    res = await adminAgent.request(form.action, { form: { csrf: form.csrf, require: 'no' } });
    assert.equal(res.headers.get('location'), '/console/clients/console.mfa?done=mfa-not-required');
    assert.equal((await s.context.clients.get('console.mfa')).requireMfa, false);

    const events = (await s.context.audit.tail({ type: 'client.require_mfa', limit: 100 })).filter((e) => e.clientId === 'console.mfa');
    assert.deepEqual(events.map((e) => [e.actor, e.details.require_mfa]), [
      [`account:${admin.id}`, true],
      [`account:${admin.id}`, false],
    ]);

    res = await adminAgent.request(form.action, { form: { csrf: 'forged', require: 'yes' } });
    assert.equal(res.status, 403, 'a wrong form token is refused');
    assert.equal((await s.context.clients.get('console.mfa')).requireMfa, false);
  });

  it("Propusk's own clients show the setting without the form; an auditor gets no form and a change is refused", async () => {
    const own = await adminAgent.follow('/console/clients/propusk-console?lang=en');
    assert.match(own.html, /Requires two-step verification/);
    assert.doesNotMatch(own.html, /\/require-mfa"/);

    await createClient(s.context, { clientId: 'console.mfa.read' });
    const auditor = new FormsAgent(s.issuer);
    const home = await signIn(auditor, await operatorAccount(s.context, 'auditor'), '/console/sign-in?next=/console/clients');
    const page = await auditor.follow('/console/clients/console.mfa.read?lang=en');
    assert.equal(page.status, 200);
    assert.match(page.html, /Requires two-step verification/);
    assert.doesNotMatch(page.html, /\/require-mfa"/);
    const res = await auditor.request('/console/clients/console.mfa.read/require-mfa', { form: { csrf: formOf(home.html, '/sign-out').csrf, require: 'yes' } });
    assert.equal(res.status, 403);
    assert.equal((await s.context.clients.get('console.mfa.read')).requireMfa, false);
  });
});
