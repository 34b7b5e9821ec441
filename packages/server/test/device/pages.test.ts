/**
 * The verification pages (`/device`): the entry form, `?user-code=` and `?user_code=` links in any
 * case with spaces and dashes, the confirmation screen (application and code), ru/en,
 * oidc-provider's xsrf check, and clear pages for used and unknown codes.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { t } from '../../src/views/index.ts';
import { approveInBrowser, launchChromium, mainText, newDeviceCode, poll, setupDevice, sleep, type DeviceSetup } from './support.ts';

let s: DeviceSetup;
let browser: Browser;
before(async () => {
  s = await setupDevice();
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await s?.server.stop();
});

const formatted = (code: string) => `${code.slice(0, 4)}-${code.slice(4)}`;
const get = async (path: string, lang = 'en') => {
  const res = await fetch(new URL(path, s.issuer), { headers: { 'accept-language': lang } });
  return { status: res.status, headers: res.headers, html: await res.text() };
};

describe('/device pages', () => {
  it('without a code: a labelled entry form in Russian by default, English by Accept-Language; not cached', async () => {
    const ru = await get('/device', 'ru-RU,ru;q=0.9');
    assert.equal(ru.status, 200);
    assert.equal(ru.headers.get('cache-control'), 'no-store');
    assert.match(ru.html, /<html lang="ru">/);
    assert.ok(ru.html.includes(t('ru', 'device.entry.title')));
    assert.match(ru.html, /<label[^>]* for="user_code"[^>]*>Код<\/label>/);
    assert.match(ru.html, /<input type="hidden" name="xsrf" value="[0-9a-f]{48}">/);
    const en = await get('/device', 'en-US,en;q=0.9');
    assert.match(en.html, /<html lang="en">/);
    assert.ok(en.html.includes(t('en', 'device.entry.title')));
  });

  it('?user-code= and ?user_code= in any case, with spaces and dashes, open the confirmation: application and code, no permissions yet', async () => {
    const auth = await newDeviceCode(s, 'openid profile extern.api');
    const code = auth.user_code;
    for (const q of [`user-code=${code}`, `user_code=${code.toLowerCase()}`, `user-code=${encodeURIComponent(`${code.slice(0, 4).toLowerCase()} - ${code.slice(4)}`)}`]) {
      const page = await get(`/device?${q}`);
      assert.equal(page.status, 200, q);
      assert.ok(page.html.includes(`<p class="user-code__value" translate="no">${formatted(code)}</p>`), q);
      assert.ok(page.html.includes('Плагин Экстерна'));
      // Permissions are shown once, on the approval page after sign-in.
      assert.ok(!page.html.includes(t('en', 'scope.extern.api')));
      assert.ok(!page.html.includes('class="scopes"'));
      assert.ok(!/\bautofocus\b/.test(page.html), 'neither button is focused by default');
      assert.match(page.html, /name="confirm" value="yes"/);
      assert.match(page.html, /name="abort" value="yes"/);
      assert.match(page.html, /<input type="hidden" name="xsrf" value="[0-9a-f]{48}">/);
    }
  });

  it('typing the code on the entry form (lower case, spaces) is the confirmation itself: straight to sign-in; ru ↔ en switch', async () => {
    const auth = await newDeviceCode(s);
    const context = await browser.newContext({ locale: 'ru-RU' });
    const page = await context.newPage();
    await page.goto(`${s.issuer}/device`);
    await page.click('a.lang-switch');
    await page.waitForFunction('document.documentElement.lang === "en"');
    assert.ok((await mainText(page)).includes(t('en', 'device.entry.title')));
    await page.click('a.lang-switch');
    await page.waitForFunction('document.documentElement.lang === "ru"');
    await page.getByLabel(t('ru', 'device.entry.field')).fill(`${auth.user_code.slice(0, 4).toLowerCase()} ${auth.user_code.slice(4).toLowerCase()}`);
    await page.getByRole('button', { name: t('ru', 'device.entry.submit') }).click();
    await page.waitForSelector('input[name="password"]');
    assert.equal(await page.locator('.user-code__value').count(), 0, 'no second page about the same code');
    await context.close();
  });

  it('a wrong typed code: the entry form again with an announced error, the typed value kept', async () => {
    const context = await browser.newContext({ locale: 'en-US' });
    const page = await context.newPage();
    await page.goto(`${s.issuer}/device`);
    await page.getByLabel(t('en', 'device.entry.field')).fill('bbbb-bbbb');
    await page.getByRole('button', { name: t('en', 'device.entry.submit') }).click();
    await page.waitForSelector('[role="alert"]');
    assert.equal(await page.locator('[role="alert"]').innerText(), t('en', 'device.error.invalid'));
    assert.equal(await page.getByLabel(t('en', 'device.entry.field')).inputValue(), 'BBBB-BBBB');
    await context.close();
  });

  it('a form posted with a wrong xsrf secret is not processed: a fresh form says the page expired', async () => {
    const auth = await newDeviceCode(s);
    const form = await fetch(`${s.issuer}/device`);
    const cookie = form.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    assert.match(cookie, /_session=/);
    const res = await fetch(`${s.issuer}/device`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'accept-language': 'en', cookie },
      body: new URLSearchParams({ user_code: auth.user_code, confirm: 'yes', xsrf: 'f'.repeat(48) }),
    });
    assert.equal(res.status, 400);
    assert.ok((await res.text()).includes(t('en', 'device.error.session')));
    assert.equal((await poll(s, auth.device_code)).json.error, 'authorization_pending', 'the code was not confirmed');
  });

  it('a form posted without any browser session (cross-site, or cookies gone) is not processed: back to the confirmation by GET', async () => {
    const auth = await newDeviceCode(s);
    const res = await fetch(`${s.issuer}/device`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ user_code: auth.user_code.toLowerCase(), confirm: 'yes', xsrf: 'f'.repeat(48) }),
    });
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), `/device?user-code=${auth.user_code}`);
    assert.equal((await poll(s, auth.device_code)).json.error, 'authorization_pending', 'the code was not confirmed');
  });

  it('a used code: its link says so (no second confirmation), and its QR code is gone', async () => {
    const auth = await newDeviceCode(s);
    const done = await approveInBrowser(browser, auth.verification_uri_complete, s.user, { locale: 'en' });
    assert.ok(done.text.includes(t('en', 'device.done.success.message')));
    await done.close();
    const page = await get(`/device?user-code=${auth.user_code}`);
    assert.equal(page.status, 400);
    assert.ok(page.html.includes(t('en', 'device.error.used')));
    assert.ok(!page.html.includes('name="abort"'), 'no confirmation for a used code');
    assert.ok(!page.html.includes(formatted(auth.user_code)), 'the used code is not offered again');
    assert.equal((await fetch(`${s.issuer}/device/qr.svg?user-code=${auth.user_code}`)).status, 404);
    await sleep(auth.interval * 1000);
    assert.equal((await poll(s, auth.device_code)).status, 200);
  });

  it('an unknown or malformed code from a link: the entry form saying the code was not found, nothing echoed', async () => {
    const unknown = await get('/device?user-code=BBBBBBBB');
    assert.equal(unknown.status, 400);
    assert.ok(unknown.html.includes(t('en', 'device.error.invalid')));
    const hostile = await get(`/device?user-code=${encodeURIComponent('"><script>alert(1)</script>')}`);
    assert.equal(hostile.status, 400);
    assert.ok(!hostile.html.includes('alert(1)'));
  });
});
