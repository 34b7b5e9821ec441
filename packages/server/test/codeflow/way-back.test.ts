/**
 * The pages at the end of a road: the signed-out page offers "Sign in again" and the account page,
 * with the language switch; an expired sign-in offers the way back to the application it came from
 * (its website's home) when the browser saw that application's sign-in, and nothing made up when
 * it did not. In Chromium at 1280 and 390 px, ru and en, axe-core clean.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { browserSuite } from './support/browser-suite.ts';
import { capture } from '../console/browser-support.ts';

const suite = browserSuite();

describe('where the road ends', () => {
  it('signed out: "Sign in again" and the account page, in either language', async () => {
    const context = await suite.browser.newContext({ locale: 'en-US' });
    const page = await context.newPage();
    await page.goto(`${suite.s.issuer}/connect/endsession/success`);
    assert.equal(await page.getByRole('link', { name: 'Sign in again' }).getAttribute('href'), '/account?lang=en');
    assert.equal(await page.getByRole('link', { name: 'account page' }).getAttribute('href'), '/account?lang=en');
    await page.click('a.lang-switch');
    await page.waitForFunction('document.documentElement.lang === "ru"');
    await capture(page, suite.dir, 'signed-out');
    await page.getByRole('link', { name: 'Войти снова' }).click();
    await page.locator('#password').waitFor();
    assert.equal(new URL(page.url()).pathname, '/account');
    await context.close();
  });

  it('an expired sign-in offers the way back to its application; reloading says the same', async () => {
    const context = await suite.browser.newContext({ locale: 'en-US' });
    const page = await context.newPage();
    await page.goto(suite.signInUrl());
    await page.locator('#password').waitFor();
    const interactionUrl = page.url();
    // The interaction runs out (as its lifetime ends, or the sweeper removes it).
    await suite.s.server.context.db.deleteFrom('oidc_model').where('model', '=', 'Interaction').execute();
    const res = await page.reload();
    assert.equal(res?.status(), 400);
    assert.equal(page.url(), interactionUrl);
    const back = page.getByRole('link', { name: 'Return to Бухгалтерия Онлайн' });
    assert.equal(await back.getAttribute('href'), `${suite.rp.base}/`, "the application's website, not its redirect URI");
    await capture(page, suite.dir, 'interaction-expired', { status: 400 });
    // The screenshots left the page in Russian.
    await page.getByRole('link', { name: 'Вернуться в «Бухгалтерия Онлайн»' }).click();
    await page.waitForURL(`${suite.rp.base}/`);
    await context.close();
  });

  it('an expired sign-in in a browser that never saw one: the message, no made-up link', async () => {
    const context = await suite.browser.newContext({ locale: 'en-US' });
    const page = await context.newPage();
    const res = await page.goto(`${suite.s.issuer}/interaction/${'x'.repeat(21)}`);
    assert.equal(res?.status(), 400);
    assert.match(await page.locator('h1').innerText(), /This sign-in has expired/);
    assert.equal(await page.getByRole('link', { name: /Return to/ }).count(), 0);
    await context.close();
  });
});
