import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, request, type OutgoingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { once } from 'node:events';
import {
  authenticateRequest,
  createVerifier,
  errorResponse,
  express,
  koa,
  nodeHttp,
  ResourceServerError,
  TokenMissingError,
  type ExpressRequestLike,
  type KoaContextLike,
  type Principal,
  type Verifier,
} from '../src/index.ts';
import { API_CLIENT_ID, API_CLIENT_SECRET, AUDIENCE, startFakeIssuer, type FakeIssuer } from './fake-issuer.ts';

const code = (expected: string) => (error: unknown) => {
  assert.ok(error instanceof ResourceServerError);
  assert.equal(error.code, expected);
  return true;
};

interface Answer {
  status: number;
  wwwAuthenticate: string | undefined;
  body: Record<string, unknown>;
}

/** One request with raw control over headers (so Authorization can be repeated). */
function call(port: number, path: string, headers: OutgoingHttpHeaders | string[] = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => {
        const header = res.headers['www-authenticate'];
        resolve({ status: res.statusCode ?? 0, wwwAuthenticate: header, body: JSON.parse(text) as Record<string, unknown> });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

const unreachableFetch = async (): Promise<Response> => {
  throw new TypeError('fetch failed');
};

describe('adapters', () => {
  let fake: FakeIssuer;
  let verifier: Verifier;
  let down: Verifier;

  before(async () => {
    fake = await startFakeIssuer();
    const credentials = { clientId: API_CLIENT_ID, clientSecret: API_CLIENT_SECRET };
    verifier = createVerifier({ issuer: fake.issuer, audience: AUDIENCE, credentials });
    down = createVerifier({ issuer: fake.issuer, audience: AUDIENCE, credentials, fetch: unreachableFetch });
    fake.activeToken('good', { scope: 'openid extern.api' });
    fake.activeToken('other-aud', { aud: 'extern.test-tools' });
  });
  after(() => fake.close());

  describe('authenticateRequest', () => {
    it('reads only the Authorization header and checks scopes', async () => {
      const principal = await authenticateRequest(verifier, { authorization: 'Bearer good' }, { scopes: ['extern.api'] });
      assert.equal(principal.sub, 'user-1');
      await assert.rejects(authenticateRequest(verifier, { cookie: 'access_token=good' }), code('ERR_TOKEN_MISSING'));
      await assert.rejects(
        authenticateRequest(verifier, new Headers({ authorization: 'Bearer good' }), { scopes: ['extern.admin'] }),
        code('ERR_INSUFFICIENT_SCOPE'),
      );
      await assert.rejects(
        authenticateRequest(verifier, { authorization: ['Bearer good', 'Bearer good'] }),
        code('ERR_TOKEN_MALFORMED'),
      );
    });
  });

  describe('nodeHttp (real server)', () => {
    let server: Server;
    let port: number;
    let handled: Principal[];

    before(async () => {
      handled = [];
      const plain = nodeHttp(verifier);
      const scoped = nodeHttp(verifier, { scopes: ['extern.api', 'extern.admin'], realm: 'Propusk API' });
      const broken = nodeHttp(down);
      server = createServer(async (req, res) => {
        const authenticate = req.url === '/admin' ? scoped : req.url === '/down' ? broken : plain;
        const principal = await authenticate(req, res);
        if (!principal) return;
        handled.push(principal);
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ sub: principal.sub, scopes: principal.scopes }));
      });
      server.listen(0, '127.0.0.1');
      await once(server, 'listening');
      port = (server.address() as AddressInfo).port;
    });
    after(async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    });

    it('lets a valid token through', async () => {
      const answer = await call(port, '/', { authorization: 'Bearer good' });
      assert.equal(answer.status, 200);
      assert.deepEqual(answer.body, { sub: 'user-1', scopes: ['openid', 'extern.api'] });
      assert.equal(handled.length, 1);
    });

    it('missing token: 401 with a bare challenge (token in query or cookie is ignored)', async () => {
      const answer = await call(port, '/?access_token=good', { cookie: 'access_token=good' });
      assert.equal(answer.status, 401);
      assert.equal(answer.wwwAuthenticate, 'Bearer realm="extern.api"');
      assert.equal(answer.body.error, 'unauthorized');
    });

    it('two Authorization headers or a malformed one: 400 invalid_request', async () => {
      const twice = await call(port, '/', ['Host', 'api', 'Authorization', 'Bearer good', 'Authorization', 'Bearer good']);
      assert.equal(twice.status, 400);
      assert.match(twice.wwwAuthenticate ?? '', /^Bearer realm="extern\.api", error="invalid_request", error_description="/);
      assert.equal(twice.body.error, 'invalid_request');
      const malformed = await call(port, '/', { authorization: 'Bearer a b' });
      assert.equal(malformed.status, 400);
      assert.equal(malformed.body.error, 'invalid_request');
    });

    it('inactive token and wrong audience: 401 invalid_token', async () => {
      const inactive = await call(port, '/', { authorization: 'Bearer revoked' });
      assert.equal(inactive.status, 401);
      assert.equal(
        inactive.wwwAuthenticate,
        'Bearer realm="extern.api", error="invalid_token", error_description="The access token is not active"',
      );
      assert.deepEqual(inactive.body, { error: 'invalid_token', error_description: 'The access token is not active' });
      const aud = await call(port, '/', { authorization: 'Bearer other-aud' });
      assert.equal(aud.status, 401);
      assert.match(aud.wwwAuthenticate ?? '', /error="invalid_token"/);
    });

    it('insufficient scope: 403 with scope= and the configured realm', async () => {
      const answer = await call(port, '/admin', { authorization: 'Bearer good' });
      assert.equal(answer.status, 403);
      assert.match(answer.wwwAuthenticate ?? '', /^Bearer realm="Propusk API", error="insufficient_scope", .*scope="extern\.api extern\.admin"$/);
      assert.equal(answer.body.error, 'insufficient_scope');
    });

    it('issuer unreachable: 503 without a challenge', async () => {
      const answer = await call(port, '/down', { authorization: 'Bearer good' });
      assert.equal(answer.status, 503);
      assert.equal(answer.wwwAuthenticate, undefined);
      assert.equal(answer.body.error, 'temporarily_unavailable');
      assert.equal(handled.filter((p) => p.sub === undefined).length, 0);
    });
  });

  describe('express (fake req/res)', () => {
    const fakeRes = () => {
      const headers = new Map<string, string>();
      const res = {
        statusCode: 200,
        body: undefined as string | undefined,
        headers,
        setHeader(name: string, value: string) {
          headers.set(name.toLowerCase(), value);
        },
        end(body?: string) {
          res.body = body;
        },
      };
      return res;
    };
    const run = (mw: ReturnType<typeof express>, rawHeaders: string[]) =>
      new Promise<{ req: ExpressRequestLike; res: ReturnType<typeof fakeRes>; nextCalled: boolean }>((resolve) => {
        const req: ExpressRequestLike = { rawHeaders };
        const res = fakeRes();
        const origEnd = res.end;
        res.end = (body?: string) => {
          origEnd(body);
          resolve({ req, res, nextCalled: false });
        };
        mw(req, res, (error?: unknown) => {
          assert.equal(error, undefined);
          resolve({ req, res, nextCalled: true });
        });
      });

    it('sets req.auth and calls next()', async () => {
      const { req, nextCalled, res } = await run(express(verifier, { scopes: ['extern.api'] }), ['Authorization', 'Bearer good']);
      assert.equal(nextCalled, true);
      assert.equal(req.auth?.clientId, 'awesome_device_client');
      assert.equal(res.body, undefined);
    });

    it('answers 401 for a missing token and does not call next()', async () => {
      const { req, res, nextCalled } = await run(express(verifier), ['Host', 'api']);
      assert.equal(nextCalled, false);
      assert.equal(req.auth, undefined);
      assert.equal(res.statusCode, 401);
      assert.equal(res.headers.get('www-authenticate'), 'Bearer realm="extern.api"');
      assert.equal(JSON.parse(res.body ?? '{}').error, 'unauthorized');
    });

    it('answers 403 for insufficient scope and 503 when the issuer is down', async () => {
      const forbidden = await run(express(verifier, { scopes: ['extern.admin'] }), ['Authorization', 'Bearer good']);
      assert.equal(forbidden.res.statusCode, 403);
      assert.match(forbidden.res.headers.get('www-authenticate') ?? '', /error="insufficient_scope".*scope="extern\.admin"/);
      const unavailable = await run(express(down), ['Authorization', 'Bearer fresh-token']);
      assert.equal(unavailable.nextCalled, false);
      assert.equal(unavailable.res.statusCode, 503);
      assert.equal(unavailable.res.headers.get('www-authenticate'), undefined);
      assert.equal(JSON.parse(unavailable.res.body ?? '{}').error, 'temporarily_unavailable');
    });
  });

  describe('koa (fake ctx)', () => {
    const fakeCtx = (rawHeaders: string[]) => {
      const headers = new Map<string, string>();
      const ctx: KoaContextLike & { headersSet: Map<string, string> } = {
        req: { rawHeaders },
        state: {},
        status: 404,
        body: undefined,
        headersSet: headers,
        set(name: string, value: string) {
          headers.set(name.toLowerCase(), value);
        },
      };
      return ctx;
    };

    it('sets ctx.state.auth and awaits next()', async () => {
      const ctx = fakeCtx(['authorization', 'Bearer good']);
      let nextCalled = false;
      await koa(verifier, { scopes: ['extern.api'] })(ctx, async () => {
        nextCalled = true;
      });
      assert.equal(nextCalled, true);
      assert.equal(ctx.state.auth?.sub, 'user-1');
    });

    it('answers 401 / 400 / 403 / 503 itself without calling next()', async () => {
      const cases: Array<[Verifier, string[], readonly string[] | undefined, number, string, RegExp | undefined]> = [
        [verifier, ['Host', 'api'], undefined, 401, 'unauthorized', /^Bearer realm="extern\.api"$/],
        [verifier, ['Authorization', 'Bearer good', 'authorization', 'Bearer good'], undefined, 400, 'invalid_request', /error="invalid_request"/],
        [verifier, ['Authorization', 'Bearer revoked'], undefined, 401, 'invalid_token', /error="invalid_token"/],
        [verifier, ['Authorization', 'Bearer good'], ['extern.admin'], 403, 'insufficient_scope', /scope="extern\.admin"/],
        [down, ['Authorization', 'Bearer fresh-token'], undefined, 503, 'temporarily_unavailable', undefined],
      ];
      for (const [v, raw, scopes, status, error, challenge] of cases) {
        const ctx = fakeCtx(raw);
        let nextCalled = false;
        await koa(v, { scopes })(ctx, async () => {
          nextCalled = true;
        });
        assert.equal(nextCalled, false, `${status}`);
        assert.equal(ctx.state.auth, undefined);
        assert.equal(ctx.status, status);
        assert.equal((ctx.body as { error: string }).error, error);
        if (challenge === undefined) assert.equal(ctx.headersSet.get('www-authenticate'), undefined);
        else assert.match(ctx.headersSet.get('www-authenticate') ?? '', challenge);
      }
    });

    it('rethrows unexpected errors to Koa', async () => {
      const broken: Verifier = {
        issuer: 'x',
        audience: 'y',
        verify: () => Promise.reject(new Error('bug')),
        ready: () => Promise.resolve(),
      };
      await assert.rejects(koa(broken)(fakeCtx(['Authorization', 'Bearer t']), async () => {}), /bug/);
    });
  });

  describe('errorResponse', () => {
    it('renders library errors and hides unexpected ones behind a 500', () => {
      const missing = errorResponse(new TokenMissingError('x'), 'r"e\\alm');
      assert.equal(missing.status, 401);
      assert.equal(missing.headers['www-authenticate'], 'Bearer realm="r?e?alm"');
      assert.equal(missing.headers['cache-control'], 'no-store');
      const bug = errorResponse(new Error('secret detail'), 'r');
      assert.equal(bug.status, 500);
      assert.doesNotMatch(JSON.stringify(bug.body), /secret/);
    });
  });
});
