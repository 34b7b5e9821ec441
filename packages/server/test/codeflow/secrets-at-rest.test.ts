/**
 * Bearer secrets are not kept in the database (brief: "Secrets … are stored hashed or encrypted").
 * An opaque token is its own id, and a session's id is its cookie: after real flows over HTTP —
 * a sign-in with consent, the code exchange, a refresh-token rotation, a device code approved in a
 * browser and redeemed — none of the access tokens, refresh tokens, authorization code, device code
 * or session cookie appears anywhere in the SQLite database's files (the database and its WAL, read
 * as bytes, in any of the encodings a row could hold them in), while each still does its job.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { FormsAgent, paramsOf } from './support/forms-agent.ts';
import { REDIRECT_URI, authorizeUrl, exchangeCode, introspect, newUser, refresh, setupCodeFlow, type CodeFlowSetup } from './support/setup.ts';
import { createClient, createUser } from '../support/fixtures.ts';
import { postForm, startTestServer } from '../support/server.ts';
import { DEVICE_GRANT, approveInBrowser, launchChromium } from '../device/support.ts';

let s: CodeFlowSetup;
let browser: Browser;
before(async () => {
  s = await setupCodeFlow();
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await s.server.stop();
});

/** Every file of a server's SQLite database (main file, WAL, shared memory), as one byte string. */
function databaseBytes(dir = s.server.dir): Buffer {
  return Buffer.concat(
    readdirSync(dir)
      .filter((f) => f.startsWith('propusk.sqlite'))
      .map((f) => readFileSync(join(dir, f))),
  );
}

/** The encodings a stored value could take: as sent, and base64 / base64url of its bytes (a "plain." seal). */
function spellings(value: string): string[] {
  const bytes = Buffer.from(value, 'utf8');
  return [value, bytes.toString('base64url'), bytes.toString('base64').replace(/=+$/, '')];
}

/** The string fields of a token response (each one checked to be there). */
function tokensOf<N extends string>(res: { status: number; text: string; json: Record<string, unknown> }, ...names: N[]): Record<N, string> {
  assert.equal(res.status, 200, res.text);
  const out = {} as Record<N, string>;
  for (const n of names) {
    const v = res.json[n];
    assert.equal(typeof v, 'string', `${n} in ${res.text}`);
    out[n] = v as string;
  }
  return out;
}

function assertNotStored(secrets: Record<string, string>, dir?: string): void {
  const bytes = databaseBytes(dir);
  for (const [what, value] of Object.entries(secrets)) {
    assert.ok(value.length >= 20, `${what} is a real secret: ${value}`);
    for (const spelling of spellings(value)) assert.equal(bytes.indexOf(spelling), -1, `${what} (${spelling}) is in the database`);
  }
}

describe('secrets at rest', () => {
  it('a signed-in session, its code, tokens and rotated refresh tokens are not in the database; all still work', async () => {
    const user = await newUser(s);
    const agent = new FormsAgent(s.issuer);
    const login = await agent.follow(authorizeUrl(s.issuer));
    const consent = await agent.submit(login, '/login', { login: user.login, password: user.password });
    const done = await agent.submit(consent, '/consent', { decision: 'allow' });
    assert.ok(done.url.startsWith(REDIRECT_URI), done.url);
    const code = paramsOf(done.url).code!;
    const session = agent.jar.get('_session');
    assert.ok(session, `a session cookie in ${[...agent.jar.keys()].join(', ')}`);

    const first = tokensOf(await exchangeCode(s, code), 'access_token', 'refresh_token');
    const rotated = tokensOf(await refresh(s, first.refresh_token), 'access_token', 'refresh_token');

    assertNotStored({
      'session cookie': session,
      'authorization code': code,
      'access token': first.access_token,
      'refresh token (rotated away)': first.refresh_token,
      'access token after rotation': rotated.access_token,
      'refresh token after rotation': rotated.refresh_token,
    });

    // Found by their hashes: the tokens work, the session is still signed in, a used code and a
    // rotated refresh token are still recognised as used.
    assert.equal((await introspect(s, rotated.access_token)).active, true);
    assert.equal((await introspect(s, first.access_token)).active, true);
    const again = await agent.follow(authorizeUrl(s.issuer, { prompt: 'none' }));
    assert.ok(paramsOf(again.url).code, `the session signs in silently: ${again.url}`);
    const replayedCode = await exchangeCode(s, code);
    assert.equal(replayedCode.json.error, 'invalid_grant');
    const reused = await refresh(s, first.refresh_token);
    assert.equal(reused.json.error, 'invalid_grant', 'a rotated refresh token is refused');
    assert.equal((await refresh(s, rotated.refresh_token)).json.error, 'invalid_grant', 'and its reuse revoked the grant');
  });

  it('a device code approved through its user code and redeemed is not in the database (kept sealed under the master key)', async () => {
    const masterKey = randomBytes(32).toString('base64');
    const server = await startTestServer({ PROPUSK_MASTER_KEY: masterKey });
    try {
      const ctx = server.context;
      const device = await createClient(ctx, { clientId: 'sealed.plugin', grantTypes: [DEVICE_GRANT, 'refresh_token'], scopes: ['openid', 'extern.api'] });
      const { account, password } = await createUser(ctx);
      const user = { login: account.login, password };
      const auth = await postForm(`${server.issuer}/connect/deviceauthorization`, { client_id: device.clientId, client_secret: device.apiKey, scope: 'openid extern.api' });
      assert.equal(auth.status, 200, auth.text);
      const { device_code: deviceCode, verification_uri_complete: link } = tokensOf(auth, 'device_code', 'verification_uri_complete');
      const pollOnce = () => postForm(`${server.issuer}/connect/token`, { grant_type: DEVICE_GRANT, device_code: deviceCode, client_id: device.clientId, client_secret: device.apiKey });
      assert.equal((await pollOnce()).json.error, 'authorization_pending');
      const polledAt = Date.now();

      const approved = await approveInBrowser(browser, link, user);
      await approved.close();
      // The next poll respects the interval (3 s), or it would be slow_down.
      await new Promise((r) => setTimeout(r, Math.max(0, polledAt + 3_200 - Date.now())));
      const tokens = tokensOf(await pollOnce(), 'access_token', 'refresh_token');

      assertNotStored({ 'device code': deviceCode, 'access token': tokens.access_token, 'refresh token': tokens.refresh_token }, server.dir);
      assert.equal((await pollOnce()).json.error, 'invalid_grant', 'the redeemed device code is recognised as used');
    } finally {
      await server.stop();
    }
  });
});

