/**
 * One-time set-password links, end to end on SQLite and PostgreSQL: `propusk admin user
 * password-link` as a child process prints the link; the page (without JavaScript) sets the
 * password, which then signs in while the old one and every earlier session and token stop
 * working; the link is refused afterwards (410), when expired (410), when replaced by a newer one,
 * and when unknown (404, counted per client IP address); of two submissions at once exactly one
 * succeeds; a missing form token is refused; a refused password re-renders the form and the link
 * keeps working; the token never reaches a log line or the audit log. And in a real headless
 * Chromium on a 390 px phone screen: the page fits without sideways scrolling, and sets the password.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser } from 'playwright-core';
import { runCli } from '../support/server.ts';
import { createUser } from '../support/fixtures.ts';
import { setupCodeFlow, newUser, type CodeFlowSetup } from '../codeflow/support/setup.ts';
import { createTestSchema, describePostgres, type TestSchema } from '../storage/support.ts';
import { FormsAgent, accountPage, codeFlowTokens, formOf, isAccountPage, signInToAccount, tokenState, type Page } from './support.ts';

const LINK = /^\/account\/set-password\/([A-Za-z0-9_-]{43})$/;
const HOUR = 3600_000;

function scenarios(database: () => Promise<{ env: Record<string, string>; cleanup(): Promise<void> }>): void {
  let s: CodeFlowSetup;
  let cleanup: () => Promise<void>;
  let cliEnv: Record<string, string>;
  const logs: string[] = [];

  before(async () => {
    const db = await database();
    cleanup = db.cleanup;
    s = await setupCodeFlow(undefined, { PROPUSK_LOG_LEVEL: 'debug', ...db.env }, { logStream: { write: (line: string) => void logs.push(line) } });
    cliEnv = { DATABASE_URL: s.server.env.DATABASE_URL!, PROPUSK_ISSUER: s.issuer };
  });
  after(async () => {
    await s?.server.stop();
    await cleanup?.();
  });

  /** `propusk admin user password-link <user> --json`, as an operator runs it. */
  async function issue(user: string, env: Record<string, string> = {}): Promise<{ url: string; expires_at: string; token: string; path: string }> {
    const r = await runCli(['admin', 'user', 'password-link', user, '--json'], { ...cliEnv, ...env });
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { url: string; expires_at: string };
    assert.deepEqual(Object.keys(out).sort(), ['expires_at', 'url']);
    const url = new URL(out.url);
    assert.equal(url.origin, s.issuer);
    const token = LINK.exec(url.pathname)?.[1];
    assert.ok(token, out.url);
    return { ...out, token, path: url.pathname };
  }

  const open = (path: string, agent = new FormsAgent(s.issuer)) => agent.follow(path);
  const setPassword = (agent: FormsAgent, page: Page, password: string, confirmation = password) =>
    agent.submit(page, '/account/set-password/', { new_password: password, confirm_password: confirmation });
  const newPassword = () => `new pw ${randomBytes(6).toString('hex')}`;
  const signsIn = async (login: string, password: string) => isAccountPage(await signInToAccount(new FormsAgent(s.issuer), { login, password }));

  it('the CLI prints a one-time link on the issuer and its expiry (24 hours; PROPUSK_PASSWORD_LINK_TTL), audited without the token', async () => {
    const user = await newUser(s);
    const link = await issue(user.login);
    assert.ok(Math.abs(Date.parse(link.expires_at) - (Date.now() + 24 * HOUR)) < 60_000, link.expires_at);
    assert.ok(Math.abs(Date.parse((await issue(user.id, { PROPUSK_PASSWORD_LINK_TTL: '30m' })).expires_at) - (Date.now() + HOUR / 2)) < 60_000);
    assert.ok(Math.abs(Date.parse((await issue(user.login, { PROPUSK_PASSWORD_LINK_TTL: '7200' })).expires_at) - (Date.now() + 2 * HOUR)) < 60_000);

    const human = await runCli(['admin', 'user', 'password-link', user.login], cliEnv);
    assert.equal(human.code, 0, human.stderr);
    assert.match(human.stdout, new RegExp(`^one-time set-password link \\(expires \\S+\\); send it to the account holder only:\\n${s.issuer}/account/set-password/[A-Za-z0-9_-]{43}\\n$`));

    const events = (await s.server.context.audit.tail({ type: 'account.password_link_issued' })).filter((e) => e.accountId === user.id);
    assert.equal(events.length, 4);
    assert.equal(events[0]!.actor, 'admin-cli');
    assert.equal(events[0]!.details.reason, 'operator');
    assert.ok(events.some((e) => e.details.expires_at === link.expires_at));
    assert.ok(!JSON.stringify(events).includes(link.token));
  });

  it('the CLI refuses an unknown or disabled account, a bad lifetime and a missing argument', async () => {
    const refused = async (args: string[], code: number, message: RegExp, env: Record<string, string> = {}) => {
      const r = await runCli(['admin', 'user', 'password-link', ...args], { ...cliEnv, ...env });
      assert.equal(r.code, code, r.stdout + r.stderr);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, message);
    };
    await refused(['nobody@example.com'], 1, /account nobody@example\.com not found/);
    const user = await newUser(s);
    assert.equal((await runCli(['admin', 'user', 'disable', user.login], cliEnv)).code, 0);
    await refused([user.login], 1, /is disabled/);
    await refused([user.login], 1, /PROPUSK_PASSWORD_LINK_TTL/, { PROPUSK_PASSWORD_LINK_TTL: '31d' });
    await refused([user.login], 1, /PROPUSK_PASSWORD_LINK_TTL/, { PROPUSK_PASSWORD_LINK_TTL: '2w' });
    await refused([], 2, /expected <user>/);
  });

  it('the link sets the password: it signs in, the old one does not, every earlier session and token is revoked, and the link is gone (410)', async () => {
    const user = await newUser(s);
    // A browser signed in to /account, and an application's tokens of another browser session.
    const before = new FormsAgent(s.issuer);
    assert.ok(isAccountPage(await signInToAccount(before, user)));
    const tokens = await codeFlowTokens(s, new FormsAgent(s.issuer), user);
    assert.equal((await tokenState(s, tokens)).active, true);

    const link = await issue(user.login);
    const person = new FormsAgent(s.issuer);
    const page = await open(link.url, person);
    assert.equal(page.status, 200, page.html.slice(0, 500));
    assert.equal(page.headers.get('cache-control'), 'no-store');
    assert.equal(page.headers.get('referrer-policy'), 'no-referrer');
    assert.ok(page.html.includes(`<strong>${user.login}</strong>`), 'the login is on the page');
    assert.ok(page.html.includes(`name="username" value="${user.login}" autocomplete="username"`), 'and in the form, for password managers');
    assert.equal((page.html.match(/autocomplete="new-password"/g) ?? []).length, 2);
    assert.match(page.html, /От 10 до 256 символов/, 'the password rule');
    assert.ok(formOf(page.html, link.path).action.startsWith(link.path));

    const password = newPassword();
    const done = await setPassword(person, page, password);
    assert.equal(done.status, 200, done.html.slice(0, 500));
    assert.match(done.html, /Пароль задан/);
    assert.match(done.html, /href="\/account"/);
    assert.equal(done.headers.get('cache-control'), 'no-store');

    assert.equal(await signsIn(user.login, password), true, 'the new password signs in');
    assert.equal(await signsIn(user.login, user.password), false, 'the old one does not');
    assert.equal(isAccountPage(await accountPage(before)), false, 'the earlier /account session is signed out');
    const state = await tokenState(s, tokens);
    assert.equal(state.active, false, 'the access token is revoked');
    assert.equal(state.refresh.error, 'invalid_grant', 'the refresh token is revoked');

    for (const again of [await open(link.url), await setPassword(person, page, newPassword())]) {
      assert.equal(again.status, 410);
      assert.match(again.html, /По этой ссылке пароль уже задан/);
      assert.match(again.html, /ERR_PASSWORD_LINK_USED/);
    }
    assert.equal(await signsIn(user.login, password), true, 'the refused second use changed nothing');

    const set = (await s.server.context.audit.tail({ type: 'account.password_set_by_link' })).filter((e) => e.accountId === user.id);
    assert.equal(set.filter((e) => e.outcome === 'success').length, 1);
    assert.equal(set.find((e) => e.outcome === 'success')!.actor, `account:${user.id}`);
    const revoked = (await s.server.context.audit.tail({ type: 'account.tokens_revoked' })).filter((e) => e.accountId === user.id);
    assert.deepEqual(revoked.map((e) => e.details.reason), ['password_set_by_link']);
    assert.ok(!JSON.stringify(set).includes(link.token));
  });

  it('an expired link is refused (410) and sets nothing', async () => {
    const user = await newUser(s);
    const link = await issue(user.login);
    const person = new FormsAgent(s.issuer);
    const page = await open(link.url, person);
    assert.equal(page.status, 200);
    await s.server.context.db.updateTable('password_link').set({ expires_at: Date.now() - 1 }).where('account_id', '=', user.id).execute();
    const shown = await open(link.url);
    assert.equal(shown.status, 410);
    assert.match(shown.html, /Срок действия ссылки истёк/);
    const posted = await setPassword(person, page, newPassword());
    assert.equal(posted.status, 410);
    assert.match(posted.html, /ERR_PASSWORD_LINK_EXPIRED/);
    assert.equal(await signsIn(user.login, user.password), true);
  });

  it('a new link for the account ends the earlier one', async () => {
    const user = await newUser(s);
    const first = await issue(user.login);
    const second = await issue(user.login);
    assert.notEqual(first.token, second.token);
    assert.equal((await open(first.url)).status, 410);
    const page = await open(second.url);
    assert.equal(page.status, 200);
    const password = newPassword();
    assert.equal((await setPassword(new FormsAgent(s.issuer), page, password)).status, 403, 'the form token belongs to the browser that opened the page');
    const person = new FormsAgent(s.issuer);
    assert.equal((await setPassword(person, await open(second.url, person), password)).status, 200);
    assert.equal(await signsIn(user.login, password), true);
  });

  it('of two submissions at once exactly one sets the password; the other is told the link was used', async () => {
    const user = await newUser(s);
    const link = await issue(user.login);
    const person = new FormsAgent(s.issuer);
    const page = await open(link.url, person);
    const [a, b] = [newPassword(), newPassword()];
    const answers = await Promise.all([setPassword(person, page, a), setPassword(person, page, b)]);
    assert.deepEqual(answers.map((r) => r.status).sort(), [200, 410], answers.map((r) => r.html.slice(0, 200)).join('\n'));
    const won = answers[0]!.status === 200 ? a : b;
    const lost = won === a ? b : a;
    assert.match(answers.find((r) => r.status === 410)!.html, /ERR_PASSWORD_LINK_USED/);
    assert.equal(await signsIn(user.login, won), true);
    assert.equal(await signsIn(user.login, lost), false);
  });

  it('a missing or foreign form token is refused (403) and the link keeps working', async () => {
    const user = await newUser(s);
    const link = await issue(user.login);
    const person = new FormsAgent(s.issuer);
    const page = await open(link.url, person);
    const password = newPassword();
    for (const csrf of [undefined, 'forged', formOf((await open(link.url)).html, link.path).csrf]) {
      const form: Record<string, string> = { new_password: password, confirm_password: password, ...(csrf === undefined ? {} : { csrf }) };
      const res = await person.request(link.path, { form });
      const html = await res.text();
      assert.equal(res.status, 403, html.slice(0, 300));
      assert.match(html, /ERR_CSRF_TOKEN_INVALID/);
    }
    assert.equal(await signsIn(user.login, password), false);
    assert.equal((await setPassword(person, page, password)).status, 200);
    assert.equal(await signsIn(user.login, password), true);
  });

  it('a mismatched confirmation, a short or an empty password re-render the form with the error (400); the link keeps working', async () => {
    const user = await newUser(s);
    const link = await issue(user.login);
    const person = new FormsAgent(s.issuer, { 'accept-language': 'en' });
    let page = await open(link.url, person);
    assert.match(page.html, /Set your password/);
    const cases: [string, string, RegExp][] = [
      ['first-typed-pw-1', 'second-typed-pw-2', /The new passwords do not match/],
      ['s9x-q', 's9x-q', /The password must be 10 to 256 characters long/],
      ['', '', /Fill in both fields/],
    ];
    for (const [password, confirmation, message] of cases) {
      page = await setPassword(person, page, password, confirmation);
      assert.equal(page.status, 400, page.html.slice(0, 300));
      assert.match(page.html, message);
      assert.match(page.html, /role="alert"/);
      assert.match(page.html, /aria-invalid="true"/);
      if (password) assert.ok(!page.html.includes(password) && !page.html.includes(confirmation), 'the passwords are not echoed');
    }
    const events = (await s.server.context.audit.tail({ type: 'account.password_set_by_link' })).filter((e) => e.accountId === user.id);
    assert.deepEqual(events.map((e) => e.details.reason).sort(), ['mismatch', 'required', 'rules']);
    const password = newPassword();
    const done = await setPassword(person, page, password);
    assert.equal(done.status, 200);
    assert.match(done.html, /Password set/);
    assert.equal(await signsIn(user.login, password), true);
  });

  it('a link of an account disabled since is not found (404)', async () => {
    const user = await newUser(s);
    const link = await issue(user.login);
    assert.equal((await runCli(['admin', 'user', 'disable', user.id], cliEnv)).code, 0);
    const page = await open(link.url);
    assert.equal(page.status, 404);
    assert.match(page.html, /ERR_PASSWORD_LINK_UNKNOWN/);
  });

  it('no log line carries the token: the access log prints the path as /account/set-password/…', async () => {
    const user = await newUser(s);
    const link = await issue(user.login);
    const person = new FormsAgent(s.issuer);
    const page = await open(link.url, person);
    await open(link.path.toUpperCase().replace(link.token.toUpperCase(), link.token));
    await setPassword(person, page, 'short');
    await setPassword(person, page, newPassword());
    await open(link.url);
    const lines = logs.filter((line) => line.includes('"msg":"request"'));
    assert.ok(lines.filter((line) => line.includes('"path":"/account/set-password/…"')).length >= 5, lines.slice(-5).join('\n'));
    assert.deepEqual(
      logs.filter((line) => line.includes(link.token)),
      [],
    );
  });

  it('an unknown link is 404; too many from one address are refused (429) before any lookup', async () => {
    const user = await newUser(s);
    const link = await issue(user.login);
    const malformed = await open('/account/set-password/not-a-token');
    assert.equal(malformed.status, 404);
    assert.match(malformed.html, /Ссылка для задания пароля недействительна/);
    let status = 0;
    let answers = 1;
    for (; answers <= 25 && status !== 429; answers++) {
      const res = await fetch(`${s.issuer}/account/set-password/${randomBytes(32).toString('base64url')}`, { headers: { accept: 'text/html' } });
      status = res.status;
      if (status === 429) assert.ok(Number(res.headers.get('retry-after')) > 0);
      else assert.equal(status, 404);
      await res.body?.cancel();
    }
    assert.equal(status, 429, 'the limit answers');
    assert.ok(answers >= 10 && answers <= 22, `after about 20 unknown links (${answers})`);
    const blocked = await open(link.url);
    assert.equal(blocked.status, 429, 'while blocked, no link is looked up');
    assert.match(blocked.html, /слишком много недействительных ссылок/);
  });
}

