/**
 * The console in a real headless Chromium: signing in through Propusk's own page, what each role
 * does with it (resetting a user's two-step verification among it), and every console page in
 * Russian and English at 1280 and 390 px (no sideways scrolling, no serious or critical axe-core
 * violation), with screenshots in a temp directory.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { TestServer } from '../support/server.ts';
import { capture, launch, screenshotDir, signInInBrowser } from './browser-support.ts';
import { operatorAccount, startConsoleServer, type Person } from './support.ts';
import { claims, createPartner, requestToken, sign } from '../trusted/support.ts';
import { createClient, createUser, enrolTotp } from '../support/fixtures.ts';
import { basic, postForm } from '../support/server.ts';

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

/** What introspection says of a token of the Extern API (with its own credentials). */
async function introspectAs(server: TestServer, token: string): Promise<Record<string, unknown>> {
  const rs = await server.context.clients.issueKey('rs.extern.api', undefined, null);
  return (await postForm(`${server.url}/connect/introspect`, { token }, { authorization: basic(rs.client_id, rs.api_key) })).json;
}

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

  it('an admin issues an api-key (shown once: a reload shows no new key) and revokes it through the confirmation page', async () => {
    const ctx = s.context;
    await createPartner(ctx, 'acme.partner');
    await createClient(ctx, { clientId: 'acme.web', name: 'Бухгалтерия Онлайн', grantTypes: ['authorization_code'], redirectUris: ['https://app.example.com/cb'], scopes: ['openid', 'extern.api'] });
    const { context, page } = await signedIn(await operatorAccount(ctx, 'admin'), '/console/clients');
    await capture(page, dir, 'clients');
    await page.getByRole('link', { name: 'acme.partner' }).click();
    await page.waitForURL(/\/console\/clients\/acme\.partner$/);
    await capture(page, dir, 'client');
    const keysBefore = await ctx.clients.listKeys('acme.partner');

    await page.fill('#key-label', 'сервер отчётов');
    await page.getByRole('button', { name: 'Выпустить ключ' }).click();
    await page.waitForURL(/\/console\/clients\/acme\.partner\/keys\/[^/]+$/);
    const shown = (await page.locator('#secret').innerText()).trim();
    assert.match(shown, /\S{20,}/);
    const keyId = decodeURIComponent(new URL(page.url()).pathname.split('/').pop()!);
    await page.reload();
    assert.equal((await page.locator('#secret').innerText()).trim(), shown, 'a reload shows the same key');
    // Every language and width of the page shows the same key again and issues nothing.
    await capture(page, dir, 'client-key-issued');
    assert.equal((await page.locator('#secret').innerText()).trim(), shown);
    const keysAfter = await ctx.clients.listKeys('acme.partner');
    assert.equal(keysAfter.length, keysBefore.length + 1, 'exactly one more key');
    assert.ok(keysAfter.some((k) => k.id === keyId && k.label === 'сервер отчётов'));
    // The key works at the token endpoint.
    const token = await fetch(`${s.issuer}/connect/token`, { method: 'POST', body: new URLSearchParams({ grant_type: 'client_credentials', client_id: 'acme.partner', client_secret: shown, scope: 'extern.api' }) });
    assert.notEqual(token.status, 401, 'the key authenticates the client');

    await page.getByRole('link', { name: 'Готово, я сохранил(а)' }).click();
    await page.waitForURL(/\/console\/clients\/acme\.partner$/);
    await page.goBack();
    assert.doesNotMatch(await page.content(), new RegExp(shown), 'Back does not bring the key back');
    assert.match(await page.locator('h1').innerText(), /Показывается только один раз|Shown only once/);
    await page.goto(`${s.issuer}/console/clients/acme.partner`);

    const row = page.locator('tbody tr', { hasText: keyId });
    await row.getByRole('link', { name: 'Отозвать ключ' }).click();
    await page.waitForURL(/\/revoke$/);
    await capture(page, dir, 'client-key-revoke');
    assert.match(await page.locator('.card').innerText(), new RegExp(keyId));
    await page.getByRole('button', { name: 'Отозвать ключ' }).click();
    await page.waitForURL(/\/console\/clients\/acme\.partner\?done=key-revoked$/);
    assert.match(await page.locator('.notice--success').innerText(), /Ключ отозван/);
    assert.ok((await ctx.clients.listKeys('acme.partner')).find((k) => k.id === keyId)?.revokedAt, 'revoked');
    const refused = await fetch(`${s.issuer}/connect/token`, { method: 'POST', body: new URLSearchParams({ grant_type: 'client_credentials', client_id: 'acme.partner', client_secret: shown, scope: 'extern.api' }) });
    assert.equal(refused.status, 401);

    // The other pages of a client.
    for (const [link, name] of [
      ['Отключить клиента', 'client-disable'],
      ['Отозвать токены', 'client-revoke-tokens'],
    ] as const) {
      await page.goto(`${s.issuer}/console/clients/acme.partner`);
      await page.getByRole('link', { name: link }).click();
      await capture(page, dir, name);
    }
    await page.goto(`${s.issuer}/console/clients/acme.partner`);
    await page.locator('tbody tr', { hasText: 'acme.partner-1' }).getByRole('link', { name: 'Удалить ключ' }).click();
    await capture(page, dir, 'client-partner-key-remove');
    await page.goto(`${s.issuer}/console/clients/acme.partner`);
    await page.fill('#invite-email', 'owner@example.com');
    await page.getByRole('button', { name: 'Создать ссылку-приглашение' }).click();
    await page.waitForURL(/\/invitations\/[^/]+$/);
    assert.match(await page.locator('#secret').innerText(), /\/integrations\/invitations\//);
    await capture(page, dir, 'client-invitation');
    await page.goto(`${s.issuer}/console/clients/acme.web`);
    await page.getByRole('link', { name: 'Изменить адреса возврата' }).click();
    await capture(page, dir, 'client-redirect-uris');
    await page.fill('#redirect-uris', 'https://app.example.com/cb\nhttps://app.example.com/cb2');
    await page.getByRole('button', { name: 'Сохранить' }).click();
    await page.waitForURL(/done=redirect-uris/);
    assert.deepEqual((await ctx.clients.get('acme.web')).redirectUris, ['https://app.example.com/cb', 'https://app.example.com/cb2']);
    await context.close();
  });

  it('an admin creates an API and sees its introspection secret once', async () => {
    const { context, page } = await signedIn(await operatorAccount(s.context, 'admin'), '/console/apis');
    await capture(page, dir, 'apis');
    await page.fill('#api-scope', 'billing.api');
    await page.fill('#api-name', 'Биллинг');
    await page.getByRole('button', { name: 'Создать API' }).click();
    await page.waitForURL(/\/console\/apis\/billing\.api\/created$/);
    const secret = (await page.locator('#secret').innerText()).trim();
    await capture(page, dir, 'api-created');
    const introspected = await fetch(`${s.issuer}/connect/introspect`, { method: 'POST', headers: { authorization: `Basic ${Buffer.from(`rs.billing.api:${secret}`).toString('base64')}` }, body: new URLSearchParams({ token: 'x' }) });
    assert.equal(introspected.status, 200, 'the secret authenticates the introspection client');
    await context.close();
  });

  it('support finds a user, links a partner\'s user id, and the partner\'s trusted grant then returns a token for that user', async () => {
    const ctx = s.context;
    const partner = await createPartner(ctx, 'acme.trusted');
    const { account } = await createUser(ctx, { login: `ivan-${Date.now()}@example.com` });
    const { context, page } = await signedIn(await operatorAccount(ctx, 'support'), '/console/users');
    const before = await requestToken(s, partner, await sign(partner, claims(partner, 'partner-user-42')));
    assert.notEqual(before.status, 200, 'not linked yet');

    await page.fill('#user-query', account.login);
    await page.getByRole('button', { name: 'Найти' }).click();
    await page.waitForURL(/\/console\/users\?query=/);
    await capture(page, dir, 'users');
    await page.getByRole('link', { name: account.login }).click();
    await page.waitForURL(new RegExp(`/console/users/${account.id}$`));
    await capture(page, dir, 'user');
    await page.getByRole('link', { name: 'Связать с пользователем партнёра' }).click();
    await page.waitForURL(/\/console\/links\?user=/);
    assert.equal(await page.locator('#link-user').inputValue(), account.login);
    const partners = await page.locator('#trusted-partners option').evaluateAll((o) => o.map((x) => x.getAttribute('value')));
    assert.ok(partners.includes('acme.trusted') && !partners.includes('acme.web'), `the trusted partners to choose from: ${partners.join(' ')}`);
    await page.fill('#link-client', 'acme.trusted');
    await page.fill('#link-service-user', 'partner-user-42');
    await page.getByRole('button', { name: 'Связать', exact: true }).click();
    await page.waitForURL(/done=linked/);
    assert.match(await page.locator('.notice--success').innerText(), /Связь создана/);
    assert.match(await page.locator('tbody').innerText(), /partner-user-42/);
    await capture(page, dir, 'links');

    const granted = await requestToken(s, partner, await sign(partner, claims(partner, 'partner-user-42')));
    assert.equal(granted.status, 200, granted.text);
    const introspected = await introspectAs(s, String(granted.json.access_token));
    assert.equal(introspected.sub, account.id, 'the token is the linked user\'s');

    // Unlinking goes through its confirmation; then the grant is refused again.
    await page.locator('tbody tr', { hasText: 'partner-user-42' }).getByRole('link', { name: 'Разорвать связь' }).click();
    await page.waitForURL(/\/remove\?/);
    await capture(page, dir, 'links-unlink');
    await page.getByRole('button', { name: 'Разорвать связь' }).click();
    await page.waitForURL(/done=unlinked/);
    const refused = await requestToken(s, partner, await sign(partner, claims(partner, 'partner-user-42')));
    assert.notEqual(refused.status, 200);

    // The user's other pages: the confirmations and the set-password link.
    await page.goto(`${s.issuer}/console/users/${account.id}`);
    await page.getByRole('link', { name: 'Отозвать сеансы и токены' }).click();
    await capture(page, dir, 'user-revoke-tokens');
    await page.goto(`${s.issuer}/console/users/${account.id}`);
    await page.getByRole('link', { name: 'Отключить учётную запись' }).click();
    await capture(page, dir, 'user-disable');
    await page.goto(`${s.issuer}/console/users/${account.id}`);
    await page.getByRole('button', { name: 'Ссылка для установки пароля' }).click();
    await page.waitForURL(/\/password-link$/);
    assert.match(await page.locator('#secret').innerText(), /\/account\/set-password\//);
    await capture(page, dir, 'user-password-link');
    await context.close();
  });

  it('support resets a user\'s two-step verification through the confirmation page', async () => {
    const { account } = await createUser(s.context);
    await enrolTotp(s.context, account);
    const { context, page } = await signedIn(await operatorAccount(s.context, 'support'), `/console/users/${account.id}`);
    await capture(page, dir, 'user-mfa');
    assert.match(await page.locator('dl').first().innerText(), /приложение-аутентификатор, резервных кодов: 10/);
    await page.getByRole('link', { name: 'Сбросить двухэтапную проверку' }).click();
    await capture(page, dir, 'user-reset-mfa');
    await page.getByRole('button', { name: 'Сбросить двухэтапную проверку' }).click();
    await page.waitForURL(/\?done=mfa-reset$/);
    assert.match(await page.locator('.notice--success').innerText(), /Двухэтапная проверка сброшена/);
    assert.equal((await s.context.secondFactors.summary(account.id)).totp, false);
    await context.close();
  });

  it('an auditor filters the audit log', async () => {
    await s.context.audit.record({ type: 'signing_key.rotated', actor: 'admin-cli', details: { kid: 'a-rather-long-key-identifier-that-must-wrap-on-a-phone-0123456789', alg: 'RS256' } });
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
