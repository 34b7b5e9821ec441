/**
 * The integrator portal in a real headless Chromium: the manager's invitation link → sign in →
 * Issue key → the key works at /connect/token → Revoke (confirm) → it is refused. Screenshots of
 * every portal page (ru and en) go to test-output/screenshots/ at the repository root.
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { clientCredentials, invite, newClient, newUser, setupPortal, type PortalSetup } from './support.ts';

const SHOTS = resolve(import.meta.dirname, '../../../../test-output/screenshots');
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

let s: PortalSetup;
let browser: Browser;

before(async () => {
  mkdirSync(SHOTS, { recursive: true });
  s = await setupPortal();
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
});
after(async () => {
  await browser?.close();
  await s?.server.stop();
});

const shot = (page: Page, name: string) => page.screenshot({ path: resolve(SHOTS, `${name}.png`), fullPage: true });
const lang = (page: Page) => page.locator('html').getAttribute('lang');

/** Clicks the language switch and waits for the page in the other language. */
async function switchLanguage(page: Page): Promise<void> {
  const current = await lang(page);
  await page.click('a.lang-switch');
  await page.waitForFunction(`document.documentElement.lang !== ${JSON.stringify(current)}`);
}

/** Screenshots the page in its language, switches, screenshots the other one. */
async function bothLanguages(page: Page, name: string): Promise<void> {
  await shot(page, `${name}-${await lang(page)}`);
  await switchLanguage(page);
  await shot(page, `${name}-${await lang(page)}`);
}

describe('integrator portal in a browser', () => {
  let context: BrowserContext;
  let page: Page;

  before(async () => {
    context = await browser.newContext({ locale: 'ru-RU', viewport: { width: 1100, height: 800 } });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: s.issuer });
    page = await context.newPage();
  });
  after(() => context.close());

  it('invitation → sign in → Issue key → token → Revoke → refused', async () => {
    const clientId = await newClient(s, { name: 'Бухгалтерия Онлайн' });
    const user = await newUser(s);
    const inv = await invite(s, clientId, ['--email', user.login]);

    // The invitation page: which application, for whom; Russian first (Accept-Language), then English.
    await page.goto(inv.url);
    assert.equal(await lang(page), 'ru');
    assert.match(await page.locator('.card__lead').innerText(), /Бухгалтерия Онлайн/);
    assert.ok((await page.locator('main').innerText()).includes(user.login));
    assert.equal(await page.locator('#signup-email').count(), 0, 'no sign-up without --allow-signup');
    await bothLanguages(page, 'integrations-invitation');
    assert.equal(await lang(page), 'en');

    await page.fill('#login', user.login);
    await page.fill('#password', user.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((u) => u.pathname === `/integrations/clients/${clientId}`);
    assert.equal(await page.locator('h1').innerText(), 'Бухгалтерия Онлайн');
    await bothLanguages(page, 'integrations-client');
    await switchLanguage(page);
    assert.equal(await lang(page), 'en');

    // Issue key: the GUID shown once, with a copy button and a warning.
    await page.fill('#key-label', 'production');
    await page.getByRole('button', { name: 'Issue key' }).click();
    await page.waitForSelector('#api-key');
    const apiKey = (await page.locator('#api-key').innerText()).trim();
    assert.match(apiKey, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    assert.match(await page.locator('.notice--warning').innerText(), /shown only once/);
    await page.getByRole('button', { name: 'Copy' }).click();
    assert.equal(await page.evaluate('navigator.clipboard.readText()'), apiKey);
    await shot(page, 'integrations-key-issued-en');

    const ok = await clientCredentials(s, clientId, apiKey);
    assert.equal(ok.status, 200, ok.text);
    assert.ok(ok.json.access_token);

    // Back on the application page the key is listed by id and label, never shown.
    await page.getByRole('link', { name: 'I have saved the key' }).click();
    await page.waitForURL((u) => u.pathname === `/integrations/clients/${clientId}`);
    assert.ok(!(await page.content()).includes(apiKey));
    assert.match(await page.locator('table').innerText(), /production/);

    // Revoke, with the confirmation step.
    await page.getByRole('link', { name: 'Revoke' }).click();
    await page.waitForURL((u) => u.pathname.endsWith('/revoke'));
    assert.ok(!(await page.content()).includes(apiKey));
    await bothLanguages(page, 'integrations-revoke');
    await page.getByRole('button', { name: 'Отозвать ключ' }).click();
    await page.waitForURL((u) => u.pathname === `/integrations/clients/${clientId}`);
    assert.match(await page.locator('.notice--success').innerText(), /отозван/);

    const refused = await clientCredentials(s, clientId, apiKey);
    assert.equal(refused.status, 401);
    assert.equal(refused.json.error, 'invalid_client');

    // The other portal pages, for the record: the list, the redirect-URI editor, a used link.
    await page.goto(`${s.issuer}/integrations`);
    assert.ok((await page.locator('table').innerText()).includes(clientId));
    await bothLanguages(page, 'integrations-list');
    await page.goto(`${s.issuer}/integrations/clients/${clientId}/redirect-uris`);
    await page.fill('#redirect-uris', 'https://acme.example/cb\nhttp://example.com/cb');
    await page.locator('form[action$="/redirect-uris"] button[type="submit"]').click();
    await page.waitForSelector('.field__error');
    await bothLanguages(page, 'integrations-redirect-uris-error');
    for (const l of ['ru', 'en']) {
      const used = await page.goto(`${inv.url}?lang=${l}`);
      assert.equal(used?.status(), 410);
      assert.equal(await lang(page), l);
      await shot(page, `integrations-invitation-used-${l}`);
    }

    // A second key, issued on the Russian page, works alongside (rotation without downtime).
    await page.goto(`${s.issuer}/integrations/clients/${clientId}?lang=ru`);
    await page.getByRole('button', { name: 'Выпустить ключ' }).click();
    await page.waitForSelector('#api-key');
    assert.match(await page.locator('.notice--warning').innerText(), /показывается один раз/);
    await shot(page, 'integrations-key-issued-ru');
    const second = (await page.locator('#api-key').innerText()).trim();
    assert.notEqual(second, apiKey);
    assert.equal((await clientCredentials(s, clientId, second)).status, 200);

    // Sign out: the portal asks to sign in again.
    await page.goto(`${s.issuer}/integrations`);
    await page.locator('form.portal-user button').click();
    await page.waitForURL((u) => u.pathname === '/integrations/sign-in');
    await bothLanguages(page, 'integrations-sign-in');
  });

  it('sign-up on an invitation that allows it', async () => {
    const clientId = await newClient(s);
    const inv = await invite(s, clientId, ['--allow-signup']);
    const fresh = await browser.newContext({ locale: 'en-US' });
    const p = await fresh.newPage();
    await p.goto(inv.url);
    await bothLanguages(p, 'integrations-invitation-signup');
    await p.fill('#signup-email', 'browser.integrator@example.com');
    await p.fill('#signup-password', 'a-long-enough-password');
    await p.locator('form[action$="/sign-up"] button[type="submit"]').click();
    await p.waitForURL((u) => u.pathname === `/integrations/clients/${clientId}`);
    const account = await s.server.context.accounts.resolve('browser.integrator@example.com');
    assert.ok(await s.server.context.integrations.isOwner(clientId, account.id));
    await fresh.close();
  });
});
