/**
 * Discovery and JWKS from prepared bytes (provider/discovery-cache.ts): the first answer after a
 * change goes through the whole chain and is kept; later ones are written from it, byte for byte
 * the same, with their own request id and CORS origin, 304 on revalidation, fresh within a second
 * of a key rotation or a new API.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, request, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import Koa from 'koa';
import { runCli, startTestServer, type TestServer } from '../support/server.ts';
import { eventually } from '../support/eventually.ts';
import { PreparedAnswers } from '../../src/provider/discovery-cache.ts';
import { Metrics } from '../../src/metrics/index.ts';
import { createLogger } from '../../src/logger.ts';
import { requestId } from '../../src/http/request-id.ts';

const DISCOVERY = '/.well-known/openid-configuration';
const JWKS = '/.well-known/openid-configuration/jwks';

/** A plain GET with the given headers: fetch neither lets us set Host nor sends If-None-Match without `Cache-Control: no-cache`. */
function get(url: string, headers: Record<string, string> = {}, method = 'GET'): Promise<{ status: number; body: string; headers: Record<string, string | string[] | undefined> }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers, method }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** The exact bytes of one response to a request written by hand, with the Date header's value blanked. */
function wire(port: number, path: string, headers: Record<string, string> = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('end', () => resolve(Buffer.concat(chunks).toString('latin1').replace(/\r\nDate: [^\r]*/i, '\r\nDate: …')));
    socket.on('error', reject);
    const lines = Object.entries({ Host: `127.0.0.1:${port}`, Connection: 'close', ...headers }).map(([k, v]) => `${k}: ${v}\r\n`);
    socket.write(`GET ${path} HTTP/1.1\r\n${lines.join('')}\r\n`);
  });
}

/** Header lines of a raw response, without the status line, Date and X-Request-Id. */
const headerLines = (raw: string) =>
  raw
    .split('\r\n\r\n')[0]!
    .split('\r\n')
    .slice(1)
    .filter((l) => !/^(date|x-request-id):/i.test(l));

const kidsOf = (body: string) => (JSON.parse(body) as { keys: { kid: string }[] }).keys.map((k) => k.kid);

