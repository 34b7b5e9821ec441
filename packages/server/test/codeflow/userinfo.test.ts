/**
 * The access token of a code exchange for `openid profile email extern.api` works at
 * `/connect/userinfo` (the grant includes `openid`) and at its API, with client libraries nobody
 * here wrote (openid-client, oauth4webapi); introspection by another API's credentials still
 * answers `active: false`, and a grant without `openid` still gets no userinfo.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as oidc from 'openid-client';
import * as oauth from 'oauth4webapi';
import { API_AUDIENCE, API_SCOPE, REDIRECT_URI, introspect, newUser, setupCodeFlow, signInForCallback, type CodeFlowSetup } from './support/setup.ts';
import { basic, postForm } from '../support/server.ts';
import { resourceCredentials } from '../support/fixtures.ts';

let s: CodeFlowSetup;
before(async () => {
  s = await setupCodeFlow();
});
after(() => s.server.stop());

describe('userinfo with the code exchange access token', () => {
  it('openid-client: code exchange, then userinfo with the API token; the API still accepts it', async () => {
    const config = await oidc.discovery(new URL(s.issuer), s.web.clientId, undefined, oidc.ClientSecretPost(s.web.apiKey), { execute: [oidc.allowInsecureRequests] });
    const { callback, state, nonce } = await signInForCallback(s.issuer, s.user);
    const tokens = await oidc.authorizationCodeGrant(config, callback, { expectedState: state, expectedNonce: nonce });
    const sub = tokens.claims()!.sub;
    const userinfo = await oidc.fetchUserInfo(config, tokens.access_token, sub);
    assert.equal(userinfo.sub, s.user.id);
    assert.equal(userinfo.email, s.user.login);
    assert.equal(userinfo.family_name, 'Петров');
    const info = await introspect(s, tokens.access_token);
    assert.equal(info.active, true);
    assert.equal(info.aud, API_AUDIENCE);
  });

  it('oauth4webapi: code exchange, then userinfo with the API token', async () => {
    const as = await oauth.processDiscoveryResponse(new URL(s.issuer), await oauth.discoveryRequest(new URL(s.issuer), { [oauth.allowInsecureRequests]: true }));
    const client: oauth.Client = { client_id: s.web.clientId };
    const { callback, state, nonce } = await signInForCallback(s.issuer, s.user);
    const params = oauth.validateAuthResponse(as, client, callback, state);
    const res = await oauth.authorizationCodeGrantRequest(as, client, oauth.ClientSecretPost(s.web.apiKey), params, REDIRECT_URI, oauth.nopkce, { [oauth.allowInsecureRequests]: true });
    const tokens = await oauth.processAuthorizationCodeResponse(as, client, res, { expectedNonce: nonce, requireIdToken: true });
    const sub = oauth.getValidatedIdTokenClaims(tokens)!.sub;
    const ui = await oauth.processUserInfoResponse(as, client, sub, await oauth.userInfoRequest(as, client, tokens.access_token, { [oauth.allowInsecureRequests]: true }));
    assert.equal(ui.sub, s.user.id);
    assert.equal(ui.email, s.user.login);
  });

  it('another API introspecting the token gets active: false', async () => {
    const { callback } = await signInForCallback(s.issuer, s.user);
    const tokens = await postForm(`${s.issuer}/connect/token`, {
      grant_type: 'authorization_code',
      code: callback.searchParams.get('code')!,
      client_id: s.web.clientId,
      client_secret: s.web.apiKey,
      redirect_uri: REDIRECT_URI,
    });
    assert.equal(tokens.status, 200, tokens.text);
    await s.server.context.resources.create({ scope: 'other.api', name: 'Other API' }, 'admin-cli');
    const other = await resourceCredentials(s.server.context, 'other.api');
    const res = await postForm(`${s.issuer}/connect/introspect`, { token: String(tokens.json.access_token) }, { authorization: basic(other.clientId, other.secret) });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.active, false);
    const ui = await fetch(`${s.issuer}/connect/userinfo`, { headers: { authorization: `Bearer ${String(tokens.json.access_token)}` } });
    assert.equal(ui.status, 200);
  });

  it('a token whose grant has no openid is still refused at userinfo', async () => {
    // A new account: the grant is made of what was ever allowed to the client (remembered consent).
    const { callback } = await signInForCallback(s.issuer, await newUser(s), { scope: API_SCOPE, nonce: undefined });
    const tokens = await postForm(`${s.issuer}/connect/token`, {
      grant_type: 'authorization_code',
      code: callback.searchParams.get('code')!,
      client_id: s.web.clientId,
      client_secret: s.web.apiKey,
      redirect_uri: REDIRECT_URI,
    });
    assert.equal(tokens.status, 200, tokens.text);
    const ui = await fetch(`${s.issuer}/connect/userinfo`, { headers: { authorization: `Bearer ${String(tokens.json.access_token)}` } });
    assert.equal(ui.status, 403);
    assert.match(ui.headers.get('www-authenticate') ?? '', /insufficient_scope/);
  });
});
