// The library against the real Propusk provider (started in-process on an
// ephemeral port by the server's test harness): opaque tokens through the
// real introspection endpoint, RFC 9068 JWT access tokens through the real
// JWKS, and every refusal with its code, status and WWW-Authenticate header.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  authenticateRequest,
  createVerifier,
  errorResponse,
  requireScopes,
  ResourceServerError,
  type FetchLike,
  type HeadersLike,
  type Principal,
  type VerifierOptions,
} from '../src/index.ts';
import { postForm, startTestServer, type TestServer } from '../../server/test/support/server.ts';
import { createClient, resourceCredentials } from '../../server/test/support/fixtures.ts';
import type { AppContext } from '../../server/src/context.ts';

const EXTERN_API = 'urn:propusk:api:extern.api';
const TEST_TOOLS = 'urn:propusk:api:extern.test-tools';
const JWT_API = 'urn:propusk:api:extern.jwt';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A `fetch` that counts the requests it forwards, by path. */
function countingFetch(): { fetch: FetchLike; calls: (path: string) => number } {
  const counts = new Map<string, number>();
  return {
    fetch: (input, init) => {
      const path = new URL(input).pathname;
      counts.set(path, (counts.get(path) ?? 0) + 1);
      return fetch(input, init);
    },
    calls: (path) => counts.get(path) ?? 0,
  };
}

interface Refusal {
  code: string;
  status: number;
  wwwAuthenticate: string | undefined;
  error: string;
}

