/**
 * The sign-in page in Chromium: a show-password toggle that exists only with JavaScript (without
 * it the field is a plain password field), and a phone hint whose every example signs in — the
 * server accepts each form the hint shows. ru and en at 1280 and 390 px, axe-core clean.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { newUser } from './support/setup.ts';
import { browserSuite, signInWith } from './support/browser-suite.ts';
import { capture } from '../console/browser-support.ts';
import { t } from '../../src/views/index.ts';

const suite = browserSuite();
const signInUrl = () => suite.signInUrl();

describe('the sign-in page', () => {
  it('"Show password" switches the field between hidden and shown, announced by aria-pressed', async () => {
    const context = await suite.browser.newContext({ locale: 'en-US' });
    const page = await context.newPage();
    await page.goto(signInUrl());
    const toggle = page.getByRole('button', { name: 'Show password' });
    await toggle.waitFor();
    assert.equal(await page.locator('#password').getAttribute('type'), 'password');
    await page.fill('#password', 'correct horse');
    await toggle.click();
    assert.equal(await page.locator('#password').getAttribute('type'), 'text');
    const hide = page.getByRole('button', { name: 'Hide password' });
    assert.equal(await hide.getAttribute('aria-pressed'), 'true');
    assert.equal(await page.locator('#password').inputValue(), 'correct horse');
    await hide.click();
    assert.equal(await page.locator('#password').getAttribute('type'), 'password');
    assert.equal(await page.getByRole('button', { name: 'Show password' }).getAttribute('aria-pressed'), 'false');
    await capture(page, suite.dir, 'sign-in');
    await context.close();
  });

  it('without JavaScript: no toggle, a plain password field, and sign-in works', async () => {
    const user = await newUser(suite.s);
    const context = await suite.browser.newContext({ locale: 'en-US', javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(signInUrl());
    assert.equal(await page.locator('button[data-reveal-target]').isVisible(), false);
    assert.equal(await page.locator('#password').getAttribute('type'), 'password');
    await signInWith(page, user);
    await page.locator('button[name="decision"]').first().waitFor();
    await context.close();
  });

  it('every phone form the hint shows signs in', async () => {
    const hint = t('en', 'login.field.loginHint').replaceAll('\u00a0', ' ');
    const user = await newUser(suite.s);
    const d = user.phone;
    const forms = [`+7 ${d.slice(0, 3)} ${d.slice(3, 6)}-${d.slice(6, 8)}-${d.slice(8)}`, `8 ${d.slice(0, 3)} ${d.slice(3, 6)} ${d.slice(6, 8)} ${d.slice(8)}`, d];
    // The hint's own examples have exactly these three shapes.
    assert.match(hint, /\+7 \d{3} \d{3}-\d{2}-\d{2}/);
    assert.match(hint, /8 \d{3} \d{3} \d{2} \d{2}/);
    assert.match(hint, /\b\d{10}\b/);
    for (const phone of forms) {
      const context = await suite.browser.newContext({ locale: 'en-US' });
      const page = await context.newPage();
      await page.goto(signInUrl());
      assert.ok((await page.locator('#login-hint').innerText()).replaceAll('\u00a0', ' ').includes('+7 912 345-67-89'));
      await signInWith(page, { login: phone, password: user.password });
      await page.locator('button[name="decision"]').first().waitFor();
      await context.close();
    }
  });
});
