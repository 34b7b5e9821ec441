/**
 * What strict third-party relying parties need from the code flow (oauth4webapi and openid-client,
 * not our helpers): the access token of a code exchange works at userinfo when the grant includes
 * `openid` (and is still seen only by its own API at introspection); the token response's `scope`
 * is everything the grant allows, `offline_access` included, without `prompt=consent`; an unknown
 * scope is refused with `invalid_scope`.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as oauth from 'oauth4webapi';
import * as oidc from 'openid-client';
import { FormsAgent, paramsOf } from './support/forms-agent.ts';
import { API_AUDIENCE, REDIRECT_URI, authorizeUrl, introspect, newUser, pkce, setupCodeFlow, type CodeFlowSetup } from './support/setup.ts';
import { basic, postForm } from '../support/server.ts';
import { createClient, resourceCredentials } from '../support/fixtures.ts';

const FULL = 'openid profile email extern.api offline_access';

let s: CodeFlowSetup;
before(async () => {
  s = await setupCodeFlow();
});
after(() => s?.server.stop());

/** Signs `user` in and allows web.app at the pages (no JavaScript); returns the callback URL. */
async function authorize(params: Record<string, string | undefined>, user: { login: string; password: string }): Promise<URL> {
  const agent = new FormsAgent(s.issuer);
  let page = await agent.follow(authorizeUrl(s.issuer, params));
  if (/name="password"/.test(page.html)) page = await agent.submit(page, '/login', { login: user.login, password: user.password });
  if (!page.url.startsWith(REDIRECT_URI)) {
    assert.match(page.html, /name="decision"/, 'consent page');
    page = await agent.submit(page, '/consent', { decision: 'allow' });
  }
  assert.ok(page.url.startsWith(REDIRECT_URI), page.url);
  return new URL(page.url);
}

describe('oauth4webapi as the relying party', () => {
  it('code exchange: scope is what was granted, offline access without prompt=consent; the access token works at userinfo and at its API only', async () => {
    const user = await newUser(s);
    const as = await oauth
      .discoveryRequest(new URL(s.issuer), { [oauth.allowInsecureRequests]: true })
      .then((res) => oauth.processDiscoveryResponse(new URL(s.issuer), res));
    const client: oauth.Client = { client_id: s.web.clientId };
    const auth = oauth.ClientSecretPost(s.web.apiKey);
    const { verifier, challenge } = pkce();
    const state = oauth.generateRandomState();
    const nonce = oauth.generateRandomNonce();
    const callback = await authorize({ scope: FULL, state, nonce, code_challenge: challenge, code_challenge_method: 'S256' }, user);
    const params = oauth.validateAuthResponse(as, client, callback, state);
    const response = await oauth.authorizationCodeGrantRequest(as, client, auth, params, REDIRECT_URI, verifier, { [oauth.allowInsecureRequests]: true });
    const tokens = await oauth.processAuthorizationCodeResponse(as, client, response, { expectedNonce: nonce, requireIdToken: true });
    assert.deepEqual(new Set(tokens.scope!.split(' ')), new Set(FULL.split(' ')), `scope: ${tokens.scope}`);
    assert.ok(tokens.refresh_token, 'a refresh token');
    const sub = oauth.getValidatedIdTokenClaims(tokens)!.sub;

    const info = await oauth.userInfoRequest(as, client, tokens.access_token, { [oauth.allowInsecureRequests]: true });
    const claims = await oauth.processUserInfoResponse(as, client, sub, info);
    assert.equal(claims.sub, user.id);
    assert.equal(claims.email, user.login);
    assert.ok(claims.given_name, 'profile claims');

    // Still an API token: its own API sees it, another API does not.
    const own = await introspect(s, tokens.access_token);
    assert.equal(own.active, true);
    assert.equal(own.aud, API_AUDIENCE);
    const other = await resourceCredentials(s.server.context, 'extern.test-tools');
    const foreign = await postForm(`${s.issuer}/connect/introspect`, { token: tokens.access_token }, { authorization: basic(other.clientId, other.secret) });
    assert.equal(foreign.json.active, false);

    // A refresh answers the same scope and its token works at userinfo too.
    const refreshed = await oauth
      .refreshTokenGrantRequest(as, client, auth, tokens.refresh_token!, { [oauth.allowInsecureRequests]: true })
      .then((res) => oauth.processRefreshTokenResponse(as, client, res));
    assert.deepEqual(new Set(refreshed.scope!.split(' ')), new Set(FULL.split(' ')));
    const again = await oauth.userInfoRequest(as, client, refreshed.access_token, { [oauth.allowInsecureRequests]: true });
    assert.equal((await oauth.processUserInfoResponse(as, client, sub, again)).email, user.login);
  });

  it('without offline_access the scope says so', async () => {
    const user = await newUser(s);
    const callback = await authorize({ scope: 'openid email extern.api' }, user);
    const res = await postForm(`${s.issuer}/connect/token`, { grant_type: 'authorization_code', code: paramsOf(callback.href).code!, client_id: s.web.clientId, client_secret: s.web.apiKey, redirect_uri: REDIRECT_URI });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(new Set(String(res.json.scope).split(' ')), new Set(['openid', 'email', 'extern.api']));
  });
});

