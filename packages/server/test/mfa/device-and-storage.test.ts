/**
 * The device flow's approval takes the account's second factor, and the tokens it yields say so; and
 * nothing of a second factor is kept in clear: with a master key, neither the TOTP secret (base32
 * or raw) nor any recovery code (as shown or as typed) appears in the database's files.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import * as OTPAuth from 'otpauth';
import { DEVICE_GRANT, introspect, launchChromium, newDeviceCode, poll, setupDevice, type DeviceSetup } from '../device/support.ts';
import { freshStep, totpCode } from './support.ts';

let s: DeviceSetup;
let browser: Browser;
before(async () => {
  s = await setupDevice({ PROPUSK_MASTER_KEY: randomBytes(32).toString('base64'), PROPUSK_SIGN_IN_DELAY_MS: '0' });
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await s.server.stop();
});

describe('second factor in the device flow', () => {
  it('approval asks for the code after the password; the token carries amr pwd+otp+mfa and acr mfa', async () => {
    await freshStep();
    const ctx = s.server.context;
    const account = { id: s.user.id, login: s.user.login };
    const begun = (await ctx.secondFactors.beginTotp(account))!;
    assert.ok((await ctx.secondFactors.confirmTotp(account, totpCode(begun.secret), { actor: `account:${account.id}` })).ok);

    const auth = await newDeviceCode(s);
    const context = await browser.newContext({ locale: 'en-US' });
    const page = await context.newPage();
    await page.goto(auth.verification_uri_complete);
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.fill('input[name="login"]', s.user.login);
    await page.fill('input[name="password"]', s.user.password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.locator('#code').waitFor();
    await page.fill('#code', totpCode(begun.secret, 1));
    await page.locator('form[action*="/second-factor"] button[type="submit"]').click();
    await page.waitForSelector('button[name="decision"]');
    await page.click('button[name="decision"][value="allow"]');
    await page.waitForURL((u) => /^\/device\/[^/]+$/.test(u.pathname));
    await context.close();

    const tokens = await poll(s, auth.device_code);
    assert.equal(tokens.status, 200, tokens.text);
    const info = await introspect(s, String(tokens.json.access_token));
    assert.equal(info.json.active, true);
    assert.deepEqual(info.json.amr, ['pwd', 'otp', 'mfa']);
    assert.equal(info.json.acr, 'urn:propusk:acr:mfa');
    // A refreshed token keeps the authentication context.
    const refreshed = await (await import('../support/server.ts')).postForm(`${s.issuer}/connect/token`, {
      grant_type: 'refresh_token',
      refresh_token: String(tokens.json.refresh_token),
      client_id: s.device.clientId,
      client_secret: s.device.apiKey,
    });
    assert.equal(refreshed.status, 200, refreshed.text);
    const again = await introspect(s, String(refreshed.json.access_token));
    assert.deepEqual(again.json.amr, ['pwd', 'otp', 'mfa']);
    assert.ok(DEVICE_GRANT);
  });
});

describe('second factors at rest', () => {
  it('no TOTP secret or recovery code is in clear in the database', async () => {
    const ctx = s.server.context;
    const { account } = { account: await ctx.accounts.create({ login: `rest-${randomBytes(4).toString('hex')}@example.com`, password: 'a-long-password-1' }, 'admin-cli') };
    const begun = (await ctx.secondFactors.beginTotp(account))!;
    const confirmed = await ctx.secondFactors.confirmTotp(account, totpCode(begun.secret), { actor: 'admin-cli' });
    assert.ok(confirmed.ok && confirmed.recoveryCodes);
    const codes = confirmed.recoveryCodes;
    await ctx.db.selectFrom('account').select('id').execute(); // the writes above are committed
    const bytes = Buffer.concat(
      readdirSync(s.server.dir)
        .filter((f) => f.startsWith('propusk.sqlite'))
        .map((f) => readFileSync(join(s.server.dir, f))),
    );
    const raw = Buffer.from(OTPAuth.Secret.fromBase32(begun.secret).bytes);
    assert.equal(bytes.indexOf(begun.secret), -1, 'base32 secret');
    assert.equal(bytes.indexOf(raw), -1, 'raw secret');
    assert.equal(bytes.indexOf(Buffer.from(begun.secret).toString('base64')), -1, 'base64 of the secret');
    for (const code of codes) {
      assert.equal(bytes.indexOf(code), -1, code);
      assert.equal(bytes.indexOf(code.replace('-', '')), -1, code);
    }
    const row = await ctx.db.selectFrom('account_totp').select('secret').where('account_id', '=', account.id).executeTakeFirstOrThrow();
    assert.match(row.secret, /^v1\./, 'sealed with the master key');
  });
});