describe('discovery and JWKS from prepared bytes', () => {
  let server: TestServer;
  let port: number;
  before(async () => {
    server = await startTestServer();
    port = server.port;
  });
  after(() => server.stop());

  for (const path of [DISCOVERY, JWKS]) {
    it(`${path}: the kept answer is byte for byte the chain's, request id and Date aside`, async () => {
      // The first request after start is answered by the chain (oidc-provider behind our middleware) and kept.
      const fromChain = await wire(port, path, { 'X-Request-Id': 'compare-0001' });
      const kept = await wire(port, path, { 'X-Request-Id': 'compare-0001' });
      assert.match(fromChain, /^HTTP\/1\.1 200 OK\r\n/);
      assert.equal(kept, fromChain);
      // Another spelling always goes through the chain: the same answer there too.
      const query = await wire(port, `${path}?x=1`, { 'X-Request-Id': 'compare-0001' });
      assert.equal(query, fromChain);
      // CORS as the chain answers it: the request's Origin echoed, `*` for none or an empty one.
      for (const origin of ['https://app.example.com', '']) {
        const keptFor = await wire(port, path, { 'X-Request-Id': 'compare-0001', Origin: origin });
        assert.equal(keptFor, await wire(port, `${path}?x=1`, { 'X-Request-Id': 'compare-0001', Origin: origin }), `Origin: ${origin}`);
      }
      const upper = await get(`${server.url}${path.toUpperCase()}`);
      assert.equal(upper.status, 200);
      assert.equal(upper.body, fromChain.split('\r\n\r\n')[1]);
    });
  }

  for (const path of [DISCOVERY, JWKS]) {
    it(`${path}: type, CORS, cache and security headers; If-None-Match answered 304 as the chain answers it`, async () => {
      const first = await get(server.url + path);
      const second = await get(server.url + path);
      assert.equal(second.body, first.body);
      const health = await get(`${server.url}/healthz`);
      for (const res of [first, second]) {
        assert.equal(res.status, 200);
        assert.match(String(res.headers['content-type']), path === JWKS ? /^application\/jwk-set\+json/ : /^application\/json/);
        assert.equal(res.headers['access-control-allow-origin'], '*');
        assert.equal(res.headers.vary, 'Origin');
        assert.equal(res.headers['cache-control'], 'no-cache');
        for (const name of ['x-content-type-options', 'referrer-policy', 'x-frame-options', 'cross-origin-opener-policy']) {
          assert.equal(res.headers[name], health.headers[name], `${name} as on every other answer`);
        }
        assert.match(String(res.headers['x-request-id']), /^[0-9a-f-]{36}$/);
      }
      assert.notEqual(first.headers['x-request-id'], second.headers['x-request-id'], 'each request its own id');
      const etag = String(second.headers.etag);
      assert.match(etag, /^"[A-Za-z0-9_-]{27}"$/);
      assert.equal(first.headers.etag, etag);

      for (const ifNoneMatch of [etag, `W/${etag}`, `"other", ${etag}`, '*']) {
        const revalidated = await get(server.url + path, { 'if-none-match': ifNoneMatch });
        assert.equal(revalidated.status, 304, ifNoneMatch);
        assert.equal(revalidated.body, '');
        assert.equal(revalidated.headers.etag, etag);
        assert.equal(revalidated.headers['content-type'], undefined);
      }
      assert.equal((await get(server.url + path, { 'if-none-match': '"other"' })).body, first.body);
      // A client that asks for no cached copy gets the body, as Koa's `fresh` rules say.
      assert.equal((await get(server.url + path, { 'if-none-match': etag, 'cache-control': 'no-cache' })).status, 200);

      // The 304 written from the kept answer is the one the chain writes (the chain answers the `?` spelling).
      const kept304 = await wire(port, path, { 'If-None-Match': etag, 'X-Request-Id': 'compare-0002' });
      const chain304 = await wire(port, `${path}?`, { 'If-None-Match': etag, 'X-Request-Id': 'compare-0002' });
      assert.match(kept304, /^HTTP\/1\.1 304 Not Modified\r\n/);
      assert.deepEqual(headerLines(kept304), headerLines(chain304));
      assert.equal(kept304, chain304);
    });
  }

  it('each answer carries its own request id and CORS origin; HEAD gets the headers alone', async () => {
    await get(server.url + JWKS);
    const mine = await get(server.url + JWKS, { 'x-request-id': 'client-chosen.id_1', origin: 'https://app.example' });
    assert.equal(mine.headers['x-request-id'], 'client-chosen.id_1');
    assert.equal(mine.headers['access-control-allow-origin'], 'https://app.example');
    const malformed = await get(server.url + JWKS, { 'x-request-id': 'no spaces allowed here' });
    assert.match(String(malformed.headers['x-request-id']), /^[0-9a-f-]{36}$/);
    const head = await get(server.url + JWKS, {}, 'HEAD');
    assert.equal(head.status, 200);
    assert.equal(head.body, '');
    assert.equal(head.headers['content-length'], String(Buffer.byteLength(mine.body)));
    assert.equal(head.headers.etag, mine.headers.etag);
  });

  it('a request with a body is answered by the chain: a declared body over the limit is 413', async () => {
    await get(server.url + JWKS);
    const big = await wire(port, JWKS, { 'Content-Length': String(64 * 1024 + 1) });
    assert.match(big, /^HTTP\/1\.1 413 /);
    assert.match(big, /"error":"invalid_request"/);
    // Kept answers are still served to requests without one.
    assert.equal((await get(server.url + JWKS)).status, 200);
  });

  it('counted in the request metrics like any other answer', async () => {
    const count = async () => {
      const text = (await get(`${server.url}/metrics`)).body;
      const line = text.split('\n').find((l) => l.startsWith(`propusk_http_requests_total{route="${JWKS}",method="GET",status="200"}`));
      return Number(line?.split(' ').at(-1) ?? 0);
    };
    await get(server.url + JWKS);
    const before = await count();
    for (let i = 0; i < 5; i++) await get(server.url + JWKS);
    assert.equal(await count(), before + 5);
  });

  it('URLs are the issuer\'s whatever Host the request names', async () => {
    const own = JSON.parse((await get(server.url + DISCOVERY, { host: new URL(server.url).host })).body) as { jwks_uri: string };
    const other = JSON.parse((await get(server.url + DISCOVERY, { host: 'other.example:8443' })).body) as { jwks_uri: string };
    assert.equal(own.jwks_uri, `${server.url}${JWKS}`);
    assert.equal(other.jwks_uri, `${server.url}${JWKS}`);
  });

  it('a key rotation and a new API in another process (the admin CLI) show within a second; the next answer is kept again', async () => {
    const before = kidsOf((await get(server.url + JWKS)).body);
    await get(server.url + JWKS); // now answered from the kept bytes, which the rotation must replace
    const rotated = await runCli(['admin', 'keys', 'rotate', '--json'], server.env);
    assert.equal(rotated.code, 0, rotated.stderr);
    const { kid } = JSON.parse(rotated.stdout) as { kid: string };
    const { value: kids, afterMs } = await eventually('the JWKS leads with the new key', 1000, async () => {
      const listed = kidsOf((await get(server.url + JWKS)).body);
      return listed[0] === kid ? listed : undefined;
    });
    assert.ok(afterMs <= 1000, `published after ${afterMs} ms`);
    for (const old of before) assert.ok(kids.includes(old), 'the previous key stays published');
    // Kept again: the next answers are identical to the first one after the change.
    const a = await wire(port, JWKS, { 'X-Request-Id': 'compare-0003' });
    assert.equal(await wire(port, JWKS, { 'X-Request-Id': 'compare-0003' }), a);

    const scopes = async () => (JSON.parse((await get(server.url + DISCOVERY)).body) as { scopes_supported: string[] }).scopes_supported;
    await scopes();
    const created = await runCli(['admin', 'resource', 'create', '--scope', 'extern.cache-test', '--name', 'Cache test API', '--json'], server.env);
    assert.equal(created.code, 0, created.stderr);
    const added = await eventually('discovery lists the new scope', 1000, async () => ((await scopes()).includes('extern.cache-test') ? true : undefined));
    assert.ok(added.afterMs <= 1000, `advertised after ${added.afterMs} ms`);
  });
});

