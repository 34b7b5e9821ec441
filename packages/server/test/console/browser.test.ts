/**
 * The console in a real headless Chromium: signing in through Propusk's own page, what each role
 * does with it, and every console page in Russian and English at 1280 and 390 px (no sideways
 * scrolling, no serious or critical axe-core violation), with screenshots in a temp directory.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { TestServer } from '../support/server.ts';
import { capture, launch, screenshotDir, signInInBrowser } from './browser-support.ts';
import { operatorAccount, startConsoleServer, type Person } from './support.ts';

let s: TestServer;
let browser: Browser;
let dir: string;

before(async () => {
  dir = screenshotDir();
  s = await startConsoleServer();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await s?.stop();
});

async function signedIn(person: Person, path?: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ locale: 'ru-RU' });
  const page = await context.newPage();
  await signInInBrowser(page, s.issuer, person, path);
  return { context, page };
}

describe('console in a browser', () => {
  it('the landing page, and the page of an account without a role', async () => {
    const context = await browser.newContext({ locale: 'ru-RU' });
    const page = await context.newPage();
    await page.goto(`${s.issuer}/console`);
    await capture(page, dir, 'landing');
    await signInInBrowser(page, s.issuer, await operatorAccount(s.context, null));
    assert.match(await page.locator('h1').innerText(), /Нет доступа к консоли/);
    await capture(page, dir, 'no-role', { status: 403 });
    await page.getByRole('button', { name: 'Выйти' }).first().click();
    // The provider asks to confirm the sign-out; then the landing page again.
    await page.locator('button[name="logout"]').click();
    await page.waitForURL(`${s.issuer}/console`);
    assert.equal(await page.locator('a[href="/console/sign-in"]').count(), 1);
    await context.close();
  });

  it('an admin sees signing keys and rotates through the confirmation page', async () => {
    const { context, page } = await signedIn(await operatorAccount(s.context, 'admin'), '/console/signing-keys');
    assert.equal(new URL(page.url()).pathname, '/console/signing-keys');
    await capture(page, dir, 'signing-keys');
    const before = await page.locator('tbody tr').count();
    await page.getByRole('link', { name: 'Заменить ключ подписи…' }).click();
    await capture(page, dir, 'signing-keys-rotate');
    await page.getByRole('button', { name: 'Заменить ключ' }).click();
    await page.waitForURL(/\/console\/signing-keys\?rotated=/);
    assert.match(await page.locator('.notice--success').innerText(), /Ключ заменён/);
    assert.equal(await page.locator('tbody tr').count(), before + 1);
    await context.close();
  });

  it('an auditor filters the audit log', async () => {
    await s.context.audit.record({ type: 'signing_key.rotated', actor: 'admin-cli', details: { kid: 'a-rather-long-key-identifier-that-must-wrap-on-a-phone-0123456789' } });
    const { context, page } = await signedIn(await operatorAccount(s.context, 'auditor'), '/console/audit');
    await capture(page, dir, 'audit');
    await page.fill('#audit-type', 'signing_key.');
    await page.getByRole('button', { name: 'Показать' }).click();
    await page.waitForURL(/type=signing_key\./);
    const types = await page.locator('tbody tr td[data-label="Событие"] code').allInnerTexts();
    assert.ok(types.length > 0 && types.every((t) => t === 'signing_key.rotated'), types.join(' '));
    await capture(page, dir, 'audit-filtered');
    await context.close();
  });

  it('a page the role does not allow is a 403 page with the navigation of what it does allow', async () => {
    const { context, page } = await signedIn(await operatorAccount(s.context, 'support'), '/console/signing-keys');
    await capture(page, dir, 'forbidden', { status: 403 });
    const nav = await page.locator('.console-nav a').evaluateAll((links) => links.map((a) => a.getAttribute('href')));
    assert.ok(nav.every((href) => href === '/console/users' || href === '/console/links'), nav.join(' '));
    await context.close();
  });
});
