/**
 * The account pages in a real headless Chromium: an application that got access through the
 * authorize flow is listed and revoked; a password change signs every other session out while this
 * one keeps working; sign out everywhere. Screenshots (ru and en) go to test-output/screenshots/.
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { authorizeUrl, exchangeCode, setupCodeFlow, type CodeFlowSetup } from '../codeflow/support/setup.ts';
import { startRpServer, type RpServer } from '../codeflow/support/rp-server.ts';
import { tokenState, type Tokens } from './support.ts';
import { axeViolations, capture, screenshotDir } from '../console/browser-support.ts';

const SHOTS = resolve(import.meta.dirname, '../../../../test-output/screenshots');
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

let s: CodeFlowSetup;
let rp: RpServer;
let redirectUri: string;
let browser: Browser;

before(async () => {
  mkdirSync(SHOTS, { recursive: true });
  // The relying party's redirect target: a page that really answers (a remembered consent sends
  // the browser there straight from the authorize request).
  rp = await startRpServer();
  redirectUri = `${rp.base}/cb`;
  s = await setupCodeFlow(rp.base);
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
});
after(async () => {
  await browser?.close();
  await s?.server.stop();
  await rp?.close();
});

const shot = (page: Page, name: string) => page.screenshot({ path: resolve(SHOTS, `${name}.png`), fullPage: true });

function newContext(): Promise<BrowserContext> {
  return browser.newContext({ locale: 'ru-RU' });
}

/** Signs in and consents in the browser when asked (consent is remembered per account and client); exchanges the code. */
async function codeFlow(page: Page): Promise<Tokens> {
  await page.goto(authorizeUrl(s.issuer, { redirect_uri: redirectUri }));
  if (await page.locator('#password').count()) {
    await page.fill('#login', s.user.login);
    await page.fill('#password', s.user.password);
    await page.locator('form[action*="/login"] button[type="submit"]').click();
  }
  // The consent page, or the relying party's page when the consent is remembered.
  const allow = page.locator('button[name="decision"][value="allow"]');
  await allow.or(page.getByText('relying party')).waitFor();
  if (await allow.count()) await allow.click();
  await page.waitForURL((url) => url.href.startsWith(redirectUri));
  const code = new URL(page.url()).searchParams.get('code');
  assert.ok(code);
  const res = await exchangeCode(s, code, { redirect_uri: redirectUri });
  assert.equal(res.status, 200, res.text);
  return { access_token: String(res.json.access_token), refresh_token: String(res.json.refresh_token) };
}

async function switchLanguage(page: Page): Promise<void> {
  const before = await page.locator('html').getAttribute('lang');
  await page.click('a.lang-switch');
  await page.waitForFunction(`document.documentElement.lang !== ${JSON.stringify(before)}`);
}

