/**
 * The consent page as GitHub's: who is signed in, with "Not you? Use another account"; where the
 * browser goes afterwards (the redirect_uri's host); "account settings" as a link to /account;
 * neither Allow nor Deny focused. "Use another account" signs in again within the same request,
 * signs the previous account out of the browser (a page with one button, no script), and the code
 * the client gets is the new account's (checked with openid-client). Pages at 1280 and 390 px in
 * ru and en, axe-core clean.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as oidc from 'openid-client';
import type { Browser } from 'playwright-core';
import { API_SCOPE, newUser, setupCodeFlow, type CodeFlowSetup } from './support/setup.ts';
import { startRpServer, type RpServer } from './support/rp-server.ts';
import { signInWith } from './support/browser-suite.ts';
import { axeViolations, capture, launch, screenshotDir } from '../console/browser-support.ts';

let s: CodeFlowSetup;
let rp: RpServer;
let browser: Browser;
let config: oidc.Configuration;
let redirectUri: string;
let dir: string;

before(async () => {
  rp = await startRpServer();
  s = await setupCodeFlow(rp.base, { PROPUSK_SIGN_IN_DELAY_MS: '0' });
  redirectUri = `${rp.base}/cb`;
  browser = await launch();
  dir = screenshotDir();
  config = await oidc.discovery(new URL(s.issuer), s.web.clientId, undefined, oidc.ClientSecretPost(s.web.apiKey), { execute: [oidc.allowInsecureRequests] });
});
after(async () => {
  await browser?.close();
  await s?.server.stop();
  await rp?.close();
});

async function request() {
  const verifier = oidc.randomPKCECodeVerifier();
  const nonce = oidc.randomNonce();
  const state = oidc.randomState();
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri,
    scope: `openid profile ${API_SCOPE}`,
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    nonce,
    state,
  });
  return { verifier, nonce, state, url };
}

/** A new browser at the consent page of a new authorization request, signed in as `user`. */
async function atConsent(user: { login: string; password: string }, locale: 'en' | 'ru' = 'en') {
  const req = await request();
  const context = await browser.newContext({ locale: locale === 'en' ? 'en-US' : 'ru-RU' });
  const page = await context.newPage();
  await page.goto(req.url.href);
  await signInWith(page, user, locale === 'en' ? 'Sign in' : 'Войти');
  await page.locator('button[name="decision"][value="allow"]').waitFor();
  return { req, context, page };
}

describe('the consent page', () => {
  it('names the account, the redirect host and links account settings; nothing is focused', async () => {
    const first = await newUser(s);
    const { context, page } = await atConsent(first);

    assert.equal(await page.locator('[data-redirect-host]').innerText(), `After your decision you will be taken to ${new URL(redirectUri).host}.`);
    assert.equal(await page.getByRole('link', { name: 'account settings' }).getAttribute('href'), '/account');
    assert.match(await page.locator('.account-chip').innerText(), new RegExp(first.login.replace(/[.+]/g, '\\$&')));
    assert.ok(await page.getByRole('button', { name: 'Not you? Use another account' }).isVisible());
    assert.equal(await page.evaluate('document.activeElement === document.body || document.activeElement?.id === "main"'), true, 'no button is focused');
    await capture(page, dir, 'consent');
    await context.close();
  });

  it('"Use another account": sign in again, the previous account is signed out, the code is the new account\'s', async () => {
    const first = await newUser(s);
    const second = await newUser(s);
    const { req, context, page } = await atConsent(first);

    await page.getByRole('button', { name: 'Not you? Use another account' }).click();
    await page.locator('#password').waitFor();
    await signInWith(page, second);

    // The previous account is signed out first: our page, one button, no inline script.
    await page.getByRole('heading', { name: 'Switch account?' }).waitFor();
    const switchText = await page.locator('main').innerText();
    assert.ok(switchText.includes(first.login) && switchText.includes('will be signed out'), switchText);
    assert.equal(await page.locator('script').count(), 0);
    assert.deepEqual(await axeViolations(page), []);
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: 900 });
      await page.screenshot({ path: `${dir}/account-switch-en-${width}.png`, fullPage: true });
    }
    await page.getByRole('button', { name: 'Continue' }).click();

    await page.locator('button[name="decision"][value="allow"]').waitFor();
    assert.match(await page.locator('.account-chip').innerText(), new RegExp(second.login.replace(/[.+]/g, '\\$&')));
    await page.locator('button[name="decision"][value="allow"]').click();
    await page.waitForURL((u) => u.href.startsWith(redirectUri));
    const tokens = await oidc.authorizationCodeGrant(config, new URL(page.url()), { pkceCodeVerifier: req.verifier, expectedNonce: req.nonce, expectedState: req.state, idTokenExpected: true });
    assert.equal(tokens.claims()!.sub, second.id);

    // The browser is now signed in as the second account only: a new request goes straight to its consent.
    const again = await request();
    await page.goto(again.url.href);
    await page.waitForURL((u) => u.href.startsWith(redirectUri));
    const next = await oidc.authorizationCodeGrant(config, new URL(page.url()), { pkceCodeVerifier: again.verifier, expectedNonce: again.nonce, expectedState: again.state, idTokenExpected: true });
    assert.equal(next.claims()!.sub, second.id);
    await context.close();
  });

  it('the same account signing in again continues without a switch page', async () => {
    const first = await newUser(s);
    const { req, context, page } = await atConsent(first, 'ru');
    await page.getByRole('button', { name: 'Не вы? Войти в другую учётную запись' }).click();
    await page.locator('#password').waitFor();
    await signInWith(page, first, 'Войти');
    await page.locator('button[name="decision"][value="allow"]').waitFor();
    await page.locator('button[name="decision"][value="allow"]').click();
    await page.waitForURL((u) => u.href.startsWith(redirectUri));
    const tokens = await oidc.authorizationCodeGrant(config, new URL(page.url()), { pkceCodeVerifier: req.verifier, expectedNonce: req.nonce, expectedState: req.state, idTokenExpected: true });
    assert.equal(tokens.claims()!.sub, first.id);
    await context.close();
  });
});