describe('PreparedAnswers in front of a chain', () => {
  let http: Server;
  let url: string;
  let answers: PreparedAnswers;
  let calls = 0;
  let acao: string | undefined;
  let hold: Promise<void> | undefined;

  before(async () => {
    answers = new PreparedAnswers(['/doc'], { metrics: new Metrics(), logger: createLogger('silent') });
    const app = new Koa();
    app.use(requestId());
    app.use(async (ctx, next) => {
      await next();
      ctx.set('X-Content-Type-Options', 'nosniff');
    });
    app.use(answers.middleware());
    app.use(async (ctx) => {
      calls++;
      await hold;
      if (acao !== undefined) ctx.set('Access-Control-Allow-Origin', acao);
      ctx.body = { answer: calls };
    });
    const chain = app.callback();
    http = createServer((req, res) => {
      // What no HTTP parser lets through, to see a kept answer that cannot be written fall back to the chain.
      if (req.headers['x-test-origin'] === 'unwritable') req.headers.origin = 'https://a.example\u0000';
      if (!answers.handle(req, res)) void chain(req, res);
    });
    await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((r) => http.close(() => r())));

  const answer = async (path = '/doc', method = 'GET') => {
    const res = await get(url + path, {}, method);
    return method === 'HEAD' ? res.status : (JSON.parse(res.body) as { answer: number }).answer;
  };

  it('the chain answers once; the rest come from the kept bytes until clear()', async () => {
    answers.clear();
    calls = 0;
    assert.equal(await answer('/doc', 'HEAD'), 200, 'a HEAD is answered by the chain and not kept');
    assert.equal(calls, 1);
    assert.equal(await answer(), 2);
    assert.equal(await answer(), 2);
    assert.equal(await answer(), 2);
    assert.equal(await answer('/doc', 'HEAD'), 200);
    assert.equal(calls, 2, 'kept: the chain is not asked again');
    assert.equal(await answer('/doc?again'), 3, 'another spelling goes through the chain');
    answers.clear();
    assert.equal(await answer(), 4);
    assert.equal(await answer(), 4);
  });

  it('an answer begun before clear() is not kept', async () => {
    answers.clear();
    calls = 0;
    let release!: () => void;
    hold = new Promise((r) => (release = r));
    const pending = answer();
    await eventually('the chain has the request', 2000, async () => (calls === 1 ? true : undefined));
    answers.clear();
    release();
    hold = undefined;
    assert.equal(await pending, 1);
    assert.equal(await answer(), 2, 'the chain answers again after the change');
    assert.equal(await answer(), 2);
  });

  it('a kept answer that cannot be written (an origin no header may carry) is left to the chain', async () => {
    answers.clear();
    calls = 0;
    // Open CORS: the kept answer echoes each request's origin.
    acao = '*';
    try {
      assert.equal(await answer(), 1);
      assert.equal(await answer(), 1, 'kept');
      const res = await get(`${url}/doc`, { 'x-test-origin': 'unwritable' });
      assert.equal(res.status, 200);
      assert.equal(calls, 2, 'the chain answered');
      assert.equal(await answer(), 1, 'the kept answer still serves the others');
    } finally {
      acao = undefined;
    }
  });

  it('an answer whose CORS is not the open policy is never kept', async () => {
    answers.clear();
    calls = 0;
    acao = 'https://one.example';
    try {
      assert.equal(await answer(), 1);
      assert.equal(await answer(), 2);
    } finally {
      acao = undefined;
    }
  });
});
