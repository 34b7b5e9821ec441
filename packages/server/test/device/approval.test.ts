/**
 * The device approval in Chromium, measured: from the link (verification_uri_complete) to the
 * result, a person makes two decisions — confirm the code, then Allow on one page that shows the
 * code, the application, what it asks for, the signed-in account, and when and from which address
 * the request was started — with sign-in, when needed, in between; typing the code on /device is
 * the first decision itself. Neither Continue nor Allow is focused; every device page has the
 * language switch; the result page names the application and the account; an expired code is
 * cleared from the entry page, which says what to do. Pages are checked in ru and en at 1280 and
 * 390 px (axe-core, no sideways scrolling) and screenshotted.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { newDeviceCode, poll, setupDevice, type DeviceSetup } from './support.ts';
import { capture, launch, screenshotDir } from '../console/browser-support.ts';

let s: DeviceSetup;
let browser: Browser;
let dir: string;
before(async () => {
  s = await setupDevice({ PROPUSK_SIGN_IN_DELAY_MS: '0' });
  browser = await launch();
  dir = screenshotDir();
});
after(async () => {
  await browser?.close();
  await s?.server.stop();
});

/** What a walk through the pages took: the pages seen (by their heading) and the decisions made. */
interface Walk {
  pages: string[];
  decisions: string[];
  ms: number;
}

const heading = (page: Page) => page.locator('h1').innerText();

async function focusedButton(page: Page): Promise<string> {
  return (await page.evaluate('document.activeElement && document.activeElement.tagName === "BUTTON" ? document.activeElement.textContent : ""')) as string;
}

describe('device approval in two decisions', () => {
  it('from the link: confirm the code, sign in, Allow on one page with everything; the result names the application and the account', async () => {
    const auth = await newDeviceCode(s);
    const context = await browser.newContext({ locale: 'en-US' });
    const page = await context.newPage();
    const walk: Walk = { pages: [], decisions: [], ms: 0 };
    const started = Date.now();

    await page.goto(auth.verification_uri_complete);
    walk.pages.push(await heading(page));
    assert.ok(await page.locator('a.lang-switch').count(), 'language switch on the confirmation');
    assert.equal(await focusedButton(page), '', 'Continue is not focused');
    assert.equal(await page.locator('.scopes').count(), 0, 'permissions are not shown before the approval page');
    await page.getByRole('button', { name: 'Continue' }).click();
    walk.decisions.push('confirm the code');

    await page.locator('#password').waitFor();
    walk.pages.push(await heading(page));
    await page.fill('#login', s.user.login);
    await page.fill('#password', s.user.password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();

    await page.locator('button[name="decision"][value="allow"]').waitFor();
    walk.pages.push(await heading(page));
    const approval = await page.locator('main').innerText();
    assert.match(approval, new RegExp(auth.user_code.replace(/^(.{4})(.{4})$/, '$1-$2')), 'the code');
    assert.match(approval, /Плагин Экстерна/, 'the application');
    assert.match(approval, new RegExp(s.user.login.replace(/[.@]/g, '\\$&')), 'the account');
    assert.match(await page.locator('[data-device-request]').innerText(), /Requested at \d{2}:\d{2} UTC from (127\.0\.0\.1|::1|::ffff:127\.0\.0\.1)\./);
    assert.ok((await page.locator('.scopes__item').count()) > 0, 'what it asks for');
    assert.equal(await focusedButton(page), '', 'Allow is not focused');
    assert.ok(await page.locator('a.lang-switch').count());
    const shooting = Date.now();
    await capture(page, dir, 'device-approval');
    const shotsMs = Date.now() - shooting;
    await page.locator('button[name="decision"][value="allow"]').click();
    walk.decisions.push('allow');

    await page.waitForURL((u) => /^\/device\/[^/]+$/.test(u.pathname));
    walk.pages.push(await heading(page));
    walk.ms = Date.now() - started - shotsMs;
    const done = await page.locator('[data-device-connected]').innerText();
    assert.match(done, /Плагин Экстерна/);
    assert.ok(done.includes(s.user.login));
    const doneSwitch = await page.locator('a.lang-switch').getAttribute('href');
    assert.match(doneSwitch ?? '', /^\/device\/done\/success\?/);
    // The screenshots of the approval page left Russian chosen; the switch leads to English.
    assert.equal(await page.locator('html').getAttribute('lang'), 'ru');
    assert.match(doneSwitch ?? '', /lang=en/);
    await page.goto(`${s.issuer}${doneSwitch}`);
    assert.equal(await page.locator('html').getAttribute('lang'), 'en');
    await capture(page, dir, 'device-done');

    assert.deepEqual(walk.decisions, ['confirm the code', 'allow']);
    assert.equal(walk.pages.length, 4, `pages: ${walk.pages.join(' → ')}`);
    console.log(`device approval from the link: ${walk.pages.length} pages (${walk.pages.join(' → ')}), ${walk.decisions.length} decisions, ${walk.ms} ms in the browser, of the 300 s the code lives`);
    const tokens = await poll(s, auth.device_code);
    assert.equal(tokens.status, 200, tokens.text);
    await context.close();
  });

  it('typing the code on /device is the first decision: no second "check the code" page', async () => {
    const auth = await newDeviceCode(s);
    const context = await browser.newContext({ locale: 'ru-RU' });
    const page = await context.newPage();
    await page.goto(`${s.issuer}/device`);
    await page.fill('#user_code', auth.user_code.toLowerCase());
    await page.getByRole('button', { name: 'Продолжить' }).click();
    // Signed out: the sign-in page comes next, then the approval.
    await page.locator('#password').waitFor();
    await page.fill('#login', s.user.login);
    await page.fill('#password', s.user.password);
    await page.getByRole('button', { name: 'Войти', exact: true }).click();
    await page.locator('button[name="decision"][value="allow"]').waitFor();
    assert.ok((await page.locator('.user-code__value').innerText()).includes('-'));
    await page.locator('button[name="decision"][value="allow"]').click();
    await page.waitForURL((u) => /^\/device\/[^/]+$/.test(u.pathname));
    assert.equal((await poll(s, auth.device_code)).status, 200);
    await context.close();
  });
});

describe('an expired code', () => {
  let short: DeviceSetup;
  before(async () => {
    short = await setupDevice({ PROPUSK_DEVICE_CODE_TTL: '2' });
  });
  after(() => short?.server.stop());

  it('is cleared from the entry page, which says to get a new code in the application', async () => {
    const auth = await newDeviceCode(short);
    const context = await browser.newContext({ locale: 'en-US' });
    const page = await context.newPage();
    await page.goto(`${short.issuer}/device`);
    await page.fill('#user_code', auth.user_code);
    await new Promise((r) => setTimeout(r, 2500));
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.locator('.field__error').waitFor();
    assert.match(await page.locator('.field__error').innerText(), /expired.*new code in the application/i);
    assert.equal(await page.locator('#user_code').inputValue(), '', 'the stale code is cleared');
    await context.close();
  });
});
