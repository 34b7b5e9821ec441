/** Discovery and JWKS from memory (provider/discovery-cache.ts): same answers, ETags, and fresh after a change. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { startTestServer, type TestServer } from '../support/server.ts';

const DISCOVERY = '/.well-known/openid-configuration';
const JWKS = '/.well-known/openid-configuration/jwks';

/** A plain GET with the given headers: fetch neither lets us set Host nor sends If-None-Match without `Cache-Control: no-cache`. */
function get(url: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean, ms = 3000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (ok(v) || Date.now() > deadline) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('discovery and JWKS from memory', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.stop());

  for (const path of [DISCOVERY, JWKS]) {
    it(`${path}: repeated answers are identical, carry an ETag, and If-None-Match gets a 304`, async () => {
      const first = await fetch(server.url + path);
      const firstBody = await first.text();
      const second = await fetch(server.url + path);
      assert.equal(await second.text(), firstBody);
      for (const res of [first, second]) {
        assert.equal(res.status, 200);
        assert.match(res.headers.get('content-type') ?? '', path === JWKS ? /^application\/jwk-set\+json/ : /^application\/json/);
        assert.equal(res.headers.get('access-control-allow-origin'), '*');
        assert.equal(res.headers.get('vary'), 'Origin');
        assert.equal(res.headers.get('cache-control'), 'no-cache');
        assert.equal(res.headers.get('x-content-type-options'), 'nosniff', 'security headers still apply');
        assert.ok(res.headers.get('x-request-id'));
      }
      const etag = second.headers.get('etag');
      assert.ok(etag);
      assert.equal(first.headers.get('etag'), etag);

      const revalidated = await get(server.url + path, { 'if-none-match': etag });
      assert.equal(revalidated.status, 304);
      assert.equal(revalidated.body, '');
      assert.equal((await get(server.url + path, { 'if-none-match': '"other"' })).body, firstBody);

      const cors = await fetch(server.url + path, { headers: { origin: 'https://app.example' } });
      assert.equal(cors.headers.get('access-control-allow-origin'), 'https://app.example');
      assert.equal(await cors.text(), firstBody);
    });
  }

  it('URLs are the issuer\'s whatever Host the request names, cached or not', async () => {
    const own = JSON.parse((await get(server.url + DISCOVERY, { host: new URL(server.url).host })).body) as { jwks_uri: string };
    const other = JSON.parse((await get(server.url + DISCOVERY, { host: 'other.example:8443' })).body) as { jwks_uri: string };
    assert.equal(own.jwks_uri, `${server.url}${JWKS}`);
    assert.equal(other.jwks_uri, `${server.url}${JWKS}`);
    const ownAgain = JSON.parse((await get(server.url + DISCOVERY, { host: new URL(server.url).host })).body) as { jwks_uri: string };
    assert.equal(ownAgain.jwks_uri, own.jwks_uri);
  });

  it('a key rotation and a new API resource show at once', async () => {
    const kids = async () => ((await (await fetch(server.url + JWKS)).json()) as { keys: { kid: string }[] }).keys.map((k) => k.kid);
    const before = await kids();
    const { kid } = await server.context.keys.rotate('admin-cli');
    const afterRotation = await until(kids, (k) => k.includes(kid));
    assert.ok(afterRotation.includes(kid), `new kid ${kid} published (had ${before.join(', ')})`);

    const scopes = async () => ((await (await fetch(server.url + DISCOVERY)).json()) as { scopes_supported: string[] }).scopes_supported;
    await scopes();
    await server.context.resources.create({ scope: 'extern.cache-test', name: 'Cache test API' }, 'admin-cli');
    assert.ok((await until(scopes, (s) => s.includes('extern.cache-test'))).includes('extern.cache-test'));
  });
});