/** Authenticates `headers` and returns how the request is refused (the test fails if it is accepted). */
async function refusal(
  options: VerifierOptions | ReturnType<typeof createVerifier>,
  headers: HeadersLike,
  scopes?: readonly string[],
): Promise<Refusal> {
  const verifier = 'verify' in options ? options : createVerifier(options);
  let refused: Refusal | undefined;
  await assert.rejects(authenticateRequest(verifier, headers, scopes === undefined ? {} : { scopes }), (error: unknown) => {
    assert.ok(error instanceof ResourceServerError, `expected a ResourceServerError, got ${String(error)}`);
    const answer = errorResponse(error, verifier.audience);
    refused = {
      code: error.code,
      status: answer.status,
      wwwAuthenticate: answer.headers['www-authenticate'],
      error: answer.body.error,
    };
    return true;
  });
  return refused!;
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** `Bearer realm="<audience>", error="invalid_token", error_description="…"` */
const invalidToken = (audience = EXTERN_API) =>
  new RegExp(`^Bearer realm="${audience.replace(/[.]/g, '\\.')}", error="invalid_token", error_description="[^"]+"$`);

/**
 * A resource whose tokens live 1 s, so that real expiry can be observed in a
 * test. The admin service refuses lifetimes under 60 s, so it is written
 * through the repository (test setup only) and announced like the service does.
 */
async function shortLivedResource(ctx: AppContext, scope: string, format: 'opaque' | 'jwt') {
  const indicator = `urn:propusk:api:${scope}`;
  const clientId = `rs.${scope}`;
  await ctx.clients.createIntrospectionClient(clientId, `${scope} (introspection)`);
  await ctx.repos.resources.create({ indicator, scope, name: scope, accessTokenFormat: format, accessTokenSigningAlg: format === 'jwt' ? 'RS256' : null, accessTokenTtl: 1, introspectionClientId: clientId });
  await ctx.repos.changes.publish('resource', indicator);
  return indicator;
}

describe('resource-server against the real provider', () => {
  let server: TestServer;
  let client: { clientId: string; apiKey: string };
  let api: { clientId: string; secret: string };
  let testTools: { clientId: string; secret: string };
  let jwtApi: { clientId: string; secret: string };
  let shortOpaque: { clientId: string; secret: string };

  const options = (extra: Partial<VerifierOptions> = {}): VerifierOptions => ({
    issuer: server.issuer,
    audience: EXTERN_API,
    credentials: { clientId: api.clientId, clientSecret: api.secret },
    ...extra,
  });

  /** A client_credentials access token for `scope`. */
  const issue = async (scope = 'extern.api'): Promise<string> => {
    const res = await postForm(`${server.url}/connect/token`, {
      grant_type: 'client_credentials',
      client_id: client.clientId,
      client_secret: client.apiKey,
      scope,
    });
    assert.equal(res.status, 200, res.text);
    return res.json.access_token as string;
  };

  const revoke = async (token: string) => {
    const res = await postForm(`${server.url}/connect/revocation`, {
      token,
      client_id: client.clientId,
      client_secret: client.apiKey,
    });
    assert.equal(res.status, 200, res.text);
  };

  before(async () => {
    server = await startTestServer();
    const ctx = server.context;
    await ctx.resources.create({ scope: 'extern.jwt', name: 'JWT API', accessTokenFormat: 'jwt' }, 'admin-cli');
    await shortLivedResource(ctx, 'extern.short', 'opaque');
    await shortLivedResource(ctx, 'extern.short-jwt', 'jwt');
    client = await createClient(ctx, {
      clientId: 'rs-lib.tests',
      scopes: ['extern.api', 'extern.test-tools', 'extern.jwt', 'extern.short', 'extern.short-jwt'],
    });
    api = await resourceCredentials(ctx, 'extern.api');
    testTools = await resourceCredentials(ctx, 'extern.test-tools');
    jwtApi = await resourceCredentials(ctx, 'extern.jwt');
    shortOpaque = await resourceCredentials(ctx, 'extern.short');
  });
  after(() => server.stop());

  describe('accepted tokens', () => {
    it('accepts an opaque client_credentials token for extern.api (one introspection, then the cache)', async () => {
      const counter = countingFetch();
      const verifier = createVerifier(options({ fetch: counter.fetch }));
      const token = await issue();
      const before = Date.now();
      const principal = await authenticateRequest(verifier, bearer(token), { scopes: ['extern.api'] });
      assert.equal(principal.clientId, client.clientId);
      assert.equal(principal.sub, undefined, 'a client_credentials token has no end user');
      assert.deepEqual(principal.scopes, ['extern.api']);
      assert.equal(principal.claims.aud, EXTERN_API);
      assert.equal(principal.claims.iss, server.issuer);
      // 24 h by default (docs/api-documentation.md), with a second of slack for the request itself.
      const lifetime = principal.expiresAt.getTime() - before;
      assert.ok(lifetime > 86_398_000 && lifetime <= 86_401_000, `lifetime ${lifetime} ms`);

      assert.equal(await verifier.verify(token), principal, 'the second verification is a cache hit');
      assert.equal(counter.calls('/connect/introspect'), 1);
      assert.equal(counter.calls('/.well-known/openid-configuration'), 1);
    });

    it('the provider issues RFC 9068 at+jwt tokens for a JWT resource, verified locally with the JWKS', async () => {
      const token = await issue('extern.jwt');
      const [header, payload] = token.split('.').slice(0, 2).map((part) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>);
      assert.equal(header?.typ, 'at+jwt');
      assert.equal(header?.alg, 'RS256');
      assert.equal(typeof header?.kid, 'string');
      assert.equal(payload?.aud, JWT_API);
      assert.equal(payload?.iss, server.issuer);
      assert.equal(payload?.client_id, client.clientId);

      const counter = countingFetch();
      const verifier = createVerifier(
        options({ audience: JWT_API, credentials: { clientId: jwtApi.clientId, clientSecret: jwtApi.secret }, cache: false, fetch: counter.fetch }),
      );
      const principal = await authenticateRequest(verifier, bearer(token), { scopes: ['extern.jwt'] });
      assert.equal(principal.clientId, client.clientId);
      assert.deepEqual(principal.scopes, ['extern.jwt']);
      assert.equal(principal.claims.aud, JWT_API);
      assert.equal(principal.expiresAt.getTime(), (payload?.exp as number) * 1000);
      // A second token signed with the same key needs no further issuer request.
      await verifier.verify(await issue('extern.jwt'));
      assert.equal(counter.calls('/connect/introspect'), 0, 'JWTs are never introspected');
      assert.equal(counter.calls('/.well-known/openid-configuration/jwks'), 1);
    });
  });

  describe('wrong audience', () => {
    it('an opaque token for extern.test-tools is inactive for extern.api: 401 ERR_TOKEN_INACTIVE', async () => {
      const token = await issue('extern.test-tools');
      // The token itself is good: its own API accepts it.
      const own = createVerifier(options({ audience: TEST_TOOLS, credentials: { clientId: testTools.clientId, clientSecret: testTools.secret } }));
      assert.equal((await own.verify(token)).claims.aud, TEST_TOOLS);
      // Propusk shows a token only to the API it was issued for, so extern.api learns
      // nothing but active: false (the library's own aud check is the second line).
      const refused = await refusal(options(), bearer(token));
      assert.equal(refused.code, 'ERR_TOKEN_INACTIVE');
      assert.equal(refused.status, 401);
      assert.equal(refused.error, 'invalid_token');
      assert.match(refused.wwwAuthenticate ?? '', invalidToken());
    });

    it('a JWT for another API is refused locally: 401 ERR_AUDIENCE', async () => {
      const token = await issue('extern.jwt');
      const refused = await refusal(options(), bearer(token));
      assert.equal(refused.code, 'ERR_AUDIENCE');
      assert.equal(refused.status, 401);
      assert.equal(refused.error, 'invalid_token');
      assert.match(refused.wwwAuthenticate ?? '', invalidToken());
    });
  });

  describe('expiry (tokens of resources whose lifetime is 1 s)', () => {
    it('an expired JWT is refused with 401 ERR_TOKEN_EXPIRED, even after it was cached', async () => {
      const audience = 'urn:propusk:api:extern.short-jwt';
      const verifier = createVerifier(options({ audience, cache: { ttlSeconds: 60 } }));
      const token = await issue('extern.short-jwt');
      const principal = await verifier.verify(token);
      assert.ok(principal.expiresAt.getTime() - Date.now() <= 1000);
      await sleep(principal.expiresAt.getTime() - Date.now() + 1100);
      const refused = await refusal(verifier, bearer(token));
      assert.equal(refused.code, 'ERR_TOKEN_EXPIRED');
      assert.equal(refused.status, 401);
      assert.equal(refused.error, 'invalid_token');
      assert.match(refused.wwwAuthenticate ?? '', invalidToken(audience));
    });

    it('an expired opaque token is inactive at the issuer: 401 ERR_TOKEN_INACTIVE, even after it was cached', async () => {
      const audience = 'urn:propusk:api:extern.short';
      const counter = countingFetch();
      const verifier = createVerifier(
        options({ audience, credentials: { clientId: shortOpaque.clientId, clientSecret: shortOpaque.secret }, cache: { ttlSeconds: 60 }, fetch: counter.fetch }),
      );
      const token = await issue('extern.short');
      const principal = await verifier.verify(token);
      await sleep(principal.expiresAt.getTime() - Date.now() + 1100);
      const refused = await refusal(verifier, bearer(token));
      assert.equal(refused.code, 'ERR_TOKEN_INACTIVE');
      assert.equal(refused.status, 401);
      assert.match(refused.wwwAuthenticate ?? '', invalidToken(audience));
      assert.equal(counter.calls('/connect/introspect'), 2, 'the cached entry ended at exp and the issuer was asked again');
    });
  });

  describe('revocation', () => {
    it('with a 1 s cache: still accepted right after revocation (the documented delay), refused once the TTL has passed', async () => {
      const verifier = createVerifier(options({ cache: { ttlSeconds: 1 } }));
      const token = await issue();
      await verifier.verify(token);
      await revoke(token);
      await verifier.verify(token); // served from the cache: this is the revocation delay
      await sleep(1200);
      const refused = await refusal(verifier, bearer(token));
      assert.equal(refused.code, 'ERR_TOKEN_INACTIVE');
      assert.equal(refused.status, 401);
      assert.match(refused.wwwAuthenticate ?? '', invalidToken());
    });

    it('with the cache disabled: refused at the next request', async () => {
      const verifier = createVerifier(options({ cache: false }));
      const token = await issue();
      await verifier.verify(token);
      await revoke(token);
      const refused = await refusal(verifier, bearer(token));
      assert.equal(refused.code, 'ERR_TOKEN_INACTIVE');
      assert.equal(refused.status, 401);
      assert.equal(refused.error, 'invalid_token');
      assert.match(refused.wwwAuthenticate ?? '', invalidToken());
    });
  });

  describe('bad requests', () => {
    it('missing Authorization header, or another scheme: 401 ERR_TOKEN_MISSING with a bare challenge', async () => {
      for (const headers of [{}, { authorization: `Basic ${Buffer.from('a:b').toString('base64')}` }]) {
        const refused = await refusal(options(), headers);
        assert.deepEqual(refused, { code: 'ERR_TOKEN_MISSING', status: 401, wwwAuthenticate: `Bearer realm="${EXTERN_API}"`, error: 'unauthorized' });
      }
    });

    it('a malformed header is 400 ERR_TOKEN_MALFORMED (invalid_request) and never reaches the issuer', async () => {
      const counter = countingFetch();
      const verifier = createVerifier(options({ fetch: counter.fetch }));
      for (const authorization of ['Bearer', 'Bearer a b', 'Bearer tok#en', 'Bearer ']) {
        const refused = await refusal(verifier, { authorization });
        assert.equal(refused.code, 'ERR_TOKEN_MALFORMED', authorization);
        assert.equal(refused.status, 400);
        assert.equal(refused.error, 'invalid_request');
        assert.match(refused.wwwAuthenticate ?? '', /^Bearer realm="urn:propusk:api:extern\.api", error="invalid_request", error_description="[^"]+"$/);
      }
      assert.equal(counter.calls('/connect/introspect'), 0);
    });

    it('an unknown opaque token is 401 ERR_TOKEN_INACTIVE; a forged at+jwt is 401 ERR_TOKEN_INVALID', async () => {
      const unknown = await refusal(options(), bearer('x'.repeat(43)));
      assert.equal(unknown.code, 'ERR_TOKEN_INACTIVE');
      assert.equal(unknown.status, 401);
      assert.match(unknown.wwwAuthenticate ?? '', invalidToken());

      // A real token with its payload changed: the signature no longer matches.
      const [header, payload, signature] = (await issue('extern.jwt')).split('.');
      const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString('utf8')) as Record<string, unknown>;
      const forgedPayload = Buffer.from(JSON.stringify({ ...claims, aud: EXTERN_API, scope: 'extern.api' })).toString('base64url');
      const forged = await refusal(options(), bearer(`${header}.${forgedPayload}.${signature}`));
      assert.equal(forged.code, 'ERR_TOKEN_INVALID');
      assert.equal(forged.status, 401);
      assert.match(forged.wwwAuthenticate ?? '', invalidToken());
    });

    it('a token without a required scope is 403 ERR_INSUFFICIENT_SCOPE naming the required scopes', async () => {
      const verifier = createVerifier(options());
      const token = await issue();
      const refused = await refusal(verifier, bearer(token), ['extern.api', 'extern.reports']);
      assert.equal(refused.code, 'ERR_INSUFFICIENT_SCOPE');
      assert.equal(refused.status, 403);
      assert.equal(refused.error, 'insufficient_scope');
      assert.match(refused.wwwAuthenticate ?? '', /^Bearer realm="urn:propusk:api:extern\.api", error="insufficient_scope", error_description="[^"]+", scope="extern\.api extern\.reports"$/);
      // The same token passes with the scope it has, and requireScopes agrees.
      const principal: Principal = await authenticateRequest(verifier, bearer(token), { scopes: ['extern.api'] });
      assert.throws(() => requireScopes(principal, 'extern.reports'), { code: 'ERR_INSUFFICIENT_SCOPE' });
    });
  });

  it('single-flight: 25 concurrent verifications of a new token make one introspection request', async () => {
    for (const cache of [{}, false] as const) {
      const counter = countingFetch();
      const verifier = createVerifier(options({ cache, fetch: counter.fetch }));
      await verifier.ready();
      const token = await issue();
      const principals = await Promise.all(Array.from({ length: 25 }, () => verifier.verify(token)));
      assert.equal(counter.calls('/connect/introspect'), 1, `cache ${JSON.stringify(cache)}`);
      assert.ok(principals.every((p) => p === principals[0]), 'every caller gets the one result');
      // Nothing is shared once the flight has landed: without a cache the next check asks again.
      await verifier.verify(token);
      assert.equal(counter.calls('/connect/introspect'), cache === false ? 2 : 1);
    }
  });
});

