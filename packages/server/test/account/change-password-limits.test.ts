/**
 * The change-password form checks the current password under the sign-in limits: per login (one
 * lock shared with every sign-in form) and per client IP. A stolen session cannot guess the
 * password: past the limit even the right one is refused, nothing changes, and the lock says how long.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestServer, type TestServer } from '../support/server.ts';
import { createUser } from '../support/fixtures.ts';
import { FormsAgent, accountPage, formOf, signInToAccount, type Page } from './support.ts';

const NEW_PASSWORD = 'a brand new password';

async function signedIn(server: TestServer, headers: Record<string, string> = {}) {
  const { account, password } = await createUser(server.context);
  const user = { login: account.login, password, id: account.id };
  const agent = new FormsAgent(server.issuer, headers);
  await signInToAccount(agent, user);
  const page = await accountPage(agent);
  return { user, agent, page };
}

function change(agent: FormsAgent, page: Page, current: string): Promise<Page> {
  return agent.submit(page, '/account/password', { current_password: current, new_password: NEW_PASSWORD, confirm_password: NEW_PASSWORD });
}

describe('change password: the limit per login', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ PROPUSK_SIGN_IN_ATTEMPTS_PER_ACCOUNT: '3', PROPUSK_SIGN_IN_LOCK: '600', PROPUSK_SIGN_IN_DELAY_MS: '0' });
  });
  after(() => server?.stop());

  it('locks after 3 wrong current passwords; then the right one is refused and the password stays', async () => {
    const { user, agent, page } = await signedIn(server);
    const statuses: number[] = [];
    let last: Page | undefined;
    for (let i = 0; i < 3; i++) {
      last = await change(agent, page, `wrong guess ${i}`);
      statuses.push(last.status);
    }
    assert.deepEqual(statuses, [400, 400, 429]);
    assert.match(last!.html, /Слишком много неверных паролей\. Попробуйте снова через 10 минут\./);
    assert.equal(last!.headers.get('retry-after'), '600');

    const right = await change(agent, page, user.password);
    assert.equal(right.status, 429);
    assert.ok(Number(right.headers.get('retry-after')) > 500);
    assert.ok(await server.context.accounts.authenticate(user.login, user.password), 'the password is unchanged');
    assert.equal(await server.context.accounts.authenticate(user.login, NEW_PASSWORD), undefined);

    // The same lock as the sign-in forms: the right password is refused there too.
    const other = new FormsAgent(server.issuer);
    const login = await accountPage(other);
    const form = formOf(login.html, '/account/sign-in');
    const res = await other.request(form.action, { form: { csrf: form.csrf, login: user.login, password: user.password } });
    assert.equal(res.status, 429);

    const locks = await server.context.audit.tail({ type: 'login.locked' });
    assert.ok(locks.some((e) => e.accountId === user.id && e.details.via === 'account'));
  });

  it('a right current password resets the count', async () => {
    const { user, agent, page } = await signedIn(server);
    assert.equal((await change(agent, page, 'wrong once')).status, 400);
    assert.equal((await change(agent, page, 'wrong twice')).status, 400);
    const done = await change(agent, page, user.password);
    assert.equal(done.status, 200, done.html.slice(0, 300));
    assert.ok(await server.context.accounts.authenticate(user.login, NEW_PASSWORD));
  });
});

describe('change password: the limit per client IP', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ PROPUSK_TRUST_PROXY: '1', PROPUSK_SIGN_IN_ATTEMPTS_PER_ACCOUNT: '100', PROPUSK_SIGN_IN_ATTEMPTS_PER_IP: '4', PROPUSK_SIGN_IN_DELAY_MS: '0' });
  });
  after(() => server?.stop());

  it('wrong current passwords of several accounts from one address lock the address', async () => {
    const headers = { 'x-forwarded-for': '203.0.113.9' };
    const a = await signedIn(server, headers);
    const b = await signedIn(server, headers);
    const statuses = [
      (await change(a.agent, a.page, 'guess a1')).status,
      (await change(a.agent, a.page, 'guess a2')).status,
      (await change(b.agent, b.page, 'guess b1')).status,
      (await change(b.agent, b.page, 'guess b2')).status,
      (await change(b.agent, b.page, b.user.password)).status,
    ];
    assert.deepEqual(statuses, [400, 400, 400, 429, 429]);
    assert.ok(await server.context.accounts.authenticate(b.user.login, b.user.password), 'the password is unchanged');
  });
});
