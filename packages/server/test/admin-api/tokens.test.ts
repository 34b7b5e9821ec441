/**
 * Token checks of the management API: each refusal is the RFC 6750 answer (status, challenge,
 * `error`) inside a problem document. Missing, malformed, wrong audience, expired, revoked (within
 * the 5 s token cache), a disabled operator, and a person's token issued to a third-party client.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { postForm } from '../support/server.ts';
import { createClient } from '../support/fixtures.ts';
import { setupCodeFlow, pkce, REDIRECT_URI, type CodeFlowSetup } from '../codeflow/support/setup.ts';
import { FormsAgent, formOf } from '../codeflow/support/forms-agent.ts';
import { eventually } from '../cluster/support.ts';
import { api, clientCredentialsToken, machineOperator } from './support.ts';

const challengeOf = (res: { headers: Headers }) => res.headers.get('www-authenticate') ?? '';

/**
 * Signs `user` in for `clientId` (consenting if asked) and returns the authorization code from the
 * redirect to `redirectUri`, without following it.
 */
async function codeFor(issuer: string, user: { login: string; password: string }, params: Record<string, string>, redirectUri: string): Promise<{ code: string; consentPage: boolean }> {
  let consentPage = false;
  const agent = new FormsAgent(issuer);
  const url = new URL('/connect/authorize', issuer);
  for (const [k, v] of Object.entries({ response_type: 'code', state: randomBytes(8).toString('hex'), nonce: randomBytes(8).toString('hex'), redirect_uri: redirectUri, ...params })) url.searchParams.set(k, v);
  let res = await agent.request(url.href);
  let current = url.href;
  let html = '';
  for (let step = 0; step < 20; step++) {
    if (res.status >= 300 && res.status < 400) {
      const next = new URL(res.headers.get('location')!, current).href;
      if (next.startsWith(redirectUri)) {
        const code = new URL(next).searchParams.get('code');
        assert.ok(code, `no code in ${next}`);
        return { code, consentPage };
      }
      current = next;
      res = await agent.request(next);
      continue;
    }
    html = await res.text();
    const form = /name="decision"/.test(html) ? 'consent' : 'login';
    if (form === 'consent') consentPage = true;
    const page = { url: current, status: res.status, headers: res.headers, html };
    const fields: Record<string, string> = form === 'login' ? { login: user.login, password: user.password } : { decision: 'allow' };
    const f = formOf(page.html, `/${form}`);
    current = new URL(f.action, current).href;
    res = await agent.request(current, { form: { csrf: f.csrf, ...fields } });
  }
  assert.fail(`no redirect to ${redirectUri}: ${html.slice(0, 500)}`);
}

