/**
 * The authorization code flow end to end: openid-client 6 as the relying party and a real headless
 * Chromium signing in and consenting. Screenshots of every page (ru and en) go to
 * test-output/screenshots/ at the repository root.
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as oidc from 'openid-client';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { decodeProtectedHeader } from 'jose';
import { API_AUDIENCE, API_SCOPE, newUser, setupCodeFlow, type CodeFlowSetup } from './support/setup.ts';
import { startRpServer, type RpServer } from './support/rp-server.ts';

const SHOTS = resolve(import.meta.dirname, '../../../../test-output/screenshots');
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

let s: CodeFlowSetup;
let rp: RpServer;
let browser: Browser;
let config: oidc.Configuration;
let redirectUri: string;

before(async () => {
  mkdirSync(SHOTS, { recursive: true });
  rp = await startRpServer();
  // A 1 s refresh reuse interval, so the reuse detection below can wait it out.
  s = await setupCodeFlow(rp.base, { PROPUSK_REFRESH_REUSE_INTERVAL: '1' });
  redirectUri = `${rp.base}/cb`;
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
  config = await oidc.discovery(new URL(s.issuer), s.web.clientId, undefined, oidc.ClientSecretPost(s.web.apiKey), { execute: [oidc.allowInsecureRequests] });
});

after(async () => {
  await browser?.close();
  await s?.server.stop();
  await rp?.close();
});

const shot = (page: Page, name: string) => page.screenshot({ path: resolve(SHOTS, `${name}.png`), fullPage: true });

async function lang(page: Page): Promise<string | null> {
  return page.locator('html').getAttribute('lang');
}

/** Clicks the language switch and waits for the page in the other language. */
async function switchLanguage(page: Page): Promise<void> {
  const before = await lang(page);
  await page.click('a.lang-switch');
  await page.waitForFunction(`document.documentElement.lang !== ${JSON.stringify(before)}`);
}

function authorizationRequest(extra: Record<string, string> = {}) {
  const verifier = oidc.randomPKCECodeVerifier();
  const nonce = oidc.randomNonce();
  const state = oidc.randomState();
  return {
    verifier,
    nonce,
    state,
    url: async () =>
      oidc.buildAuthorizationUrl(config, {
        redirect_uri: redirectUri,
        scope: `openid profile email ${API_SCOPE}`,
        code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
        nonce,
        state,
        ...extra,
      }),
  };
}

