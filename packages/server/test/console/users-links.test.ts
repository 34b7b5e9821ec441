/**
 * Users and links in the console over HTTP: each action goes through its operation with the
 * operator as actor, destructive ones only after their confirmation, a set-password link is shown
 * once (a reload issues nothing new), refusals of the operations are shown on the page, and the
 * role decides which forms appear and which POSTs are done.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { TestServer } from '../support/server.ts';
import { createUser } from '../support/fixtures.ts';
import { createPartner } from '../trusted/support.ts';
import { FormsAgent, formOf, operatorAccount, signIn, startConsoleServer, type Person } from './support.ts';

let s: TestServer;
let support: Person;
let agent: FormsAgent;
before(async () => {
  s = await startConsoleServer();
  support = await operatorAccount(s.context, 'support');
  agent = new FormsAgent(s.issuer);
  await signIn(agent, support);
});
after(() => s?.stop());

/** The link form (the page's search form is a GET without a token). */
const linkForm = (html: string) => formOf(html.replace(/<form[^>]*method="get"[\s\S]*?<\/form>/g, ''), '/console/links');

const events = async (type: string, accountId: string) => (await s.context.audit.page({ types: [type], accountId }, 50)).length;

describe('console users', () => {
  it('finds a user by part of the name and shows their page', async () => {
    const { account } = await createUser(s.context);
    const list = await agent.follow(`/console/users?query=${encodeURIComponent(account.login.slice(0, 12))}`);
    assert.equal(list.status, 200);
    assert.ok(list.html.includes(`href="/console/users/${account.id}"`));
    const page = await agent.follow(`/console/users/${account.id}`);
    assert.equal(page.status, 200);
    assert.match(page.html, /Петров Иван Сергеевич/);
    assert.equal((await agent.follow('/console/users/no-such-user')).status, 404);
  });

  it('disables only after the confirmation, enables, and revokes tokens, each audited with the operator', async () => {
    const { account } = await createUser(s.context);
    const page = await agent.follow(`/console/users/${account.id}/disable`);
    assert.equal(page.status, 200);
    assert.match(page.html, new RegExp(account.login.replace(/\./g, '\\.')));
    const { action, csrf } = formOf(page.html, '/disable');
    let res = await agent.request(action, { form: { csrf } });
    assert.equal(res.status, 303, 'no confirm=yes: back to the confirmation');
    assert.equal((await s.context.repos.accounts.findById(account.id))!.disabled, false);
    res = await agent.request(action, { form: { csrf, confirm: 'yes' } });
    assert.equal(res.headers.get('location'), `/console/users/${account.id}?done=disabled`);
    assert.equal((await s.context.repos.accounts.findById(account.id))!.disabled, true);
    const [disabled] = await s.context.audit.page({ types: ['account.disabled'], accountId: account.id }, 1);
    assert.equal(disabled?.actor, `account:${support.id}`);

    const shown = await agent.follow(`/console/users/${account.id}?done=disabled`);
    res = await agent.request(formOf(shown.html, '/enable').action, { form: { csrf: formOf(shown.html, '/enable').csrf } });
    assert.equal(res.status, 303);
    assert.equal((await s.context.repos.accounts.findById(account.id))!.disabled, false);

    const revoke = await agent.follow(`/console/users/${account.id}/revoke-tokens`);
    res = await agent.request(formOf(revoke.html, '/revoke-tokens').action, { form: { csrf: formOf(revoke.html, '/revoke-tokens').csrf, confirm: 'yes' } });
    assert.equal(res.headers.get('location'), `/console/users/${account.id}?done=tokens-revoked`);
    assert.equal(await events('account.tokens_revoked', account.id) >= 1, true);
  });

  it('shows a set-password link once: a reload shows the same link and issues no other', async () => {
    const { account } = await createUser(s.context);
    const page = await agent.follow(`/console/users/${account.id}`);
    const { action, csrf } = formOf(page.html, '/password-link');
    const res = await agent.request(action, { form: { csrf } });
    assert.equal(res.status, 303);
    const shown = await agent.follow(res.headers.get('location')!);
    const link = /<code id="secret"[^>]*>([^<]+)<\/code>/.exec(shown.html)![1]!;
    assert.match(link, /\/account\/set-password\//);
    const again = await agent.follow(res.headers.get('location')!);
    assert.ok(again.html.includes(link), 'the same link on reload');
    assert.equal(await events('account.password_link_issued', account.id), 1, 'one link issued');
    assert.equal((await fetch(link)).status, 200, 'the link works');
    await agent.follow(`/console/users/${account.id}`);
    const gone = await agent.follow(res.headers.get('location')!);
    assert.equal(gone.status, 410, 'left the page: the link is not shown again');
    assert.ok(!gone.html.includes(link));
  });

  it('an auditor reads users without a single form to change them, and a change is refused', async () => {
    const { account } = await createUser(s.context);
    const auditor = new FormsAgent(s.issuer);
    const home = await signIn(auditor, await operatorAccount(s.context, 'auditor'), '/console/sign-in?next=/console/users');
    const page = await auditor.follow(`/console/users/${account.id}`);
    assert.equal(page.status, 200);
    assert.doesNotMatch(page.html, /\/disable"|\/revoke-tokens"|\/password-link"|\/enable"/);
    const res = await auditor.request(`/console/users/${account.id}/disable`, { form: { csrf: formOf(home.html, '/sign-out').csrf, confirm: 'yes' } });
    assert.equal(res.status, 403);
    assert.equal((await s.context.repos.accounts.findById(account.id))!.disabled, false);
  });
});

describe('console links', () => {
  it('links, shows a conflict on the page with what was typed, and unlinks after the confirmation', async () => {
    await createPartner(s.context, 'links.partner');
    const { account } = await createUser(s.context);
    const other = (await createUser(s.context)).account;
    let page = await agent.follow(`/console/links?user=${encodeURIComponent(account.login)}`);
    assert.match(page.html, /<option value="links\.partner">/);
    let form = linkForm(page.html);
    let res = await agent.request(form.action, { form: { csrf: form.csrf, client_id: 'links.partner', service_user_id: 'svc-1', user: account.login } });
    assert.equal(res.status, 303);
    assert.equal((await s.context.links.list({ clientId: 'links.partner', serviceUserId: 'svc-1' }))[0]?.accountId, account.id);

    page = await agent.follow('/console/links');
    form = linkForm(page.html);
    res = await agent.request(form.action, { form: { csrf: form.csrf, client_id: 'links.partner', service_user_id: 'svc-1', user: other.login } });
    assert.equal(res.status, 409);
    const conflict = await res.text();
    assert.match(conflict, /class="notice notice--error"/);
    assert.match(conflict, new RegExp(`value="${other.login.replace(/\./g, '\\.')}"`), 'what was typed stays');

    page = await agent.follow(`/console/users/${account.id}`);
    const unlinkHref = /href="(\/console\/links\/links\.partner\/svc-1\/remove[^"]*)"/.exec(page.html)![1]!.replace(/&amp;/g, '&');
    const confirm = await agent.follow(unlinkHref);
    assert.match(confirm.html, new RegExp(account.login.replace(/\./g, '\\.')));
    form = formOf(confirm.html, '/remove');
    res = await agent.request(form.action, { form: { csrf: form.csrf, confirm: 'yes' } });
    assert.equal(res.headers.get('location'), `/console/users/${account.id}?done=unlinked`);
    assert.deepEqual(await s.context.links.list({ clientId: 'links.partner', serviceUserId: 'svc-1' }), []);
  });

  it('an unknown user in the search is the operation\'s 404', async () => {
    assert.equal((await agent.follow('/console/links?user=nobody@example.com')).status, 404);
  });
});
