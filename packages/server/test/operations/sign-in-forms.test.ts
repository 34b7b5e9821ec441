/**
 * Every password form shares one brute-force limit: failures on the authorize sign-in page lock
 * the login on /account and on the integrator portal too, and each of those forms counts failures.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { t } from '../../src/views/index.ts';
import { FormsAgent, loginPage, setupOps, submitLogin, type OpsSetup } from './support.ts';

/** PROPUSK_SIGN_IN_LOCK=600 below: the page says how long, in words. */
const LOCKED = t('ru', 'login.error.locked', { wait: '10 минут' });

async function accountSignIn(s: OpsSetup, login: string, password: string) {
  const agent = new FormsAgent(s.issuer);
  const page = await agent.follow('/account');
  return agent.submit(page, '/account/sign-in', { login, password });
}

async function portalSignIn(s: OpsSetup, login: string, password: string) {
  const agent = new FormsAgent(s.issuer);
  const page = await agent.follow('/integrations/sign-in');
  return agent.submit(page, '/integrations/sign-in', { login, password });
}

describe('one sign-in limit for every form', () => {
  let s: OpsSetup;
  before(async () => {
    s = await setupOps({ PROPUSK_SIGN_IN_ATTEMPTS_PER_ACCOUNT: '3', PROPUSK_SIGN_IN_LOCK: '600' });
  });
  after(() => s.server.stop());

  it('a login locked on the authorize page is locked on /account and on the portal, even with the right password', async () => {
    const start = await loginPage(s);
    let page = start.page;
    for (let i = 0; i < 3; i++) page = await submitLogin(start.agent, page, s.user.login, `wrong-${i}`);
    assert.equal(page.status, 429);

    const account = await accountSignIn(s, s.user.login, s.user.password);
    assert.equal(account.status, 429);
    assert.ok(account.html.includes(LOCKED));
    assert.ok(Number(account.headers.get('retry-after')) > 0);

    const portal = await portalSignIn(s, s.user.login, s.user.password);
    assert.equal(portal.status, 429);
    assert.ok(portal.html.includes(LOCKED));
  });

  it('failures on /account and on the portal count towards the same lock', async () => {
    const other = await s.server.context.accounts.create({ login: 'second@example.com', password: 'second user password' }, null);
    assert.equal((await accountSignIn(s, other.login, 'wrong-a')).status, 401);
    assert.equal((await portalSignIn(s, other.login, 'wrong-b')).status, 401);
    const third = await accountSignIn(s, other.login, 'wrong-c');
    assert.equal(third.status, 429);
    assert.equal((await portalSignIn(s, other.login, 'second user password')).status, 429);
    const locks = await s.server.context.audit.tail({ type: 'login.locked' });
    assert.ok(locks.some((e) => e.details.via === 'account'));
  });
});
