/**
 * The pages at the end of a road: the signed-out page offers "Sign in again" and the account page,
 * with the language switch; an expired sign-in offers the way back to the application it came from
 * (its website's home) when the browser saw that application's sign-in, and nothing made up when
 * it did not. In Chromium at 1280 and 390 px, ru and en, axe-core clean.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { authorizeUrl, pkce, setupCodeFlow, type CodeFlowSetup } from './support/setup.ts';
import { startRpServer, type RpServer } from './support/rp-server.ts';
import { capture, launch, screenshotDir } from '../console/browser-support.ts';

let s: CodeFlowSetup;
let rp: RpServer;
let browser: Browser;
let dir: string;

before(async () => {
  rp = await startRpServer();
  s = await setupCodeFlow(rp.base, { PROPUSK_SIGN_IN_DELAY_MS: '0' });
  browser = await launch();
  dir = screenshotDir();
});
after(async () => {
  await browser?.close();
  await s?.server.stop();
  await rp?.close();
});

const signInUrl = () => authorizeUrl(s.issuer, { redirect_uri: `${rp.base}/cb`, code_challenge: pkce().challenge, code_challenge_method: 'S256' });

describe('where the road ends', () => {
  it('signed out: "Sign in again" and the account page, in either language', async () => {
    const context = await browser.newContext({ locale: 'en-US' });
    const page = await context.newPage();
    await page.goto(`${s.issuer}/connect/endsession/success`);
    assert.equal(await page.getByRole('link', { name: 'Sign in again' }).getAttribute('href'), '/account?lang=en');
    assert.equal(await page.getByRole('link', { name: 'account page' }).getAttribute('href'), '/account?lang=en');
    await page.click('a.lang-switch');
    await page.waitForFunction('document.documentElement.lang === "ru"');
    await capture(page, dir, 'signed-out');
    await page.getByRole('link', { name: 'Войти снова' }).click();
    await page.locator('#password').waitFor();
    assert.equal(new URL(page.url()).pathname, '/account');
    await context.close();
  });

  it('an expired sign-in offers the way back to its application; reloading says the same', async () => {
    const context = await browser.newContext({ locale: 'en-US' });
    const page = await context.newPage();
    await page.goto(signInUrl());
    await page.locator('#password').waitFor();
    const interactionUrl = page.url();
    // The interaction runs out (as its lifetime ends, or the sweeper removes it).
    await s.server.context.db.deleteFrom('oidc_model').where('model', '=', 'Interaction').execute();
    const res = await page.reload();
    assert.equal(res?.status(), 400);
    assert.equal(page.url(), interactionUrl);
    const back = page.getByRole('link', { name: 'Return to Бухгалтерия Онлайн' });
    assert.equal(await back.getAttribute('href'), `${rp.base}/`, "the application's website, not its redirect URI");
    await capture(page, dir, 'interaction-expired', { status: 400 });
    // The screenshots left the page in Russian.
    await page.getByRole('link', { name: 'Вернуться в «Бухгалтерия Онлайн»' }).click();
    await page.waitForURL(`${rp.base}/`);
    await context.close();
  });

  it('an expired sign-in in a browser that never saw one: the message, no made-up link', async () => {
    const context = await browser.newContext({ locale: 'en-US' });
    const page = await context.newPage();
    const res = await page.goto(`${s.issuer}/interaction/${'x'.repeat(21)}`);
    assert.equal(res?.status(), 400);
    assert.match(await page.locator('h1').innerText(), /This sign-in has expired/);
    assert.equal(await page.getByRole('link', { name: /Return to/ }).count(), 0);
    await context.close();
  });
});
