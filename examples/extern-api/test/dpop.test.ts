// DPoP (RFC 9449) end to end: the real provider and the demo API in this
// process; openid-client as the client obtains DPoP-bound tokens (every
// grant that issues access tokens to a user or a client) and calls the API
// with a fresh proof per request; then each refusal through HTTP with its
// code and WWW-Authenticate challenge. Bad proofs are signed with jose.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import * as oidc from 'openid-client';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { DEFAULT_DPOP_ALGORITHMS } from '@propusk/resource-server';
import { startExternApi, type RunningExternApi } from '../src/index.ts';
import { basic, postForm, startTestServer, type TestServer } from '../../../packages/server/test/support/server.ts';
import { createClient, createUser, resourceCredentials } from '../../../packages/server/test/support/fixtures.ts';
import { signInForCallback } from '../../../packages/server/test/codeflow/support/setup.ts';
import { FormsAgent } from '../../../packages/server/test/codeflow/support/forms-agent.ts';
import { claims, createPartner, linkedUser, sign } from '../../../packages/server/test/trusted/support.ts';
import { passDevicePages } from './support.ts';

const REALM = 'urn:propusk:api:extern.api';
const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
const REDIRECT_URI = 'http://127.0.0.1:9/cb';
const ALGS = DEFAULT_DPOP_ALGORITHMS.join(' ');

interface Answer {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

async function answer(res: Response): Promise<Answer> {
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>) };
}

interface Key {
  privateKey: CryptoKey;
  jwk: JWK;
  jkt: string;
}

async function keyOf(pair: { privateKey: CryptoKey; publicKey: CryptoKey }): Promise<Key> {
  const jwk = await exportJWK(pair.publicKey);
  return { privateKey: pair.privateKey, jwk, jkt: await calculateJwkThumbprint(jwk, 'sha256') };
}

const ath = (token: string) => createHash('sha256').update(token).digest('base64url');

/** A proof signed with jose: a valid one by default, a bad one with the overrides. */
function proof(key: Key, claims: { htm?: string; htu: string; token?: string; iat?: number; ath?: string | null }, alg = 'ES256'): Promise<string> {
  const payload: Record<string, unknown> = {
    htm: claims.htm ?? 'GET',
    htu: claims.htu,
    jti: randomUUID(),
    iat: claims.iat ?? Math.floor(Date.now() / 1000),
  };
  if (claims.ath !== null) payload.ath = claims.ath ?? ath(claims.token!);
  return new SignJWT(payload).setProtectedHeader({ alg, typ: 'dpop+jwt', jwk: key.jwk }).sign(key.privateKey);
}

function assertRefused(a: Answer, error: 'invalid_dpop_proof' | 'invalid_token'): void {
  assert.equal(a.status, 401, JSON.stringify(a.body));
  assert.equal(a.body.error, error);
  assert.match(
    a.headers.get('www-authenticate') ?? '',
    new RegExp(`^DPoP realm="urn:propusk:api:extern\\.api", error="${error}", error_description="[^"]+", algs="${ALGS}"$`),
  );
}

