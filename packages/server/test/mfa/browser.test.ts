/**
 * Second factors in a real headless Chromium: an authenticator app enrolled on `/account` by
 * reading `data-totp-secret` (codes computed here from the secret); passkeys with a DevTools
 * virtual authenticator (ctap2, internal transport, resident keys, user verification): added on
 * `/account/two-step`, used as the second factor of the authorize flow (amr pwd+hwk+mfa), used alone
 * on the sign-in page (amr hwk+user+mfa), renamed and removed; the integrator portal's sign-in with
 * the code. Every new page is checked in ru and en at 1280 and 390 px (no sideways scrolling,
 * axe-core: no serious or critical violation) and screenshotted.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import * as oidc from 'openid-client';
import { authorizeUrl, newUser, setupCodeFlow, type CodeFlowSetup } from '../codeflow/support/setup.ts';
import { startRpServer, type RpServer } from '../codeflow/support/rp-server.ts';
import { capture, launch, screenshotDir } from '../console/browser-support.ts';
import { freshStep, totpCode } from './support.ts';

let s: CodeFlowSetup;
let rp: RpServer;
let browser: Browser;
let dir: string;

before(async () => {
  rp = await startRpServer();
  // WebAuthn needs a host name as the relying party id: the issuer is http://localhost:<port>.
  s = await setupCodeFlow(rp.base, { PROPUSK_SIGN_IN_DELAY_MS: '0' }, { issuerHost: 'localhost' });
  browser = await launch();
  dir = screenshotDir();
});
after(async () => {
  await browser?.close();
  await s?.server.stop();
  await rp?.close();
});

/**
 * A page with a virtual authenticator attached (a platform passkey store with user verification);
 * `synced`: its passkeys are backed up (a synced passkey, as a platform keychain makes them).
 */
async function withAuthenticator(context: BrowserContext, options: { synced?: boolean } = {}): Promise<Page> {
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
      ...(options.synced ? { defaultBackupEligibility: true, defaultBackupState: true } : {}),
    },
  });
  return page;
}

async function signInOnAccount(page: Page, user: { login: string; password: string }): Promise<void> {
  await page.goto(`${s.issuer}/account?lang=en`);
  await page.fill('#login', user.login);
  await page.fill('#password', user.password);
  await page.locator('form[action*="/account/sign-in"] button[type="submit"]').click();
}

/** Starts the authorize flow; resolves with the ID token claims once the browser reaches the relying party. */
async function authorize(page: Page, act: () => Promise<void>, params: Record<string, string> = {}) {
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  await page.goto(authorizeUrl(s.issuer, { redirect_uri: `${rp.base}/cb`, state, nonce, ...params }));
  await act();
  const allow = page.locator('button[name="decision"][value="allow"]');
  await allow.or(page.getByText('relying party')).waitFor();
  if (await allow.count()) await allow.click();
  await page.waitForURL((url) => url.href.startsWith(`${rp.base}/cb`));
  const rpConfig = await oidc.discovery(new URL(s.issuer), s.web.clientId, { redirect_uris: [`${rp.base}/cb`] }, oidc.ClientSecretPost(s.web.apiKey), { execute: [oidc.allowInsecureRequests] });
  const tokens = await oidc.authorizationCodeGrant(rpConfig, new URL(page.url()), { expectedState: state, expectedNonce: nonce });
  return tokens.claims()!;
}