describe('openid-client as the relying party', () => {
  it('fetchUserInfo with the code exchange access token', async () => {
    const user = await newUser(s);
    const config = await oidc.discovery(new URL(s.issuer), s.web.clientId, undefined, oidc.ClientSecretPost(s.web.apiKey), { execute: [oidc.allowInsecureRequests] });
    const { verifier, challenge } = pkce();
    const state = oidc.randomState();
    const callback = await authorize({ scope: FULL, state, code_challenge: challenge, code_challenge_method: 'S256', nonce: 'n-1' }, user);
    const tokens = await oidc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: state, expectedNonce: 'n-1' });
    assert.equal(tokens.scope, FULL);
    const claims = tokens.claims()!;
    const info = await oidc.fetchUserInfo(config, tokens.access_token, claims.sub);
    assert.equal(info.email, user.login);
  });
});

describe('tokens that are not for a person', () => {
  it('a grant without openid is refused at userinfo (insufficient_scope)', async () => {
    const user = await newUser(s);
    const callback = await authorize({ scope: 'extern.api', nonce: undefined }, user);
    const res = await postForm(`${s.issuer}/connect/token`, { grant_type: 'authorization_code', code: paramsOf(callback.href).code!, client_id: s.web.clientId, client_secret: s.web.apiKey, redirect_uri: REDIRECT_URI });
    assert.equal(res.status, 200, res.text);
    const info = await fetch(`${s.issuer}/connect/userinfo`, { headers: { authorization: `Bearer ${String(res.json.access_token)}` } });
    assert.equal(info.status, 403);
    assert.match(info.headers.get('www-authenticate') ?? '', /insufficient_scope/);
  });
});

describe('unknown scopes', () => {
  it('are refused with invalid_scope at the redirect_uri, never shown as a permission', async () => {
    const agent = new FormsAgent(s.issuer);
    const page = await agent.follow(authorizeUrl(s.issuer, { scope: 'openid extern.api admin.everything', state: 'st-1' }));
    assert.ok(page.url.startsWith(REDIRECT_URI), page.url);
    const params = paramsOf(page.url);
    assert.equal(params.error, 'invalid_scope');
    assert.equal(params.state, 'st-1');
    assert.ok(params.iss);
  });

  it('are refused at device authorization', async () => {
    const device = await createClient(s.server.context, { clientId: 'scope.device', grantTypes: ['urn:ietf:params:oauth:grant-type:device_code'], scopes: ['openid', 'extern.api'] });
    const res = await postForm(`${s.issuer}/connect/deviceauthorization`, { client_id: device.clientId, client_secret: device.apiKey, scope: 'openid extern.api admin.everything' });
    assert.equal(res.status, 400, res.text);
    assert.equal(res.json.error, 'invalid_scope');
    assert.ok(res.json.error_description);
  });
});