describe('resource-server when the issuer is down', () => {
  it('answers 503 ERR_ISSUER_UNAVAILABLE without a challenge, for new tokens and uncached checks', async () => {
    const server = await startTestServer();
    const ctx = server.context;
    const { apiKey, clientId } = await createClient(ctx, { clientId: 'rs-lib.down' });
    const api = await resourceCredentials(ctx, 'extern.api');
    const issue = async () => {
      const res = await postForm(`${server.url}/connect/token`, { grant_type: 'client_credentials', client_id: clientId, client_secret: apiKey, scope: 'extern.api' });
      assert.equal(res.status, 200, res.text);
      return res.json.access_token as string;
    };
    const make = (cache: VerifierOptions['cache']) =>
      createVerifier({ issuer: server.issuer, audience: EXTERN_API, credentials: { clientId: api.clientId, clientSecret: api.secret }, cache, timeout: 2000 });
    const cached = make({});
    const uncached = make(false);
    const neverStarted = make({});
    const [known, fresh] = [await issue(), await issue()];
    await cached.verify(known);
    await uncached.verify(known);

    await server.stop();

    const unavailable = { code: 'ERR_ISSUER_UNAVAILABLE', status: 503, wwwAuthenticate: undefined, error: 'temporarily_unavailable' };
    assert.deepEqual(await refusal(cached, bearer(fresh)), unavailable, 'a token not in the cache');
    assert.deepEqual(await refusal(uncached, bearer(known)), unavailable, 'no cache: every check needs the issuer');
    assert.deepEqual(await refusal(neverStarted, bearer(known)), unavailable, 'discovery fails');
    await assert.rejects(neverStarted.ready(), { code: 'ERR_ISSUER_UNAVAILABLE' });
    // Failures are not cached: asking again still goes to the (still absent) issuer.
    assert.deepEqual(await refusal(cached, bearer(fresh)), unavailable);
  });
});