describe('account pages in a browser', () => {
  let context: BrowserContext;
  let page: Page;
  before(async () => {
    context = await newContext();
    page = await context.newPage();
  });
  after(() => context.close());

  it('the sign-in page of /account (ru, en)', async () => {
    const other = await newContext();
    const p = await other.newPage();
    await p.goto(`${s.issuer}/account`);
    assert.equal(await p.locator('html').getAttribute('lang'), 'ru');
    await p.locator('#password').waitFor();
    await shot(p, 'account-sign-in-ru');
    await switchLanguage(p);
    await shot(p, 'account-sign-in-en');
    await other.close();
  });

  it('lists the application that holds access after a code flow; revoking it stops its tokens at once', async () => {
    const tokens = await codeFlow(page);
    await page.goto(`${s.issuer}/account`);
    const row = page.locator('tbody tr', { hasText: 'Бухгалтерия Онлайн' });
    await row.waitFor();
    assert.match(await row.innerText(), /Доступ к API Экстерна/);
    await shot(page, 'account-ru');
    await switchLanguage(page);
    await shot(page, 'account-en');
    const before = await tokenState(s, tokens);
    assert.equal(before.active, true);
    assert.equal(before.refresh.status, 200);
    const rotated = before.refresh.tokens!;

    // Below 600 px the table is a stack of cards, Revoke visible in each without scrolling sideways.
    await page.setViewportSize({ width: 390, height: 900 });
    const revoke = page.locator('tbody tr', { hasText: 'Бухгалтерия Онлайн' }).getByRole('link', { name: 'Revoke access of Бухгалтерия Онлайн' });
    assert.ok(await revoke.isVisible());
    const box = (await revoke.boundingBox())!;
    assert.ok(box.x >= 0 && box.x + box.width <= 390, `Revoke within the screen: ${JSON.stringify(box)}`);
    assert.equal(await page.evaluate('getComputedStyle(document.querySelector("tbody tr")).display'), 'block', 'rows are cards');
    assert.equal(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth'), true);
    await shot(page, 'account-en-390');
    await revoke.click();

    // The confirmation names the application and what ends; nothing has happened yet.
    await page.waitForURL((u) => u.pathname === '/account/applications/web.app/revoke');
    assert.equal(await page.locator('h1').innerText(), 'Revoke access of “Бухгалтерия Онлайн”?');
    assert.match(await page.locator('[data-consequences]').innerText(), /Access to the Extern API/);
    assert.deepEqual(await axeViolations(page), []);
    await shot(page, 'account-revoke-confirm-en-390');
    // Both languages at both widths (ends in Russian at 1280 px).
    await capture(page, screenshotDir(), 'account-revoke-confirm');
    assert.equal((await tokenState(s, rotated)).active, true, 'nothing revoked before the confirmation');
    await page.getByRole('button', { name: 'Отозвать доступ' }).click();
    await page.waitForURL(/done=revoked/);
    assert.match(await page.locator('.notice').innerText(), /Доступ приложения отозван/);
    assert.equal(await page.locator('tbody tr').count(), 0);
    await shot(page, 'account-revoked-ru');
    const state = await tokenState(s, rotated);
    assert.equal(state.active, false, 'access token inactive at once');
    assert.equal(state.refresh.error, 'invalid_grant', 'refresh token refused at once');
  });

  it('a password change signs every other session out; this one keeps working and says so', async () => {
    const otherContext = await newContext();
    const otherPage = await otherContext.newPage();
    const otherTokens = await codeFlow(otherPage);
    const hereTokens = await codeFlow(page);

    await page.goto(`${s.issuer}/account?lang=en`);
    await page.fill('#current-password', 'certainly not it');
    await page.fill('#new-password', 'a browser-chosen password');
    await page.fill('#confirm-password', 'a browser-chosen password');
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.locator('#password-error').waitFor();
    assert.match(await page.locator('#password-error').innerText(), /current password is not correct/);
    await shot(page, 'account-password-error-en');

    await page.fill('#current-password', s.user.password);
    await page.fill('#new-password', 'a browser-chosen password');
    await page.fill('#confirm-password', 'a browser-chosen password');
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.waitForURL(/done=password_changed/);
    assert.match(await page.locator('.notice').innerText(), /Password changed/);
    await shot(page, 'account-password-changed-en');
    s.user.password = 'a browser-chosen password';

    for (const tokens of [otherTokens, hereTokens]) assert.equal((await tokenState(s, tokens)).active, false);
    await otherPage.goto(`${s.issuer}/account`);
    assert.equal(await otherPage.locator('#password').count(), 1, 'the other browser is signed out');
    await page.goto(`${s.issuer}/account?lang=ru`);
    assert.equal(await page.locator('#current-password').count(), 1, 'this browser is still signed in');
    await otherContext.close();
  });

  it('sign out everywhere ends this session too', async () => {
    await page.goto(`${s.issuer}/account?lang=ru`);
    await page.getByRole('link', { name: 'Выйти на всех устройствах' }).click();
    await page.waitForURL((u) => u.pathname === '/account/sign-out-everywhere');
    assert.equal(await page.locator('h1').innerText(), 'Выйти на всех устройствах?');
    assert.match(await page.locator('[data-consequences]').innerText(), /во всех браузерах и на всех устройствах/);
    assert.deepEqual(await axeViolations(page), []);
    await shot(page, 'account-sign-out-everywhere-confirm-ru');
    await capture(page, screenshotDir(), 'account-sign-out-everywhere-confirm');
    // "Cancel" goes back with nothing ended.
    await page.getByRole('link', { name: 'Отмена' }).click();
    await page.waitForURL((u) => u.pathname === '/account');
    await page.getByRole('link', { name: 'Выйти на всех устройствах' }).click();
    await page.getByRole('button', { name: 'Выйти на всех устройствах' }).click();
    await page.waitForURL(/done=signed_out_everywhere/);
    assert.match(await page.locator('.notice').innerText(), /Вы вышли на всех устройствах/);
    assert.equal(await page.locator('#password').count(), 1);
    await shot(page, 'account-signed-out-everywhere-ru');
    const rows = await s.server.context.db.selectFrom('oidc_model').select('id').where('account_id', '=', s.user.id).execute();
    assert.deepEqual(rows, []);
  });
});
