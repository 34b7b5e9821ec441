/**
 * Every absolute URL the provider hands out (discovery, the device verification_uri, redirects,
 * `iss`) is built from the configured issuer, never from the request's Host or X-Forwarded-Host,
 * with or without PROPUSK_TRUST_PROXY.
 */
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { startTestServer, type TestServer } from '../support/server.ts';
import { createClient } from '../support/fixtures.ts';

const EVIL = { host: 'evil.example', 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'https' };
const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
const REDIRECT_URI = 'https://app.example.com/callback';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A request with headers fetch() would not send (Host). */
function send(server: TestServer, method: string, path: string, headers: Record<string, string>, body?: string): Promise<Answer> {
  const { port } = new URL(server.url);
  return new Promise((res, rej) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers: body ? { ...headers, 'content-type': 'application/x-www-form-urlencoded', 'content-length': String(Buffer.byteLength(body)) } : headers }, (r) => {
      let text = '';
      r.setEncoding('utf8');
      r.on('data', (c: string) => (text += c));
      r.on('end', () => res({ status: r.statusCode ?? 0, headers: r.headers, body: text }));
    });
    req.on('error', rej);
    req.end(body);
  });
}

/** Every http(s) URL inside a JSON document. */
function urlsIn(value: unknown): string[] {
  if (typeof value === 'string') return /^https?:\/\//.test(value) ? [value] : [];
  if (Array.isArray(value)) return value.flatMap(urlsIn);
  if (value && typeof value === 'object') return Object.values(value).flatMap(urlsIn);
  return [];
}

for (const trustProxy of ['0', '1']) {
  describe(`URLs from the issuer, PROPUSK_TRUST_PROXY=${trustProxy}`, () => {
    let server: TestServer;
    let device: { clientId: string; apiKey: string };
    before(async () => {
      server = await startTestServer({ PROPUSK_TRUST_PROXY: trustProxy });
      device = await createClient(server.context, { clientId: 'extern.plugin', grantTypes: [DEVICE_GRANT], scopes: ['openid', 'extern.api'] });
      await createClient(server.context, { clientId: 'web.app', grantTypes: ['authorization_code'], redirectUris: [REDIRECT_URI], scopes: ['openid', 'extern.api'] });
    });
    after(() => server.stop());

    it('discovery names the issuer for every endpoint, whatever Host says', async () => {
      const res = await send(server, 'GET', '/.well-known/openid-configuration', EVIL);
      assert.equal(res.status, 200, res.body);
      const urls = urlsIn(JSON.parse(res.body));
      assert.ok(urls.length > 5);
      for (const u of urls) assert.ok(u.startsWith(`${server.issuer}/`) || u === server.issuer, u);
    });

    it('the device verification_uri and verification_uri_complete are on the issuer', async () => {
      const form = new URLSearchParams({ client_id: device.clientId, client_secret: device.apiKey, scope: 'openid extern.api' }).toString();
      const res = await send(server, 'POST', '/connect/deviceauthorization', EVIL, form);
      assert.equal(res.status, 200, res.body);
      const body = JSON.parse(res.body) as Record<string, string>;
      assert.equal(body.verification_uri, `${server.issuer}/device`);
      assert.ok(body.verification_uri_complete?.startsWith(`${server.issuer}/device?`), body.verification_uri_complete);
    });

    it('redirects of the authorization endpoint stay on the issuer', async () => {
      const query = new URLSearchParams({ client_id: 'web.app', response_type: 'code', scope: 'openid', redirect_uri: REDIRECT_URI, state: 's', nonce: 'n' });
      const res = await send(server, 'GET', `/connect/authorize?${query}`, EVIL);
      assert.equal(res.status, 303, res.body);
      const location = new URL(String(res.headers.location), server.issuer);
      assert.equal(location.origin, new URL(server.issuer).origin);
      assert.doesNotMatch(res.body, /evil\.example/);
    });

    it('the end-session page posts to the issuer', async () => {
      const res = await send(server, 'GET', '/connect/endsession', EVIL);
      assert.ok(res.status < 500, res.body);
      assert.doesNotMatch(res.body, /evil\.example/);
      assert.doesNotMatch(String(res.headers.location ?? ''), /evil\.example/);
    });

    it('an absolute-form request target does not choose the host either', async () => {
      const res = await send(server, 'GET', 'http://evil.example/.well-known/openid-configuration', EVIL);
      assert.equal(res.status, 200, res.body);
      for (const u of urlsIn(JSON.parse(res.body))) assert.doesNotMatch(u, /evil\.example/);
    });
  });
}