describe('authorization code flow in a browser', () => {
  let context: BrowserContext;
  let page: Page;
  const interactionPages: string[] = [];

  before(async () => {
    context = await browser.newContext({ locale: 'ru-RU' });
    page = await context.newPage();
    page.on('framenavigated', (frame) => {
      if (frame === page.mainFrame() && frame.url().includes('/interaction/')) interactionPages.push(frame.url());
    });
  });
  after(() => context.close());

  let tokens: Awaited<ReturnType<typeof oidc.authorizationCodeGrant>>;
  let sub: string;

  it('discovery lists the endpoints the flow uses', () => {
    const m = config.serverMetadata();
    assert.equal(m.issuer, s.issuer);
    assert.equal(m.authorization_endpoint, `${s.issuer}/connect/authorize`);
    assert.equal(m.token_endpoint, `${s.issuer}/connect/token`);
    assert.equal(m.userinfo_endpoint, `${s.issuer}/connect/userinfo`);
    assert.equal(m.end_session_endpoint, `${s.issuer}/connect/endsession`);
    assert.deepEqual(m.code_challenge_methods_supported, ['S256']);
  });

  it('signs in and consents (ru and en pages), then exchanges the code with PKCE and nonce', async () => {
    const req = authorizationRequest();
    await page.goto((await req.url()).href);
    assert.equal(await lang(page), 'ru');
    await shot(page, 'login-ru');
    await switchLanguage(page);
    assert.equal(await lang(page), 'en');
    await shot(page, 'login-en');

    // A wrong password: generic message, still on the sign-in page.
    await page.fill('#login', s.user.login);
    await page.fill('#password', 'not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForSelector('.notice');
    assert.match(await page.locator('.notice').innerText(), /Incorrect login or password/);
    await shot(page, 'login-error-en');

    await page.fill('#password', s.user.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForSelector('button[name="decision"]');
    assert.equal(await lang(page), 'en', 'the language choice is remembered across steps');
    assert.match(await page.locator('main').innerText(), /Бухгалтерия Онлайн/);
    assert.match(await page.locator('main').innerText(), /Access to the Extern API/);
    await shot(page, 'consent-en');
    await switchLanguage(page);
    await shot(page, 'consent-ru');
    assert.match(await page.locator('main').innerText(), /Доступ к API Экстерна/);

    await page.getByRole('button', { name: 'Разрешить' }).click();
    await page.waitForURL((u) => u.href.startsWith(redirectUri));
    const callback = new URL(page.url());
    assert.equal(callback.searchParams.get('iss'), s.issuer);

    tokens = await oidc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: req.verifier, expectedNonce: req.nonce, expectedState: req.state, idTokenExpected: true });
    assert.equal(tokens.token_type.toLowerCase(), 'bearer');
    assert.equal(tokens.expires_in, 86400);
    assert.ok(tokens.refresh_token);
    assert.equal(tokens.access_token.split('.').length, 1, 'opaque access token');

    const header = decodeProtectedHeader(tokens.id_token!);
    assert.equal(header.alg, 'RS256');
    const jwks = (await (await fetch(`${s.issuer}/.well-known/openid-configuration/jwks`)).json()) as { keys: { kid: string }[] };
    assert.ok(jwks.keys.some((k) => k.kid === header.kid), 'id_token kid is published');

    const claims = tokens.claims()!;
    sub = claims.sub;
    assert.equal(claims.sub, s.user.id);
    assert.equal(claims.nonce, req.nonce);
    assert.deepEqual(claims.amr, ['pwd']);
    assert.equal(typeof claims.auth_time, 'number');
    assert.equal(claims.name, 'Иван Сергеевич Петров');
    assert.equal(claims.given_name, 'Иван');
    assert.equal(claims.family_name, 'Петров');
    assert.equal(claims.middle_name, 'Сергеевич');
    assert.equal(claims.email, s.user.login);
    assert.equal(claims.email_verified, true);
    assert.equal(typeof claims.updated_at, 'number');
  });

  it('prompt=none with the session and the remembered consent returns a code without any page', async () => {
    const before = interactionPages.length;
    const req = authorizationRequest({ prompt: 'none' });
    await page.goto((await req.url()).href);
    await page.waitForURL((u) => u.href.startsWith(redirectUri));
    assert.equal(interactionPages.length, before, 'no sign-in or consent page');
    const again = await oidc.authorizationCodeGrant(config, new URL(page.url()), { pkceCodeVerifier: req.verifier, expectedNonce: req.nonce, expectedState: req.state });
    assert.equal(again.claims()!.sub, sub);
  });

  it('introspection (API credentials), userinfo, refresh rotation, revocation, reuse detection', async () => {
    const rsConfig = await oidc.discovery(new URL(s.issuer), s.rs.clientId, undefined, oidc.ClientSecretBasic(s.rs.secret), { execute: [oidc.allowInsecureRequests] });
    const info = await oidc.tokenIntrospection(rsConfig, tokens.access_token);
    assert.equal(info.active, true);
    assert.equal(info.aud, API_AUDIENCE);
    assert.equal(info.scope, API_SCOPE);
    assert.equal(info.sub, sub);
    assert.equal(info.client_id, s.web.clientId);

    // The API token of the code exchange works at userinfo (its grant includes openid) …
    assert.equal((await oidc.fetchUserInfo(config, tokens.access_token, sub)).email, s.user.login);
    // … and so does the token of a refresh with OIDC scopes only (which rotates the refresh token).
    const rt1 = tokens.refresh_token!;
    const forUserinfo = await oidc.refreshTokenGrant(config, rt1, { scope: 'openid profile email' });
    const rt2 = forUserinfo.refresh_token!;
    assert.notEqual(rt2, rt1);
    const userinfo = await oidc.fetchUserInfo(config, forUserinfo.access_token, sub);
    assert.equal(userinfo.sub, sub);
    assert.equal(userinfo.email, s.user.login);
    assert.equal(userinfo.middle_name, 'Сергеевич');

    // A plain refresh gives the API token again.
    const refreshed = await oidc.refreshTokenGrant(config, rt2);
    const rt3 = refreshed.refresh_token!;
    assert.notEqual(rt3, rt2);
    assert.equal((await oidc.tokenIntrospection(rsConfig, refreshed.access_token)).aud, API_AUDIENCE);

    // Revocation by the client.
    await oidc.tokenRevocation(config, refreshed.access_token);
    assert.equal((await oidc.tokenIntrospection(rsConfig, refreshed.access_token)).active, false);

    // Reusing a rotated refresh token after the reuse interval revokes the whole grant.
    await new Promise((r) => setTimeout(r, 1300));
    await assert.rejects(oidc.refreshTokenGrant(config, rt1), (err: Error & { error?: string }) => err.error === 'invalid_grant');
    await assert.rejects(oidc.refreshTokenGrant(config, rt3), (err: Error & { error?: string }) => err.error === 'invalid_grant');
    assert.equal((await oidc.tokenIntrospection(rsConfig, tokens.access_token)).active, false);
  });

  it('RP-initiated logout: confirmation page (ru and en), redirect with state, session gone', async () => {
    const postLogout = `${rp.base}/signed-out`;
    const url = oidc.buildEndSessionUrl(config, { id_token_hint: tokens.id_token!, post_logout_redirect_uri: postLogout, state: 'bye-123' });
    await page.goto(url.href);
    assert.equal(await lang(page), 'ru');
    assert.match(await page.locator('main').innerText(), /Бухгалтерия Онлайн/);
    await shot(page, 'logout-ru');
    await switchLanguage(page);
    await shot(page, 'logout-en');
    await page.getByRole('button', { name: 'Yes, sign out' }).click();
    await page.waitForURL((u) => u.href.startsWith(postLogout));
    assert.equal(new URL(page.url()).searchParams.get('state'), 'bye-123');

    const req = authorizationRequest({ prompt: 'none' });
    await page.goto((await req.url()).href);
    await page.waitForURL((u) => u.href.startsWith(redirectUri));
    assert.equal(new URL(page.url()).searchParams.get('error'), 'login_required');

    // Logout again without a session: the same page (no inline script for the CSP to block), then the redirect.
    await page.goto(oidc.buildEndSessionUrl(config, { client_id: s.web.clientId, post_logout_redirect_uri: postLogout, state: 'again' }).href);
    await page.getByRole('button', { name: 'Yes, sign out' }).click();
    await page.waitForURL((u) => u.href.startsWith(postLogout));
    assert.equal(new URL(page.url()).searchParams.get('state'), 'again');
  });

  it('signed-out, error and expired-interaction pages (ru and en)', async () => {
    for (const locale of ['ru', 'en']) {
      await page.goto(`${s.issuer}/connect/endsession/success?lang=${locale}`);
      assert.equal(await lang(page), locale);
      await shot(page, `signed-out-${locale}`);

      const bad = authorizationRequest({ redirect_uri: 'https://evil.example/cb', ui_locales: locale });
      const res = await page.goto((await bad.url()).href);
      assert.equal(res?.status(), 400);
      assert.equal(new URL(page.url()).origin, s.issuer, 'no redirect to an unregistered redirect_uri');
      await shot(page, `error-redirect-uri-${locale}`);

      const expired = await page.goto(`${s.issuer}/interaction/unknown?lang=${locale}`);
      assert.equal(expired?.status(), 400);
      assert.equal(await lang(page), locale);
      await shot(page, `interaction-expired-${locale}`);
    }
  });
});

