/**
 * The token response's `scope` is what the grant allows — OpenID scopes, API scopes and
 * `offline_access` — on the code exchange and on refreshes, so a strict client (oauthlib's
 * "Scope has changed": the set answered must equal the set asked for) accepts it. A refresh token
 * comes with `offline_access` without `prompt=consent`.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { API_SCOPE, exchangeCode, newUser, refresh, setupCodeFlow, signInForCallback, type CodeFlowSetup } from './support/setup.ts';

let s: CodeFlowSetup;
before(async () => {
  s = await setupCodeFlow();
});
after(() => s.server.stop());

/** oauthlib's check: the scope answered, as a set, is the scope asked for. */
function assertSameScope(answered: unknown, asked: string): void {
  assert.equal(typeof answered, 'string', `scope in the response: ${String(answered)}`);
  assert.deepEqual(new Set((answered as string).split(' ')), new Set(asked.split(' ')), `asked "${asked}", answered "${String(answered)}"`);
}

describe('token response scope', () => {
  const ASKED = `openid profile email ${API_SCOPE} offline_access`;

  it('code exchange and refreshes answer everything granted, offline_access included (no prompt=consent)', async () => {
    const { callback } = await signInForCallback(s.issuer, s.user, { scope: ASKED });
    const tokens = await exchangeCode(s, callback.searchParams.get('code')!);
    assert.equal(tokens.status, 200, tokens.text);
    assertSameScope(tokens.json.scope, ASKED);
    assert.equal(typeof tokens.json.refresh_token, 'string', 'a refresh token for offline_access');

    const refreshed = await refresh(s, String(tokens.json.refresh_token));
    assert.equal(refreshed.status, 200, refreshed.text);
    assertSameScope(refreshed.json.scope, ASKED);

    // A refresh that names fewer scopes is answered with those.
    const narrowed = await refresh(s, String(refreshed.json.refresh_token), { scope: 'openid profile email' });
    assert.equal(narrowed.status, 200, narrowed.text);
    assertSameScope(narrowed.json.scope, 'openid profile email');
  });

  it('the refresh token of offline_access outlives the sign-in session (no prompt=consent)', async () => {
    const short = await setupCodeFlow(undefined, { PROPUSK_SESSION_TTL: '2' });
    try {
      const { callback } = await signInForCallback(short.issuer, short.user, { scope: ASKED });
      const tokens = await exchangeCode(short, callback.searchParams.get('code')!);
      assert.equal(tokens.status, 200, tokens.text);
      await new Promise((r) => setTimeout(r, 2500));
      const refreshed = await refresh(short, String(tokens.json.refresh_token));
      assert.equal(refreshed.status, 200, refreshed.text);
      assertSameScope(refreshed.json.scope, ASKED);
    } finally {
      await short.server.stop();
    }
  });

  it('without offline_access: the scope says what was asked, and the refresh token ends with the sign-in session', async () => {
    const asked = `openid profile email ${API_SCOPE}`;
    const { callback, agent } = await signInForCallback(s.issuer, await newUser(s), { scope: asked });
    const tokens = await exchangeCode(s, callback.searchParams.get('code')!);
    assert.equal(tokens.status, 200, tokens.text);
    assertSameScope(tokens.json.scope, asked);
    assert.equal(typeof tokens.json.refresh_token, 'string', 'the client has the refresh grant');
    const confirm = await agent.follow(`${s.issuer}/connect/endsession?id_token_hint=${String(tokens.json.id_token)}`);
    assert.equal(confirm.status, 200, confirm.html);
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(confirm.html)?.[1];
    assert.ok(xsrf, 'the confirmation form carries xsrf');
    const done = await agent.submit(confirm, 'endsession', { xsrf, logout: 'yes' });
    assert.equal(done.status, 200, done.html);
    const refreshed = await refresh(s, String(tokens.json.refresh_token));
    assert.equal(refreshed.json.error, 'invalid_grant', refreshed.text);
  });

  it('an extra authorization parameter cannot add offline_access', async () => {
    const asked = `openid ${API_SCOPE}`;
    const { callback } = await signInForCallback(s.issuer, s.user, { scope: asked, propusk_offline_access: '1' });
    const tokens = await exchangeCode(s, callback.searchParams.get('code')!);
    assert.equal(tokens.status, 200, tokens.text);
    assertSameScope(tokens.json.scope, asked);
  });

  it('with prompt=consent too', async () => {
    const { callback } = await signInForCallback(s.issuer, s.user, { scope: ASKED, prompt: 'consent' });
    const tokens = await exchangeCode(s, callback.searchParams.get('code')!);
    assert.equal(tokens.status, 200, tokens.text);
    assertSameScope(tokens.json.scope, ASKED);
  });
});