describe('set-password links: sqlite', () => {
  scenarios(async () => ({ env: {}, cleanup: async () => undefined }));
});

describePostgres('set-password links: postgres', () => {
  scenarios(async () => {
    const schema: TestSchema = await createTestSchema();
    return { env: { DATABASE_URL: schema.url }, cleanup: schema.drop };
  });
});

describe('set-password link in Chromium at 390 px', () => {
  const WIDTH = 390;
  const SHOTS = resolve(import.meta.dirname, '../../../../test-output/screenshots');
  let s: CodeFlowSetup;
  let browser: Browser;
  before(async () => {
    mkdirSync(SHOTS, { recursive: true });
    s = await setupCodeFlow();
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });
  after(async () => {
    await browser?.close();
    await s?.server.stop();
  });

  for (const locale of ['ru-RU', 'en-US']) {
    it(`opens the link, sets the password and signs in with it, never wider than the screen (${locale})`, async () => {
      const login = `accounting.department.${randomBytes(4).toString('hex')}@subsidiary-of-a-very-long-company-name.example.com`;
      await createUser(s.server.context, { login });
      const r = await runCli(['admin', 'user', 'password-link', login, '--json'], { DATABASE_URL: s.server.env.DATABASE_URL!, PROPUSK_ISSUER: s.issuer });
      assert.equal(r.code, 0, r.stderr);
      const { url } = JSON.parse(r.stdout) as { url: string };
      const context = await browser.newContext({ locale, viewport: { width: WIDTH, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 1 });
      const page = await context.newPage();
      const fits = async (name: string) => {
        await page.waitForLoadState('load');
        await page.screenshot({ path: resolve(SHOTS, `phone-${name}-${locale}.png`), fullPage: true });
        const width = await page.evaluate<number>('document.documentElement.scrollWidth');
        assert.ok(width <= WIDTH, `${name} is ${width} px wide on a ${WIDTH} px screen`);
      };
      try {
        await page.goto(url);
        assert.ok((await page.locator('.account-chip').innerText()).includes(login));
        await fits('set-password');
        const password = `Новый пароль ${randomBytes(4).toString('hex')}`;
        await page.fill('#new-password', password);
        await page.fill('#confirm-password', password);
        await page.locator('form[action*="/account/set-password/"] button[type="submit"]').click();
        await page.locator('.card__badge--success').waitFor();
        assert.match(await page.locator('h1').innerText(), locale === 'ru-RU' ? /Пароль задан/ : /Password set/);
        await fits('set-password-done');
        await page.locator('a[href="/account"]').click();
        await page.locator('#password').waitFor();
        await page.fill('#login', login);
        await page.fill('#password', password);
        await page.locator('form[action*="/account/sign-in"] button[type="submit"]').click();
        await page.locator('form[action*="/account/password"]').waitFor();
        await fits('account-after-set-password');
      } finally {
        await context.close();
      }
    });
  }
});
