/**
 * A new api-key and a new invitation link are shown once, after a redirect (post/redirect/get):
 * in Chromium, reloading the page shows the same secret and issues nothing, the language switch
 * shows it in the other language (no 405), and once the person has left the page neither Back nor
 * the URL brings it back.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { acceptAs, invite, newClient, newUser, setupPortal, type PortalSetup } from './support.ts';

const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

let s: PortalSetup;
let browser: Browser;
before(async () => {
  s = await setupPortal();
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
});
after(async () => {
  await browser?.close();
  await s?.server.stop();
});

/** A client owned by a new user, and a Chromium page signed in to the portal as that user on the client's page. */
async function ownerOnClientPage(): Promise<{ page: Page; clientId: string }> {
  const clientId = await newClient(s);
  const user = await newUser(s);
  await acceptAs(s, (await invite(s, clientId, ['--email', user.login])).url, user);
  const page = await browser.newPage({ locale: 'ru-RU' });
  await page.goto(`${s.issuer}/integrations/sign-in`);
  await page.fill('input[name=login]', user.login);
  await page.fill('input[name=password]', user.password);
  await Promise.all([page.waitForURL(`${s.issuer}/integrations`), page.click('form[action*="/integrations/sign-in"] button[type=submit]')]);
  await page.goto(`${s.issuer}/integrations/clients/${clientId}`);
  return { page, clientId };
}

const keyOn = (page: Page) => page.locator('code#api-key').innerText();
const switchLanguage = async (page: Page) => {
  const before = await page.locator('html').getAttribute('lang');
  await page.click('a.lang-switch');
  await page.waitForFunction(`document.documentElement.lang !== ${JSON.stringify(before)}`);
};

describe('one-time secrets in the portal (Chromium)', () => {
  it('a new api-key: reload and language switch show the same key and issue nothing; after leaving, it is gone', async () => {
    const { page, clientId } = await ownerOnClientPage();
    try {
      const keysBefore = (await s.server.context.clients.listKeys(clientId)).length;
      await page.fill('input[name=label]', 'ci');
      await Promise.all([page.waitForURL(/\/keys\/[^/]+$/), page.click(`form[action$="/clients/${clientId}/keys"] button[type=submit]`)]);
      const key = await keyOn(page);
      assert.match(key, /^[0-9a-f-]{36}$/);
      const shownAt = page.url();
      assert.equal((await s.server.context.clients.listKeys(clientId)).length, keysBefore + 1);

      const reloaded = await page.reload();
      assert.equal(reloaded?.status(), 200);
      assert.equal(await keyOn(page), key, 'a reload shows the same key');
      assert.equal((await s.server.context.clients.listKeys(clientId)).length, keysBefore + 1, 'a reload issues nothing');

      await switchLanguage(page);
      assert.equal(await page.locator('html').getAttribute('lang'), 'en');
      assert.equal(await keyOn(page), key, 'the language switch keeps the key');
      assert.equal((await s.server.context.clients.listKeys(clientId)).length, keysBefore + 1);

      await page.goto(`${s.issuer}/integrations/clients/${clientId}`);
      await page.goBack();
      assert.equal(await page.locator('code#api-key').count(), 0, 'Back does not show the key again');
      const again = await page.goto(shownAt);
      assert.equal(again?.status(), 410);
      assert.equal(await page.locator('code#api-key').count(), 0);
      assert.equal((await s.server.context.clients.listKeys(clientId)).length, keysBefore + 1);
    } finally {
      await page.close();
    }
  });

  it('a new invitation link: the same, and the invitation is created once', async () => {
    const { page, clientId } = await ownerOnClientPage();
    try {
      const created = async () => (await s.server.context.audit.tail({ type: 'integration.invitation_created', limit: 1000 })).filter((e) => e.clientId === clientId).length;
      const before = await created();
      await Promise.all([page.waitForURL(/\/invitations\/[^/]+$/), page.click(`form[action$="/clients/${clientId}/invitations"] button[type=submit]`)]);
      const link = await page.locator('code#invitation-url').innerText();
      assert.ok(link.startsWith(`${s.issuer}/integrations/invitations/`));
      await page.reload();
      assert.equal(await page.locator('code#invitation-url').innerText(), link);
      await switchLanguage(page);
      assert.equal(await page.locator('code#invitation-url').innerText(), link);
      assert.equal(await created(), before + 1, 'one invitation, whatever the reloads');
      const shownAt = page.url();
      await page.goto(`${s.issuer}/integrations`);
      assert.equal((await page.goto(shownAt))?.status(), 410);
    } finally {
      await page.close();
    }
  });

  it('the shown-once page is not for another session: a copied URL answers 410', async () => {
    const { page, clientId } = await ownerOnClientPage();
    try {
      await Promise.all([page.waitForURL(/\/keys\/[^/]+$/), page.click(`form[action$="/clients/${clientId}/keys"] button[type=submit]`)]);
      const url = page.url();
      const cookies = await page.context().cookies();
      const other = await browser.newPage();
      // The portal session only, not the one-time secret cookie: what a colleague signed in as the same account would have.
      await other.context().addCookies(cookies.filter((c) => c.name !== 'propusk.portal.secret'));
      assert.equal((await other.goto(url))?.status(), 410);
      await other.close();
    } finally {
      await page.close();
    }
  });
});