describe('extern-api with DPoP-bound tokens (openid-client as the client)', () => {
  let server: TestServer;
  let api: RunningExternApi;
  let rs: { clientId: string; secret: string };
  let cc: { clientId: string; apiKey: string };
  let config: oidc.Configuration;
  let pair: Awaited<ReturnType<typeof oidc.randomDPoPKeyPair>>;
  let dpop: oidc.DPoPHandle;
  let key: Key;
  /** A DPoP-bound client_credentials token of `cc`, bound to `key`. */
  let token: string;

  /** openid-client's configuration of a confidential client from discovery (http is fine in tests). */
  const configure = (clientId: string, apiKey: string) =>
    oidc.discovery(new URL(server.issuer), clientId, undefined, oidc.ClientSecretPost(apiKey), { execute: [oidc.allowInsecureRequests] });

  const introspect = async (accessToken: string) =>
    (await postForm(`${server.url}/connect/introspect`, { token: accessToken }, { authorization: basic(rs.clientId, rs.secret) })).json;

  /** GET through openid-client: a fresh proof (htm, htu, ath, jti, iat) per request. */
  const fetchApi = async (path: string, accessToken: string, handle = dpop) =>
    answer(await oidc.fetchProtectedResource(config, accessToken, new URL(`${api.url}${path}`), 'GET', undefined, undefined, { DPoP: handle }));

  /** GET with an explicit proof (or none) and scheme. */
  const call = async (path: string, authorization: string, proofValue?: string, method = 'GET') =>
    answer(await fetch(`${api.url}${path}`, { method, headers: { authorization, ...(proofValue === undefined ? {} : { dpop: proofValue }) } }));

  before(async () => {
    server = await startTestServer();
    rs = await resourceCredentials(server.context, 'extern.api');
    cc = await createClient(server.context, { clientId: 'dpop.cc', scopes: ['extern.api'] });
    api = await startExternApi({ issuer: server.issuer, clientId: rs.clientId, clientSecret: rs.secret, cache: { ttlSeconds: 30 }, onError: (e) => assert.fail(String(e)) });
    config = await configure(cc.clientId, cc.apiKey);
    pair = await oidc.randomDPoPKeyPair('ES256');
    dpop = oidc.getDPoPHandle(config, pair);
    key = await keyOf(pair);
    const tokens = await oidc.clientCredentialsGrant(config, { scope: 'extern.api' }, { DPoP: dpop });
    assert.equal(tokens.token_type.toLowerCase(), 'dpop');
    token = tokens.access_token;
  });
  after(async () => {
    await api?.close();
    await server?.stop();
  });

  describe('accepted', () => {
    it('client_credentials: the token is bound to the key (introspection cnf.jkt) and every request with a fresh proof succeeds', async () => {
      const info = await introspect(token);
      assert.equal(info.active, true);
      assert.equal(info.token_type, 'DPoP');
      assert.deepEqual(info.cnf, { jkt: key.jkt });
      for (const path of ['/v1/me', '/v1/me', '/v1/accounts']) {
        const a = await fetchApi(path, token);
        assert.equal(a.status, 200, JSON.stringify(a.body));
      }
      assert.equal((await fetchApi('/v1/me', token)).body.client_id, cc.clientId);
    });

    it('authorization_code and refresh_token: both access tokens are DPoP-bound to the key and accepted', async () => {
      const web = await createClient(server.context, {
        clientId: 'dpop.web',
        grantTypes: ['authorization_code', 'refresh_token'],
        redirectUris: [REDIRECT_URI],
        scopes: ['openid', 'extern.api'],
      });
      const { account, password } = await createUser(server.context);
      const webConfig = await configure(web.clientId, web.apiKey);
      const webKey = await oidc.randomDPoPKeyPair('ES256');
      const handle = oidc.getDPoPHandle(webConfig, webKey);
      const verifier = oidc.randomPKCECodeVerifier();
      const { callback, state, nonce } = await signInForCallback(server.issuer, { login: account.login, password }, {
        client_id: web.clientId,
        redirect_uri: REDIRECT_URI,
        scope: 'openid extern.api',
        code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
      });
      const tokens = await oidc.authorizationCodeGrant(webConfig, callback, { pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce }, undefined, { DPoP: handle });
      assert.equal(tokens.token_type.toLowerCase(), 'dpop');
      const jkt = (await keyOf(webKey)).jkt;
      assert.deepEqual((await introspect(tokens.access_token)).cnf, { jkt });
      const me = answer(await oidc.fetchProtectedResource(webConfig, tokens.access_token, new URL(`${api.url}/v1/me`), 'GET', undefined, undefined, { DPoP: handle }));
      assert.equal((await me).status, 200);
      assert.equal((await me).body.sub, account.id);

      assert.ok(tokens.refresh_token, 'a refresh token');
      const refreshed = await oidc.refreshTokenGrant(webConfig, tokens.refresh_token, undefined, { DPoP: handle });
      assert.equal(refreshed.token_type.toLowerCase(), 'dpop');
      assert.deepEqual((await introspect(refreshed.access_token)).cnf, { jkt });
      const again = await answer(await oidc.fetchProtectedResource(webConfig, refreshed.access_token, new URL(`${api.url}/v1/me`), 'GET', undefined, undefined, { DPoP: handle }));
      assert.equal(again.status, 200, JSON.stringify(again.body));
      // The code flow's tokens are Bearer when the client does not use DPoP: no binding by accident.
      const plain = await signInForCallback(server.issuer, { login: account.login, password }, {
        client_id: web.clientId,
        redirect_uri: REDIRECT_URI,
        scope: 'openid extern.api',
        code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
      });
      const bearer = await oidc.authorizationCodeGrant(webConfig, plain.callback, { pkceCodeVerifier: verifier, expectedState: plain.state, expectedNonce: plain.nonce });
      assert.equal(bearer.token_type.toLowerCase(), 'bearer');
      assert.equal((await introspect(bearer.access_token)).cnf, undefined);
    });

    it('device_code: the access token is DPoP-bound to the key that polled, and accepted', async () => {
      const device = await createClient(server.context, { clientId: 'dpop.device', grantTypes: [DEVICE_GRANT, 'refresh_token'], scopes: ['openid', 'extern.api'] });
      const { account, password } = await createUser(server.context);
      const deviceConfig = await configure(device.clientId, device.apiKey);
      const deviceKey = await oidc.randomDPoPKeyPair('ES256');
      const handle = oidc.getDPoPHandle(deviceConfig, deviceKey);
      const authorization = await oidc.initiateDeviceAuthorization(deviceConfig, { scope: 'openid extern.api' });
      const agent = new FormsAgent(server.issuer);
      let page = await passDevicePages(agent, await agent.follow(authorization.verification_uri_complete!), authorization.user_code);
      page = await agent.submit(page, '/login', { login: account.login, password });
      page = await agent.submit(page, '/consent', { decision: 'allow' });
      assert.equal(page.status, 200, page.html.slice(0, 500));
      const tokens = await oidc.pollDeviceAuthorizationGrant(deviceConfig, { ...authorization, interval: 0 }, undefined, { DPoP: handle });
      assert.equal(tokens.token_type.toLowerCase(), 'dpop');
      assert.deepEqual((await introspect(tokens.access_token)).cnf, { jkt: (await keyOf(deviceKey)).jkt });
      const me = await answer(await oidc.fetchProtectedResource(deviceConfig, tokens.access_token, new URL(`${api.url}/v1/me`), 'GET', undefined, undefined, { DPoP: handle }));
      assert.equal(me.status, 200, JSON.stringify(me.body));
      assert.equal(me.body.sub, account.id);
    });

    it('a client registered with requireDpop gets DPoP-bound tokens only: a token request without a proof is refused', async () => {
      const strict = await createClient(server.context, { clientId: 'dpop.strict', scopes: ['extern.api'], requireDpop: true });
      const without = await postForm(`${server.url}/connect/token`, { grant_type: 'client_credentials', client_id: strict.clientId, client_secret: strict.apiKey, scope: 'extern.api' });
      assert.equal(without.status, 400, without.text);
      // oidc-provider answers invalid_grant ("DPoP proof JWT not provided", shown generically); the same request with a proof succeeds below.
      assert.equal(without.json.error, 'invalid_grant');
      const strictConfig = await configure(strict.clientId, strict.apiKey);
      const handle = oidc.getDPoPHandle(strictConfig, await oidc.randomDPoPKeyPair('ES256'));
      const tokens = await oidc.clientCredentialsGrant(strictConfig, { scope: 'extern.api' }, { DPoP: handle });
      assert.equal(tokens.token_type.toLowerCase(), 'dpop');
      const me = await answer(await oidc.fetchProtectedResource(strictConfig, tokens.access_token, new URL(`${api.url}/v1/me`), 'GET', undefined, undefined, { DPoP: handle }));
      assert.equal(me.status, 200);
    });

    it('trusted grant: a DPoP header is ignored, the token is a Bearer token (documented)', async () => {
      const partner = await createPartner(server.context, 'partner.dpop');
      await linkedUser(server.context, partner, 'partner-user-9');
      const tokenEndpoint = `${server.issuer}/connect/token`;
      const res = await postForm(
        `${server.url}/connect/token`,
        { grant_type: 'trusted', client_id: partner.clientId, client_secret: partner.apiKey, scope: 'extern.api', token: await sign(partner, claims(partner, 'partner-user-9')) },
        { dpop: await proof(key, { htm: 'POST', htu: tokenEndpoint, ath: null }) },
      );
      assert.equal(res.status, 200, res.text);
      assert.equal(res.json.token_type, 'Bearer');
      assert.equal((await introspect(res.json.access_token as string)).cnf, undefined);
    });

    it('trusted grant: a client registered to require DPoP is refused (it would get an unbound token)', async () => {
      const partner = await createPartner(server.context, 'partner.dpop.strict');
      await linkedUser(server.context, partner, 'partner-user-10');
      await server.context.clients.setRequireDpop(partner.clientId, true, 'admin-cli');
      const res = await postForm(`${server.url}/connect/token`, {
        grant_type: 'trusted',
        client_id: partner.clientId,
        client_secret: partner.apiKey,
        scope: 'extern.api',
        token: await sign(partner, claims(partner, 'partner-user-10')),
      });
      assert.equal(res.status, 400, res.text);
      assert.equal(res.json.error, 'unauthorized_client');
      assert.match(String(res.json.error_description), /DPoP/);
    });

    it('Bearer tokens keep working next to DPoP (dpop: allowed)', async () => {
      const bearer = await oidc.clientCredentialsGrant(config, { scope: 'extern.api' });
      assert.equal(bearer.token_type.toLowerCase(), 'bearer');
      assert.equal((await call('/v1/me', `Bearer ${bearer.access_token}`)).status, 200);
    });
  });

  describe('refused through HTTP, each with its code and challenge', () => {
    it('a replayed proof: 401 invalid_dpop_proof', async () => {
      const p = await proof(key, { htu: `${api.url}/v1/me`, token });
      assert.equal((await call('/v1/me', `DPoP ${token}`, p)).status, 200);
      assertRefused(await call('/v1/me', `DPoP ${token}`, p), 'invalid_dpop_proof');
    });

    it('a proof for another URL, or for another method: 401 invalid_dpop_proof', async () => {
      assertRefused(await call('/v1/me', `DPoP ${token}`, await proof(key, { htu: `${api.url}/v1/accounts`, token })), 'invalid_dpop_proof');
      assertRefused(await call('/v1/me', `DPoP ${token}`, await proof(key, { htm: 'POST', htu: `${api.url}/v1/me`, token })), 'invalid_dpop_proof');
      // HEAD with a proof for GET: the same refusal, without a body.
      const head = await call('/v1/me', `DPoP ${token}`, await proof(key, { htu: `${api.url}/v1/me`, token }), 'HEAD');
      assert.equal(head.status, 401);
      assert.match(head.headers.get('www-authenticate') ?? '', /^DPoP realm="[^"]+", error="invalid_dpop_proof", /);
    });

    it('a proof signed by another key: 401 invalid_token (key binding)', async () => {
      const other = await keyOf(await generateKeyPair('ES256'));
      assertRefused(await call('/v1/me', `DPoP ${token}`, await proof(other, { htu: `${api.url}/v1/me`, token })), 'invalid_token');
    });

    it('an old iat, and one from the future: 401 invalid_dpop_proof', async () => {
      const now = Math.floor(Date.now() / 1000);
      assertRefused(await call('/v1/me', `DPoP ${token}`, await proof(key, { htu: `${api.url}/v1/me`, token, iat: now - 300 })), 'invalid_dpop_proof');
      assertRefused(await call('/v1/me', `DPoP ${token}`, await proof(key, { htu: `${api.url}/v1/me`, token, iat: now + 300 })), 'invalid_dpop_proof');
    });

    it('a missing ath, a wrong ath, and no proof at all: 401 invalid_dpop_proof', async () => {
      assertRefused(await call('/v1/me', `DPoP ${token}`, await proof(key, { htu: `${api.url}/v1/me`, ath: null })), 'invalid_dpop_proof');
      assertRefused(await call('/v1/me', `DPoP ${token}`, await proof(key, { htu: `${api.url}/v1/me`, ath: ath(`${token}x`) })), 'invalid_dpop_proof');
      assertRefused(await call('/v1/me', `DPoP ${token}`), 'invalid_dpop_proof');
    });

    it('a symmetric algorithm: 401 invalid_dpop_proof', async () => {
      const secret = randomBytes(32);
      const hs = await new SignJWT({ htm: 'GET', htu: `${api.url}/v1/me`, jti: randomUUID(), iat: Math.floor(Date.now() / 1000), ath: ath(token) })
        .setProtectedHeader({ alg: 'HS256', typ: 'dpop+jwt', jwk: { kty: 'oct', k: secret.toString('base64url') } as JWK })
        .sign(secret);
      assertRefused(await call('/v1/me', `DPoP ${token}`, hs), 'invalid_dpop_proof');
    });

    it('the bound token sent as Bearer: 401 invalid_token, Bearer challenge and a DPoP one', async () => {
      const a = await call('/v1/me', `Bearer ${token}`);
      assert.equal(a.status, 401);
      assert.equal(a.body.error, 'invalid_token');
      assert.match(
        a.headers.get('www-authenticate') ?? '',
        new RegExp(`^Bearer realm="${REALM.replace(/\./g, '\\.')}", error="invalid_token", error_description="[^"]+", DPoP realm="${REALM.replace(/\./g, '\\.')}", algs="${ALGS}"$`),
      );
    });

    it('a Bearer (unbound) token sent with the DPoP scheme and a valid proof: 401 invalid_token', async () => {
      const bearer = (await oidc.clientCredentialsGrant(config, { scope: 'extern.api' })).access_token;
      assertRefused(await call('/v1/me', `DPoP ${bearer}`, await proof(key, { htu: `${api.url}/v1/me`, token: bearer })), 'invalid_token');
    });
  });

  describe('server nonces (use_dpop_nonce)', () => {
    it('openid-client gets 401 use_dpop_nonce with DPoP-Nonce, retries with the nonce by itself and succeeds', async () => {
      const nonceApi = await startExternApi({
        issuer: server.issuer,
        clientId: rs.clientId,
        clientSecret: rs.secret,
        dpopProofs: { nonce: { secret: randomBytes(32) } },
        onError: (e) => assert.fail(String(e)),
      });
      try {
        const first = await answer(await fetch(`${nonceApi.url}/v1/me`, { headers: { authorization: `DPoP ${token}`, dpop: await proof(key, { htu: `${nonceApi.url}/v1/me`, token }) } }));
        assert.equal(first.status, 401);
        assert.equal(first.body.error, 'use_dpop_nonce');
        assert.match(first.headers.get('www-authenticate') ?? '', /^DPoP realm="[^"]+", error="use_dpop_nonce", /);
        assert.match(first.headers.get('dpop-nonce') ?? '', /^[A-Za-z0-9_-]{43}$/);
        const handle = oidc.getDPoPHandle(config, pair);
        const ok = await answer(await oidc.fetchProtectedResource(config, token, new URL(`${nonceApi.url}/v1/me`), 'GET', undefined, undefined, { DPoP: handle }));
        assert.equal(ok.status, 200, JSON.stringify(ok.body));
        // The handle keeps the nonce: the next request succeeds at once, with a fresh proof.
        const again = await answer(await oidc.fetchProtectedResource(config, token, new URL(`${nonceApi.url}/v1/accounts`), 'GET', undefined, undefined, { DPoP: handle }));
        assert.equal(again.status, 200, JSON.stringify(again.body));
      } finally {
        await nonceApi.close();
      }
    });
  });

  describe('dpop: required', () => {
    it('refuses Bearer with a DPoP challenge and accepts DPoP', async () => {
      const strictApi = await startExternApi({ issuer: server.issuer, clientId: rs.clientId, clientSecret: rs.secret, dpop: 'required', onError: (e) => assert.fail(String(e)) });
      try {
        const bearer = (await oidc.clientCredentialsGrant(config, { scope: 'extern.api' })).access_token;
        const refused = await answer(await fetch(`${strictApi.url}/v1/me`, { headers: { authorization: `Bearer ${bearer}` } }));
        assert.equal(refused.status, 401);
        assert.equal(refused.headers.get('www-authenticate'), `DPoP realm="${REALM}", algs="${ALGS}"`);
        const ok = await answer(await oidc.fetchProtectedResource(config, token, new URL(`${strictApi.url}/v1/me`), 'GET', undefined, undefined, { DPoP: dpop }));
        assert.equal(ok.status, 200, JSON.stringify(ok.body));
      } finally {
        await strictApi.close();
      }
    });
  });
});