describe('management API: token checks', () => {
  let s: CodeFlowSetup;
  let url: string;

  before(async () => {
    s = await setupCodeFlow();
    url = s.server.url;
    await s.server.context.roles.grant({ account: s.user.login }, 'admin', 'admin-cli');
  });
  after(() => s.server.stop());

  it('missing: 401 with a bare Bearer challenge', async () => {
    const res = await api(url, null, 'GET', '/signing-keys');
    assert.equal(res.status, 401);
    assert.equal(challengeOf(res), 'Bearer realm="propusk.admin"');
    assert.equal(res.json.type, 'urn:propusk:problem:invalid-token');
  });

  it('malformed Authorization: 400 invalid_request', async () => {
    const res = await api(url, null, 'GET', '/signing-keys', undefined, { authorization: 'Bearer a b' });
    assert.equal(res.status, 400);
    assert.match(challengeOf(res), /error="invalid_request"/);
    assert.equal(res.json.error, 'invalid_request');
  });

  it('unknown token: 401 invalid_token', async () => {
    const res = await api(url, `${randomBytes(32).toString('base64url')}`, 'GET', '/signing-keys');
    assert.equal(res.status, 401);
    assert.match(challengeOf(res), /error="invalid_token"/);
  });

  it('a token for another API (extern.api): 401 invalid_token', async () => {
    const other = await createClient(s.server.context, { clientId: 'tok.extern', scopes: ['extern.api'] });
    const res = await api(url, await clientCredentialsToken(url, other.clientId, other.apiKey, 'extern.api'), 'GET', '/signing-keys');
    assert.equal(res.status, 401);
    assert.match(challengeOf(res), /error="invalid_token"/);
  });

  it('revoked: refused within the 5 s token cache', async () => {
    const operator = await machineOperator(s.server.context, url, 'tok.revoked', 'auditor');
    assert.equal((await api(url, operator.token, 'GET', '/signing-keys')).status, 200); // now cached as valid
    const revoked = await postForm(`${url}/connect/revocation`, { token: operator.token, client_id: operator.clientId, client_secret: operator.apiKey });
    assert.equal(revoked.status, 200);
    const { afterMs } = await eventually('revoked token refused', 7000, async () => {
      const res = await api(url, operator.token, 'GET', '/signing-keys');
      return res.status === 401 ? res : undefined;
    });
    assert.ok(afterMs <= 5500, `refused after ${afterMs} ms`);
  });

  it('expired: 401 invalid_token', async () => {
    const ctx = s.server.context;
    // Setup: this API's tokens live 1 s (then back to 15 minutes).
    await ctx.db.updateTable('resource').set({ access_token_ttl: 1 }).where('scope', '=', 'propusk.admin').execute();
    await ctx.repos.changes.publish('resource', 'urn:propusk:api:propusk.admin');
    try {
      const operator = await eventually('a 1 s token', 3000, async () => {
        const o = await machineOperator(ctx, url, `tok.exp.${randomBytes(3).toString('hex')}`, 'auditor');
        const introspected = await postForm(`${url}/connect/token`, { grant_type: 'client_credentials', client_id: o.clientId, client_secret: o.apiKey, scope: 'propusk.admin' });
        return introspected.json.expires_in === 1 ? { ...o, token: introspected.json.access_token as string } : undefined;
      });
      await new Promise((r) => setTimeout(r, 2100));
      const res = await api(url, operator.value.token, 'GET', '/signing-keys');
      assert.equal(res.status, 401, res.text);
      assert.match(challengeOf(res), /error="invalid_token"/);
    } finally {
      await ctx.db.updateTable('resource').set({ access_token_ttl: 900 }).where('scope', '=', 'propusk.admin').execute();
      await ctx.repos.changes.publish('resource', 'urn:propusk:api:propusk.admin');
    }
  });

  it('a person signs in through the console client: their token works while they hold a role and are enabled', async () => {
    const ctx = s.server.context;
    const { verifier, challenge } = pkce();
    const redirectUri = `${ctx.config.issuer}/console/callback`;
    const { code, consentPage } = await codeFor(s.issuer, s.user, { client_id: 'propusk-console', scope: 'openid propusk.admin', code_challenge: challenge, code_challenge_method: 'S256' }, redirectUri);
    assert.equal(consentPage, false, 'the first-party console asks for no consent');
    const exchanged = await postForm(`${url}/connect/token`, { grant_type: 'authorization_code', code, client_id: 'propusk-console', redirect_uri: redirectUri, code_verifier: verifier });
    assert.equal(exchanged.status, 200, exchanged.text);
    const token = exchanged.json.access_token as string;
    assert.equal((await api(url, token, 'GET', '/signing-keys')).status, 200);

    await ctx.roles.revoke({ account: s.user.login }, 'admin', 'admin-cli');
    assert.equal((await api(url, token, 'GET', '/signing-keys')).status, 403, 'no role on the next request');
    await ctx.roles.grant({ account: s.user.login }, 'admin', 'admin-cli');
    assert.equal((await api(url, token, 'GET', '/signing-keys')).status, 200);

    // Disabling revokes the tokens too; the check of the account answers even while the token is cached as valid.
    await ctx.accounts.disable(s.user.login, 'admin-cli');
    const res = await api(url, token, 'GET', '/signing-keys');
    assert.equal(res.status, 401, res.text);
    assert.match(challengeOf(res), /error="invalid_token"/);
    await ctx.accounts.enable(s.user.login, 'admin-cli');
  });

  it('a person\'s token issued to a third-party client is refused even when the person is an admin', async () => {
    const ctx = s.server.context;
    await createClient(ctx, { clientId: 'third.party', grantTypes: ['authorization_code'], redirectUris: [REDIRECT_URI], scopes: ['openid', 'propusk.admin'] });
    const third = (await ctx.clients.issueKey('third.party', undefined, null)).api_key;
    const { code, consentPage } = await codeFor(s.issuer, s.user, { client_id: 'third.party', scope: 'openid propusk.admin' }, REDIRECT_URI);
    assert.equal(consentPage, true, 'a third-party client asks for consent');
    const exchanged = await postForm(`${url}/connect/token`, { grant_type: 'authorization_code', code, client_id: 'third.party', client_secret: third, redirect_uri: REDIRECT_URI });
    assert.equal(exchanged.status, 200, exchanged.text);
    const res = await api(url, exchanged.json.access_token as string, 'GET', '/signing-keys');
    assert.equal(res.status, 403, res.text);
    assert.equal(res.json.type, 'urn:propusk:problem:forbidden');
  });
});
