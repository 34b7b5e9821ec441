/**
 * The device flow end to end (docs/api-documentation.md, "Device flow"): device authorization → a headless Chromium
 * opens verification_uri_complete, confirms the code, signs in and consents → the poller gets
 * access, id and refresh tokens once; the access token is for the Extern API.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { decodeJwt } from 'jose';
import { t } from '../../src/views/index.ts';
import { API_AUDIENCE, API_SCOPE, approveInBrowser, introspect, launchChromium, newDeviceCode, poll, setupDevice, sleep, type DeviceSetup } from './support.ts';

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

describe('device flow in a browser', () => {
  it('approval: the poller gets access, id and refresh tokens exactly once; the access token is for extern.api', async () => {
    const auth = await newDeviceCode(s);
    const pending = await poll(s, auth.device_code, { scope: `openid ${API_SCOPE}` });
    assert.equal(pending.status, 400);
    assert.equal(pending.json.error, 'authorization_pending');

    const done = await approveInBrowser(browser, auth.verification_uri_complete, s.user, { expectCode: `${auth.user_code.slice(0, 4)}-${auth.user_code.slice(4)}` });
    assert.equal(await done.page.locator('main h1').innerText(), t('ru', 'device.done.success.title'));
    await done.close();
    // The device flow always asks (a code typed on another device): its consent is not remembered.
    assert.equal(await s.server.context.consents.find(s.user.id, s.device.clientId), undefined);

    await sleep(auth.interval * 1000);
    const res = await poll(s, auth.device_code, { scope: `openid ${API_SCOPE}` });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.headers.get('cache-control'), 'no-store');
    assert.equal(res.json.token_type, 'Bearer');
    assert.equal(res.json.expires_in, 86400);
    assert.equal(res.json.scope, `openid ${API_SCOPE}`, 'what the grant allows for the scopes asked (no offline_access asked)');
    assert.equal(typeof res.json.refresh_token, 'string', 'the client has the refresh grant: a refresh token even without offline_access');
    const idToken = decodeJwt(res.json.id_token as string);
    assert.equal(idToken.sub, s.user.id);
    assert.equal(idToken.aud, s.device.clientId);

    const active = await introspect(s, res.json.access_token as string);
    assert.equal(active.json.active, true);
    assert.equal(active.json.aud, API_AUDIENCE);
    assert.equal(active.json.client_id, s.device.clientId);
    assert.equal(active.json.sub, s.user.id);
    assert.equal(active.json.scope, API_SCOPE);

    // Tokens exactly once: the same device code again is invalid_grant.
    await sleep(auth.interval * 1000);
    const again = await poll(s, auth.device_code);
    assert.equal(again.status, 400);
    assert.equal(again.json.error, 'invalid_grant');
  });

  it('denial at the consent page: the poller gets access_denied and the page says access was not granted', async () => {
    const auth = await newDeviceCode(s);
    const done = await approveInBrowser(browser, auth.verification_uri_complete, s.user, { decision: 'deny', locale: 'en' });
    assert.equal(await done.page.locator('main h1').innerText(), t('en', 'device.done.denied.title'));
    await done.close();
    const res = await poll(s, auth.device_code);
    assert.equal(res.status, 400);
    assert.equal(res.json.error, 'access_denied');
  });

  it('cancel on the confirmation page: access_denied, without signing in', async () => {
    const auth = await newDeviceCode(s);
    const context = await browser.newContext({ locale: 'en-US' });
    const page = await context.newPage();
    await page.goto(auth.verification_uri_complete);
    await page.getByRole('button', { name: t('en', 'device.confirm.cancel') }).click();
    await page.waitForSelector(`h1:text-is("${t('en', 'device.done.denied.title')}")`);
    await context.close();
    assert.equal((await poll(s, auth.device_code)).json.error, 'access_denied');
  });

  it('slow_down: a poll sooner than the interval is slow_down, the interval grows by 5 s, and a poll at the slower pace succeeds', async () => {
    const auth = await newDeviceCode(s);
    assert.equal(auth.interval, 3);
    assert.equal((await poll(s, auth.device_code)).json.error, 'authorization_pending', 'the first poll is never throttled');
    const fast = await poll(s, auth.device_code);
    assert.equal(fast.status, 400);
    assert.equal(fast.json.error, 'slow_down');
    assert.match(String(fast.json.error_description), /8 seconds/);

    const done = await approveInBrowser(browser, auth.verification_uri_complete, s.user);
    await done.close();
    // Still too soon for the grown interval (8 s since the last poll): slow_down again, now 13 s.
    const early = await poll(s, auth.device_code);
    assert.equal(early.json.error, 'slow_down');
    assert.match(String(early.json.error_description), /13 seconds/);
    await sleep(13_000);
    const res = await poll(s, auth.device_code);
    assert.equal(res.status, 200, res.text);
    assert.equal(typeof res.json.access_token, 'string');
  });
});
