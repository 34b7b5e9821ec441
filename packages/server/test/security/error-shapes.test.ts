/**
 * Standard error shapes at the endpoints clients authenticate to: every 401 carries
 * `WWW-Authenticate` (for client_secret_post too), a request without any client authentication is
 * 401 `invalid_client`, discovery names the authentication methods of introspection and revocation,
 * and a scope that does not exist is refused with `invalid_scope` (at the client's redirect_uri for
 * an authorization request, as JSON for a device authorization) instead of reaching a consent page.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as oauth from 'oauth4webapi';
import { basic, postForm } from '../support/server.ts';
import { authorizeUrl, REDIRECT_URI, setupCodeFlow, type CodeFlowSetup } from '../codeflow/support/setup.ts';
import { createClient } from '../support/fixtures.ts';

const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
const ENDPOINTS = ['/connect/token', '/connect/introspect', '/connect/revocation', '/connect/deviceauthorization'];

describe('error shapes', () => {
  let s: CodeFlowSetup;
  let device: { clientId: string; apiKey: string };
  before(async () => {
    s = await setupCodeFlow();
    device = await createClient(s.server.context, { clientId: 'extern.plugin', grantTypes: [DEVICE_GRANT], scopes: ['openid', 'extern.api'] });
  });
  after(() => s.server.stop());

  const form = { grant_type: 'client_credentials', token: 'some-token', scope: 'extern.api' };

  for (const path of ENDPOINTS) {
    it(`${path}: a wrong api-key in the form (client_secret_post) is 401 invalid_client with a Basic challenge`, async () => {
      for (const clientId of [s.web.clientId, 'no.such.client']) {
        const res = await postForm(`${s.issuer}${path}`, { ...form, client_id: clientId, client_secret: 'wrong' });
        assert.equal(res.status, 401, res.text);
        assert.equal(res.json.error, 'invalid_client');
        assert.match(res.headers.get('www-authenticate') ?? '', /^Basic realm="[^"]+"/, `${clientId}: ${res.headers.get('www-authenticate')}`);
      }
    });

    it(`${path}: a wrong api-key in HTTP Basic is 401 invalid_client with a Basic challenge`, async () => {
      const res = await postForm(`${s.issuer}${path}`, form, { authorization: basic(s.web.clientId, 'wrong') });
      assert.equal(res.status, 401, res.text);
      assert.equal(res.json.error, 'invalid_client');
      assert.match(res.headers.get('www-authenticate') ?? '', /^Basic realm="[^"]+"/);
    });

    it(`${path}: no client authentication at all is 401 invalid_client with a Basic challenge`, async () => {
      const res = await postForm(`${s.issuer}${path}`, form);
      assert.equal(res.status, 401, res.text);
      assert.equal(res.json.error, 'invalid_client');
      assert.equal(typeof res.json.error_description, 'string');
      assert.match(res.headers.get('www-authenticate') ?? '', /^Basic realm="[^"]+"/);
    });
  }

  it('oauth4webapi sees invalid_client with its challenge for a client_secret_post client with a wrong key', async () => {
    const as = await oauth.processDiscoveryResponse(new URL(s.issuer), await oauth.discoveryRequest(new URL(s.issuer), { [oauth.allowInsecureRequests]: true }));
    const res = await oauth.clientCredentialsGrantRequest(as, { client_id: s.web.clientId }, oauth.ClientSecretPost('wrong'), new URLSearchParams({ scope: 'extern.api' }), { [oauth.allowInsecureRequests]: true });
    assert.equal(res.status, 401);
    const client = { client_id: s.web.clientId };
    const err = await oauth.processClientCredentialsResponse(as, client, res).then(
      () => assert.fail('a 401 must not be processed as a token response'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof oauth.WWWAuthenticateChallengeError, String(err));
    assert.equal(err.cause[0]?.scheme, 'basic');
    assert.equal(err.cause[0]?.parameters.error, 'invalid_client');
  });

  it('discovery names the authentication methods of introspection and revocation', async () => {
    const d = (await (await fetch(`${s.issuer}/.well-known/openid-configuration`)).json()) as Record<string, string[]>;
    assert.deepEqual(d.introspection_endpoint_auth_methods_supported, d.token_endpoint_auth_methods_supported);
    assert.deepEqual(d.revocation_endpoint_auth_methods_supported, d.token_endpoint_auth_methods_supported);
    assert.ok(d.introspection_endpoint_auth_methods_supported?.includes('client_secret_post'));
  });

  it('an authorization request with an unknown scope is answered invalid_scope at the redirect_uri', async () => {
    for (const scope of ['openid nonexistent', 'openid extern.api nonexistent']) {
      const res = await fetch(authorizeUrl(s.issuer, { scope, state: 'st1' }), { redirect: 'manual' });
      assert.equal(res.status, 303, scope);
      const location = new URL(res.headers.get('location') ?? '', s.issuer);
      assert.equal(`${location.origin}${location.pathname}`, REDIRECT_URI, `${scope}: ${location.href}`);
      assert.equal(location.searchParams.get('error'), 'invalid_scope');
      assert.equal(location.searchParams.get('state'), 'st1');
      assert.equal(location.searchParams.get('iss'), s.issuer);
    }
  });

  it('an authorization request with an unknown scope and an explicit resource is refused too', async () => {
    const res = await fetch(authorizeUrl(s.issuer, { scope: 'openid extern.api nonexistent', resource: 'urn:propusk:api:extern.api' }), { redirect: 'manual' });
    const location = new URL(res.headers.get('location') ?? '', s.issuer);
    assert.equal(location.searchParams.get('error'), 'invalid_scope', location.href);
  });

  it('a device authorization with an unknown scope is 400 invalid_scope', async () => {
    const res = await postForm(`${s.issuer}/connect/deviceauthorization`, { client_id: device.clientId, client_secret: device.apiKey, scope: 'openid nonexistent' });
    assert.equal(res.status, 400, res.text);
    assert.equal(res.json.error, 'invalid_scope');
    assert.equal(res.json.device_code, undefined);
  });

  it('known scopes still work: a device authorization and an authorization request go on', async () => {
    const res = await postForm(`${s.issuer}/connect/deviceauthorization`, { client_id: device.clientId, client_secret: device.apiKey, scope: 'openid extern.api' });
    assert.equal(res.status, 200, res.text);
    const auth = await fetch(authorizeUrl(s.issuer), { redirect: 'manual' });
    assert.match(auth.headers.get('location') ?? '', /\/interaction\//);
  });
});
