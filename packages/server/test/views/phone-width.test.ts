/**
 * Every page a person signs in on or manages things on fits a 390 px phone screen in a real headless
 * Chromium, in Russian and English: no sideways scrolling (the document is no wider than the
 * viewport) and the row actions of tables (Revoke) are on screen. Screenshots go to
 * test-output/screenshots/ at the repository root.
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { authorizeUrl, setupCodeFlow, type CodeFlowSetup } from '../codeflow/support/setup.ts';
import { startRpServer, type RpServer } from '../codeflow/support/rp-server.ts';
import { invite, newClient, type PortalSetup } from '../integrations/support.ts';
import { postForm } from '../support/server.ts';
import { createClient } from '../support/fixtures.ts';

const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

const WIDTH = 390;
const SHOTS = resolve(import.meta.dirname, '../../../../test-output/screenshots');
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

let s: CodeFlowSetup;
let portal: PortalSetup;
let rp: RpServer;
let browser: Browser;
let device: { clientId: string; apiKey: string };

before(async () => {
  mkdirSync(SHOTS, { recursive: true });
  rp = await startRpServer();
  s = await setupCodeFlow(rp.base);
  device = await createClient(s.server.context, { clientId: 'extern.plugin.for-the-accounting-department', grantTypes: [DEVICE_GRANT], scopes: ['openid', 'extern.api'] });
  portal = { server: s.server, issuer: s.issuer, logs: [], cliEnv: { DATABASE_URL: s.server.env.DATABASE_URL!, PROPUSK_ISSUER: s.issuer } };
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
});
after(async () => {
  await browser?.close();
  await s?.server.stop();
  await rp?.close();
});

async function assertFits(page: Page, name: string): Promise<void> {
  await page.waitForLoadState('load');
  const lang = await page.locator('html').getAttribute('lang');
  await page.screenshot({ path: resolve(SHOTS, `phone-${name.replace(/[^a-z0-9]+/gi, '-')}-${lang}.png`), fullPage: true });
  const width = await page.evaluate<number>('document.documentElement.scrollWidth');
  const culprits = width <= WIDTH ? [] : await page.evaluate(`[...document.querySelectorAll('body *')]
    .filter((e) => e.getBoundingClientRect().right > ${WIDTH})
    .slice(0, 5)
    .map((e) => e.tagName.toLowerCase() + (e.className ? '.' + String(e.className).replace(/ /g, '.') : '') + ' ' + Math.round(e.getBoundingClientRect().right))`);
  assert.ok(width <= WIDTH, `${name} (${page.url()}) is ${width} px wide on a ${WIDTH} px screen: ${JSON.stringify(culprits)}`);
}

async function assertOnScreen(control: Locator, name: string): Promise<void> {
  assert.ok(await control.isVisible(), `${name} is visible`);
  const box = await control.boundingBox();
  assert.ok(box && box.x >= 0 && box.x + box.width <= WIDTH, `${name} is on screen: ${JSON.stringify(box)}`);
}

for (const locale of ['ru-RU', 'en-US']) {
  describe(`pages at ${WIDTH} px (${locale})`, () => {
    it('sign-in, consent, /account, the portal, the device and error pages fit the screen', async () => {
      const context = await browser.newContext({ locale, viewport: { width: WIDTH, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 1 });
      const page = await context.newPage();
      try {
        // Sign-in and consent (an application with a long name and client id).
        const redirectUri = `${rp.base}/cb`;
        await page.goto(authorizeUrl(s.issuer, { redirect_uri: redirectUri, scope: 'openid profile email offline_access extern.api', prompt: 'consent' }));
        await page.locator('#password').waitFor();
        await assertFits(page, 'sign-in');
        await page.fill('#login', s.user.login);
        await page.fill('#password', s.user.password);
        await page.locator('form[action*="/login"] button[type="submit"]').click();
        const allow = page.locator('button[name="decision"][value="allow"]');
        await allow.waitFor();
        await assertFits(page, 'consent');
        await allow.click();
        await page.waitForURL((url) => url.href.startsWith(redirectUri));

        // /account: the applications table with Revoke on screen.
        await page.goto(`${s.issuer}/account`);
        await assertFits(page, '/account');
        await assertOnScreen(page.locator('a[href*="/applications/"][href*="/revoke"]').first(), 'Revoke on /account');

        // Device flow: code entry, confirmation, done.
        await page.goto(`${s.issuer}/device`);
        await assertFits(page, 'device code entry');
        const started = await postForm(`${s.issuer}/connect/deviceauthorization`, { client_id: device.clientId, client_secret: device.apiKey, scope: 'openid extern.api' });
        assert.equal(started.status, 200, started.text);
        await page.goto(String(started.json.verification_uri_complete));
        const confirm = page.locator('button[name="confirm"]');
        await confirm.waitFor();
        await assertFits(page, 'device confirmation');
        await confirm.click();
        await page.waitForLoadState('load');
        await assertFits(page, 'device done');

        // An error page with long values.
        await page.goto(authorizeUrl(s.issuer, { redirect_uri: `https://very-long-host-name.integration.example.com/oauth2/callback/${'segment/'.repeat(8)}` }));
        await assertFits(page, 'authorization error');

        // The portal: invitation, application page, key issued, revoke confirmation, list, redirect URIs.
        const clientId = await newClient(portal, { name: 'Бухгалтерия Онлайн для малого и среднего бизнеса' });
        const inv = await invite(portal, clientId, ['--email', s.user.login]);
        await page.goto(inv.url);
        await assertFits(page, 'invitation');
        const accept = page.locator('form[action$="/accept"] button[type="submit"]');
        if (await accept.count()) await accept.click();
        else {
          await page.fill('#login', s.user.login);
          await page.fill('#password', s.user.password);
          await page.locator('form[action$="/sign-in"] button[type="submit"]').click();
        }
        await page.waitForURL((u) => u.pathname === `/integrations/clients/${clientId}`);
        await assertFits(page, 'application page');
        await page.fill('#key-label', 'production-key-for-the-accounting-integration');
        await page.locator(`form[action$="/keys"] button[type="submit"]`).click();
        await page.waitForSelector('#api-key');
        await assertFits(page, 'key issued');
        await page.goto(`${s.issuer}/integrations/clients/${clientId}`);
        await assertFits(page, 'application page with a key');
        const revoke = page.locator('a[href*="/revoke"]').first();
        await assertOnScreen(revoke, 'Revoke on the application page');
        await revoke.click();
        await page.waitForURL((u) => u.pathname.endsWith('/revoke'));
        await assertFits(page, 'revoke confirmation');
        await page.goto(`${s.issuer}/integrations`);
        await assertFits(page, 'application list');
        await page.goto(`${s.issuer}/integrations/clients/${clientId}/redirect-uris`);
        await assertFits(page, 'redirect URIs');

        // The sign-out confirmation of the provider.
        await page.goto(`${s.issuer}/connect/endsession`);
        const yes = page.locator('button[name="logout"]');
        await yes.waitFor();
        await assertFits(page, 'sign-out confirmation');
        await yes.click();
        await page.waitForLoadState('load');
        await assertFits(page, 'signed out');
      } finally {
        await context.close();
      }
      const fresh = await browser.newContext({ locale, viewport: { width: WIDTH, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 1 });
      try {
        const p = await fresh.newPage();
        await p.goto(`${s.issuer}/integrations/sign-in`);
        await assertFits(p, 'portal sign-in');
        await p.goto(`${s.issuer}/account`);
        await assertFits(p, '/account sign-in');
      } finally {
        await fresh.close();
      }
    });
  });
}