describe('second factors in the browser', () => {
  let context: BrowserContext;
  let page: Page;
  let user: Awaited<ReturnType<typeof newUser>>;
  let secret: string;

  before(async () => {
    context = await browser.newContext({ locale: 'ru-RU' });
    page = await withAuthenticator(context);
    user = await newUser(s);
  });
  after(() => context?.close());

  it('enrols an authenticator app on /account/two-step: QR code, the secret as text, a code; recovery codes shown once', async () => {
    await freshStep();
    await signInOnAccount(page, user);
    await page.locator('a[href*="/account/two-step"]').click();
    await page.waitForURL(/\/account\/two-step/);
    await capture(page, dir, 'account-two-step-off');
    secret = (await page.locator('[data-totp-secret]').getAttribute('data-totp-secret'))!;
    assert.match(secret, /^[A-Z2-7]{32}$/);
    assert.equal((await page.locator('[data-totp-secret]').textContent())!.replace(/\s/g, ''), secret, 'the secret is shown as selectable text');
    assert.ok(await page.locator('img.totp-qr').isVisible());
    await page.fill('#totp-code', totpCode(secret));
    await page.locator('#totp button[type="submit"]').click();
    await page.waitForURL(/recovery-codes/);
    assert.equal(await page.locator('[data-recovery-code]').count(), 10);
    await capture(page, dir, 'recovery-codes');
    await page.locator('a.button--primary').click();
    await page.waitForURL(/\/account\/two-step/);
    assert.ok(await page.locator('[data-totp-enrolled]').isVisible());
    // The codes are not shown again.
    await page.goto(`${s.issuer}/account/two-step/recovery-codes`);
    assert.equal(await page.locator('[data-recovery-code]').count(), 0);
  });

  it('adds a passkey, signs in with it as the second factor, then with it alone', async () => {
    await page.goto(`${s.issuer}/account/two-step?lang=en`);
    await page.fill('#passkey-name', 'Test laptop');
    await page.locator('#passkey-add-form button[type="submit"]').click();
    await page.waitForURL(/\/account\/two-step\?.*done=added/);
    assert.equal(await page.locator('[data-passkey-name]').first().textContent(), 'Test laptop');
    await capture(page, dir, 'account-two-step-on');

    // A new browser context keeps no session, but the same page keeps its authenticator: sign out here.
    await page.goto(`${s.issuer}/account?lang=en`);
    await page.locator('form[action*="/account/sign-out?"] button').click();

    const second = await authorize(page, async () => {
      await page.fill('#login', user.login);
      await page.fill('#password', user.password);
      await page.locator('form[action*="/login"] button[type="submit"]').click();
      await page.locator('#passkey-form button').waitFor();
      await capture(page, dir, 'second-step-totp');
      await page.locator('#passkey-form button').click();
    });
    assert.deepEqual(second.amr, ['pwd', 'hwk', 'mfa']);
    assert.equal(second.acr, 'urn:propusk:acr:mfa');

    await context.clearCookies();
    const alone = await authorize(page, async () => {
      await page.locator('#passkey-sign-in button').waitFor();
      await capture(page, dir, 'sign-in-with-passkey');
      await page.locator('#passkey-sign-in button').click();
    });
    assert.deepEqual(alone.amr, ['hwk', 'user', 'mfa']);
    assert.equal(alone.acr, 'urn:propusk:acr:mfa');
    assert.equal(alone.sub, user.id);
  });

  it('renames and removes the passkey', async () => {
    await context.clearCookies();
    await freshStep();
    await signInOnAccount(page, user);
    // The second step: the code from the app.
    await page.fill('#code', totpCode(secret, 1));
    await page.locator('form[action*="/account/second-factor"] button[type="submit"]').click();
    await page.goto(`${s.issuer}/account/two-step?lang=en`);
    const rename = page.locator('form[action*="/rename"]').first();
    await rename.locator('input[name="name"]').fill('Old laptop');
    await rename.locator('button').click();
    await page.waitForURL(/done=renamed/);
    assert.equal(await page.locator('[data-passkey-name]').first().textContent(), 'Old laptop');
    const renamed = await s.server.context.audit.page({ types: ['mfa.renamed'], accountId: user.id }, 5);
    assert.equal((renamed[0]?.details as { name?: string } | undefined)?.name, 'Old laptop');
    await page.locator('form[action*="/remove"] button').last().click();
    await page.waitForURL(/done=removed/);
    assert.equal(await page.locator('[data-passkey-name]').count(), 0);
    const summary = await s.server.context.secondFactors.summary(user.id);
    assert.deepEqual(summary, { totp: true, passkeys: 0, recoveryCodes: 10 });
  });
});

describe('enrolment during a sign-in', () => {
  it('acr_values=mfa for an account without a factor: the enrolment page, a synced passkey added there, then pwd+swk+mfa', async () => {
    const user = await newUser(s);
    const context = await browser.newContext({ locale: 'ru-RU' });
    const page = await withAuthenticator(context, { synced: true });
    const claims = await authorize(
      page,
      async () => {
        await page.fill('#login', user.login);
        await page.fill('#password', user.password);
        await page.locator('form[action*="/login"] button[type="submit"]').click();
        await page.locator('[data-totp-secret]').waitFor();
        await capture(page, dir, 'enrol');
        await page.fill('#passkey-name', 'Phone');
        await page.locator('#passkey-add-form button[type="submit"]').click();
        await page.locator('[data-recovery-code]').first().waitFor();
        assert.equal(await page.locator('[data-recovery-code]').count(), 10);
        await page.locator('form[action*="/continue"] button').click();
      },
      { acr_values: 'urn:propusk:acr:mfa' },
    );
    // The passkey is backed up (multi-device): a software-held key as RFC 8176 names it.
    assert.deepEqual(claims.amr, ['pwd', 'swk', 'mfa']);
    assert.equal(claims.acr, 'urn:propusk:acr:mfa');
    assert.equal((await s.server.context.secondFactors.summary(user.id)).passkeys, 1);
    await context.close();
  });
});

describe('the integrator portal with a second factor', () => {
  it('asks for the code after the password', async () => {
    await freshStep();
    const user = await newUser(s);
    const context = await browser.newContext({ locale: 'en-US' });
    const page = await context.newPage();
    const begun = (await s.server.context.secondFactors.beginTotp({ id: user.id, login: user.login }))!;
    assert.ok((await s.server.context.secondFactors.confirmTotp({ id: user.id, login: user.login }, totpCode(begun.secret), { actor: `account:${user.id}` })).ok);
    await page.goto(`${s.issuer}/integrations`);
    await page.fill('#login', user.login);
    await page.fill('#password', user.password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.locator('#code').waitFor();
    assert.equal(await page.locator('#code').getAttribute('autocomplete'), 'one-time-code');
    await page.fill('#code', totpCode(begun.secret, 1));
    await page.locator('form[action*="/second-factor"] button[type="submit"]').click();
    await page.waitForURL((url) => url.pathname === '/integrations');
    assert.equal(await page.locator('input[name="password"]').count(), 0, 'signed in');
    await context.close();
  });
});