describe('pages work without JavaScript', () => {
  it('signs in and consents with scripts disabled; consent denied → access_denied', async () => {
    // A new account: s.user's consent to web.app is remembered by now, and this test needs the consent page.
    const user = await newUser(s);
    const context = await browser.newContext({ javaScriptEnabled: false, locale: 'en-US' });
    try {
      const page = await context.newPage();
      const req = authorizationRequest();
      await page.goto((await req.url()).href);
      assert.equal(await lang(page), 'en');
      await page.fill('#login', user.phone);
      await page.fill('#password', user.password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('button', { name: 'Deny' }).click();
      await page.waitForURL((u) => u.href.startsWith(redirectUri));
      const denied = new URL(page.url()).searchParams;
      assert.equal(denied.get('error'), 'access_denied');
      assert.equal(denied.get('state'), req.state);

      const ok = authorizationRequest();
      await page.goto((await ok.url()).href);
      await page.getByRole('button', { name: 'Allow' }).click();
      await page.waitForURL((u) => u.href.startsWith(redirectUri));
      const tokens = await oidc.authorizationCodeGrant(config, new URL(page.url()), { pkceCodeVerifier: ok.verifier, expectedNonce: ok.nonce, expectedState: ok.state });
      assert.equal(tokens.claims()!.sub, user.id);
    } finally {
      await context.close();
    }
  });
});
