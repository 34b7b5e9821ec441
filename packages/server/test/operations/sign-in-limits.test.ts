/**
 * Sign-in brute-force limits (accounts/sign-in-limits.ts) through the sign-in page: failures counted
 * per login and per client IP, a temporary lock, progressive delays, the same answers whether or
 * not the account exists, a reset on success, audit and metrics.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { t } from '../../src/views/index.ts';
import { loadConfig } from '../../src/config/index.ts';
import { createUser } from '../support/fixtures.ts';
import { FormsAgent, REDIRECT_URI, alertText, loginPage, setupOps, submitLogin, type OpsSetup } from './support.ts';

/** The lock message up to the wait it names (the wait depends on the limit that locked). */
const LOCKED = t('ru', 'login.error.locked').split('{wait}')[0]!;
const INVALID = t('ru', 'login.error.invalid_credentials');

/** Status, message and Retry-After of `attempts` wrong passwords for `login` on one sign-in page. */
async function failRepeatedly(s: OpsSetup, login: string, attempts: number, agent?: FormsAgent) {
  const start = await loginPage(s, agent);
  const a = start.agent;
  let page = start.page;
  const results: { status: number; message: 'locked' | 'invalid' | 'other'; retryAfter: string | null }[] = [];
  for (let i = 0; i < attempts; i++) {
    page = await submitLogin(a, page, login, `wrong-password-${i}`);
    const message = page.html.includes(LOCKED) ? 'locked' : page.html.includes(INVALID) ? 'invalid' : 'other';
    results.push({ status: page.status, message, retryAfter: page.headers.get('retry-after') });
  }
  return { results, agent: a, page };
}

describe('sign-in limits: defaults', () => {
  it('are documented values: 5 failures per login lock it for 15 minutes; 50 failures per IP per hour; 500 ms steps of delay', () => {
    const c = loadConfig({});
    assert.deepEqual(c.signInLimits, { perAccount: 5, lockSeconds: 900, perIp: 50, ipWindowSeconds: 3600, delayMs: 500 });
    assert.deepEqual(c.tokenRateLimit, { points: 200, windowSeconds: 1 });
  });
});

describe('sign-in limits per login', () => {
  let s: OpsSetup;
  before(async () => {
    s = await setupOps({ PROPUSK_SIGN_IN_ATTEMPTS_PER_ACCOUNT: '3', PROPUSK_SIGN_IN_LOCK: '600' });
  });
  after(() => s.server.stop());

  it('locks a login after the allowed failures; then even the right password is refused with 429 and Retry-After', async () => {
    const { results, agent, page } = await failRepeatedly(s, s.user.login, 3);
    assert.deepEqual(results.map((r) => [r.status, r.message]), [[401, 'invalid'], [401, 'invalid'], [429, 'locked']]);
    assert.equal(results[2]!.retryAfter, '600');
    const right = await submitLogin(agent, page, s.user.login, s.user.password);
    assert.equal(right.status, 429);
    assert.ok(right.html.includes(LOCKED));
    assert.ok(Number(right.headers.get('retry-after')) > 590);
    // The same login typed differently (case, spaces) is the same counter.
    const other = await loginPage(s);
    const shouted = await submitLogin(other.agent, other.page, `  ${s.user.login.toUpperCase()} `, s.user.password);
    assert.equal(shouted.status, 429);
    const audit = await s.server.context.audit.tail({ type: 'login.locked' });
    assert.equal(audit.length, 1);
    assert.equal(audit[0]!.details.scope, 'account');
    assert.equal(audit[0]!.details.lock_seconds, 600);
    assert.doesNotMatch(JSON.stringify(audit), new RegExp(s.user.login.replace(/[.+]/g, '\\$&')));
  });

  it('answers exactly the same for a login nobody has: no way to tell whether an account exists', async () => {
    const ghost = await failRepeatedly(s, 'nobody-at-all@example.com', 4);
    assert.deepEqual(ghost.results.map((r) => [r.status, r.message]), [[401, 'invalid'], [401, 'invalid'], [429, 'locked'], [429, 'locked']]);
    assert.equal(ghost.results[2]!.retryAfter, '600');
  });

  it('a successful sign-in resets the login counter', async () => {
    const created = await createUser(s.server.context);
    const user = { login: created.account.login, password: created.password };
    const first = await failRepeatedly(s, user.login, 2);
    assert.deepEqual(first.results.map((r) => r.status), [401, 401]);
    const ok = await submitLogin(first.agent, first.page, user.login, user.password);
    assert.ok(ok.status === 303 || /name="decision"/.test(ok.html) || ok.url.startsWith(REDIRECT_URI), `signed in: ${ok.status}`);
    const again = await failRepeatedly(s, user.login, 2);
    assert.deepEqual(again.results.map((r) => r.status), [401, 401], 'two more failures are allowed after the reset');
  });

  it('counts failures and refusals in /metrics', async () => {
    const text = await (await fetch(`${s.issuer}/metrics`)).text();
    assert.match(text, /propusk_sign_in_failures_total\{reason="invalid_credentials"\} [1-9]/);
    assert.match(text, /propusk_sign_in_failures_total\{reason="locked"\} [1-9]/);
    assert.match(text, /propusk_rate_limit_hits_total\{limit="sign_in_account"\} [1-9]/);
  });
});

describe('sign-in limits per client IP (behind a trusted proxy)', () => {
  let s: OpsSetup;
  before(async () => {
    s = await setupOps({ PROPUSK_SIGN_IN_ATTEMPTS_PER_IP: '3', PROPUSK_SIGN_IN_IP_WINDOW: '1200', PROPUSK_TRUST_PROXY: '1' });
  });
  after(() => s.server.stop());

  it('refuses every login from an address past its failures, and other addresses still sign in', async () => {
    const attacker = new FormsAgent(s.issuer, { 'x-forwarded-for': '203.0.113.7' });
    const logins = ['a@example.com', 'b@example.com', 'c@example.com'];
    const statuses: number[] = [];
    for (const login of logins) statuses.push((await failRepeatedly(s, login, 1, attacker)).results[0]!.status);
    assert.deepEqual(statuses, [401, 401, 429]);
    const audit = await s.server.context.audit.tail({ type: 'login.locked' });
    assert.deepEqual(audit.map((e) => [e.details.scope, e.details.ip]), [['ip', '203.0.113.7']]);

    // The attacker's right password is refused too.
    const { page } = await loginPage(s, attacker);
    const refused = await submitLogin(attacker, page, s.user.login, s.user.password);
    assert.equal(refused.status, 429);
    assert.ok(refused.html.includes(LOCKED));

    // A client that forges X-Forwarded-For only adds entries to the left of what the proxy appends.
    const forging = new FormsAgent(s.issuer, { 'x-forwarded-for': '198.51.100.1, 203.0.113.7' });
    const forged = await loginPage(s, forging);
    assert.equal((await submitLogin(forging, forged.page, s.user.login, s.user.password)).status, 429);

    const neighbour = new FormsAgent(s.issuer, { 'x-forwarded-for': '203.0.113.8' });
    const other = await loginPage(s, neighbour);
    const signedIn = await submitLogin(neighbour, other.page, s.user.login, s.user.password);
    assert.notEqual(signedIn.status, 429);
    assert.match(signedIn.html, /name="decision"/, 'the consent page follows the sign-in');
  });
});

describe('progressive delay', () => {
  let s: OpsSetup;
  before(async () => {
    s = await setupOps({ PROPUSK_SIGN_IN_DELAY_MS: '400', PROPUSK_SIGN_IN_ATTEMPTS_PER_ACCOUNT: '10' });
  });
  after(() => s.server.stop());

  it('answers the n-th failure in a row after (n − 1) × PROPUSK_SIGN_IN_DELAY_MS', async () => {
    const start = await loginPage(s);
    const agent = start.agent;
    let page = start.page;
    const took: number[] = [];
    for (let i = 0; i < 3; i++) {
      const start = performance.now();
      page = await submitLogin(agent, page, s.user.login, 'not-the-password');
      took.push(performance.now() - start);
      assert.equal(page.status, 401);
    }
    assert.ok(took[1]! - took[0]! > 300, `second failure delayed ~400 ms more than the first: ${took.map(Math.round).join(', ')}`);
    assert.ok(took[2]! - took[0]! > 700, `third failure delayed ~800 ms more than the first: ${took.map(Math.round).join(', ')}`);
  });
});

/** The text of an alert, without its markup. */
const text = (fragment: string | undefined) => (fragment ?? '').replace(/<[^>]+>/g, '').trim();

describe('the lock message', () => {
  let s: OpsSetup;
  before(async () => {
    s = await setupOps();
  });
  after(() => s.server.stop());

  it('names the lock of the configuration (15 minutes by default), in Russian and in English', async () => {
    const { results, page } = await failRepeatedly(s, s.user.login, 5);
    assert.equal(results[4]!.status, 429);
    assert.equal(text(alertText(page.html)), 'Слишком много неудачных попыток входа. Попробуйте снова через 15 минут.');
    assert.equal(Number(results[4]!.retryAfter), 900);
    const english = new FormsAgent(s.issuer, { 'accept-language': 'en' });
    const start = await loginPage(s, english);
    const refused = await submitLogin(english, start.page, s.user.login, s.user.password);
    assert.equal(refused.status, 429);
    assert.match(text(alertText(refused.html)), /^Too many failed sign-in attempts\. Try again in 1[45] minutes\.$/);
  });
});
