import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { once } from 'node:events';
import {
  createVerifier,
  requireScopes,
  ResourceServerError,
  type Verifier,
  type VerifierOptions,
} from '../src/index.ts';
import { API_CLIENT_ID, API_CLIENT_SECRET, AUDIENCE, startFakeIssuer, type FakeIssuer } from './fake-issuer.ts';

const code = (expected: string) => (error: unknown) => {
  assert.ok(error instanceof ResourceServerError, `expected a ResourceServerError, got ${String(error)}`);
  assert.equal(error.code, expected);
  return true;
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('verifier', () => {
  let fake: FakeIssuer;
  const make = (extra: Partial<VerifierOptions> = {}): Verifier =>
    createVerifier({
      issuer: fake.issuer,
      audience: AUDIENCE,
      credentials: { clientId: API_CLIENT_ID, clientSecret: API_CLIENT_SECRET },
      ...extra,
    });

  before(async () => {
    fake = await startFakeIssuer();
  });
  after(() => fake.close());
  beforeEach(() => {
    fake.tokens.clear();
    fake.override = undefined;
    fake.introspectionDelayMs = 0;
    fake.discoveryOverride = undefined;
    fake.introspectionCalls = 0;
    fake.jwksCalls = 0;
  });

  it('accepts an active opaque token and returns a typed principal', async () => {
    const exp = Math.floor(Date.now() / 1000) + 600;
    fake.activeToken('opaque-1', { exp, scope: 'openid  extern.api', extra: 42 });
    const principal = await make().verify('opaque-1');
    assert.equal(principal.sub, 'user-1');
    assert.equal(principal.clientId, 'awesome_device_client');
    assert.deepEqual(principal.scopes, ['openid', 'extern.api']);
    assert.equal(principal.expiresAt.getTime(), exp * 1000);
    assert.equal(principal.claims.extra, 42);
    assert.ok(Object.isFrozen(principal));
    assert.equal(fake.introspectionCalls, 1);
  });

  it('accepts an aud array that contains the audience, and a token without sub', async () => {
    fake.activeToken('opaque-arr', { aud: ['other.api', AUDIENCE], sub: undefined });
    const principal = await make().verify('opaque-arr');
    assert.equal(principal.sub, undefined);
    assert.equal('sub' in principal, false);
  });

  it('sends the form-urlencoded client_secret_basic credentials (wrong ones -> 503, a config error)', async () => {
    fake.activeToken('opaque-cred');
    await assert.rejects(
      make({ credentials: { clientId: API_CLIENT_ID, clientSecret: 'wrong' } }).verify('opaque-cred'),
      (error: unknown) => {
        code('ERR_ISSUER_UNAVAILABLE')(error);
        assert.equal((error as ResourceServerError).status, 503);
        assert.match((error as Error).message, /credentials/);
        return true;
      },
    );
    // The fake issuer only accepts the credentials form-urlencoded before base64
    // (the client id holds ':', the secret 'é', '&', '=', ' ', '+', '/').
    await assert.doesNotReject(make().verify('opaque-cred'));
  });

  it('accepts a JWT access token (at+jwt) locally, without introspection', async () => {
    const jwt = await fake.signJwt({ scope: 'extern.api' });
    const verifier = make();
    const principal = await verifier.verify(jwt);
    assert.equal(principal.clientId, 'awesome_device_client');
    assert.deepEqual(principal.scopes, ['extern.api']);
    assert.equal(fake.introspectionCalls, 0);
    assert.equal(fake.jwksCalls, 1);
    const second = await fake.signJwt();
    await verifier.verify(second);
    assert.equal(fake.jwksCalls, 1, 'the JWKS is cached');
  });

  it('rejects a JWT signed with a key the issuer does not publish', async () => {
    const verifier = make();
    await verifier.verify(await fake.signJwt());
    // jose refetches on an unknown kid, but not within its 30 s cooldown after a fetch.
    await assert.rejects(verifier.verify(await fake.signJwt({}, { kid: 'unknown' })), code('ERR_TOKEN_INVALID'));
    assert.equal(fake.jwksCalls, 1);
    const fresh = make();
    await assert.rejects(fresh.verify(await fake.signJwt({}, { kid: 'unknown' })), code('ERR_TOKEN_INVALID'));
  });

  it('rejects a JWT without client_id or with another issuer', async () => {
    await assert.rejects(make().verify(await fake.signJwt({ client_id: undefined })), code('ERR_TOKEN_INVALID'));
    await assert.rejects(make().verify(await fake.signJwt({ iss: 'https://evil.example' })), code('ERR_TOKEN_INVALID'));
  });

  it('sends a JWT whose typ is not at+jwt to introspection (an id_token is not an access token)', async () => {
    const idToken = await fake.signJwt({}, { typ: 'JWT' });
    await assert.rejects(make().verify(idToken), code('ERR_TOKEN_INACTIVE'));
    assert.equal(fake.introspectionCalls, 1);
  });

  it('rejects a JWT with a bad signature', async () => {
    const jwt = await fake.signJwt();
    const [h, p] = jwt.split('.');
    await assert.rejects(make().verify(`${h}.${p}.AAAA`), code('ERR_TOKEN_INVALID'));
  });

  it('rejects the wrong audience (opaque and JWT)', async () => {
    fake.activeToken('opaque-aud', { aud: 'extern.test-tools' });
    await assert.rejects(make().verify('opaque-aud'), code('ERR_AUDIENCE'));
    fake.activeToken('opaque-noaud', { aud: undefined });
    await assert.rejects(make().verify('opaque-noaud'), code('ERR_AUDIENCE'));
    const jwt = await fake.signJwt({ aud: ['extern.test-tools'] });
    await assert.rejects(make().verify(jwt), code('ERR_AUDIENCE'));
  });

  it('rejects an expired token (opaque with exp in the past, and JWT)', async () => {
    const past = Math.floor(Date.now() / 1000) - 10;
    fake.activeToken('opaque-exp', { exp: past });
    await assert.rejects(make().verify('opaque-exp'), code('ERR_TOKEN_EXPIRED'));
    const jwt = await fake.signJwt({ exp: past, iat: past - 60 });
    await assert.rejects(make().verify(jwt), code('ERR_TOKEN_EXPIRED'));
    // clockTolerance lets a just-expired token through.
    await assert.doesNotReject(make({ clockTolerance: 60 }).verify('opaque-exp'));
  });

  it('rejects a token from another issuer and a Bearer-less / sender-constrained one', async () => {
    fake.activeToken('opaque-iss', { iss: 'https://evil.example' });
    await assert.rejects(make().verify('opaque-iss'), code('ERR_TOKEN_INVALID'));
    fake.activeToken('opaque-refresh', { token_type: 'refresh_token' });
    await assert.rejects(make().verify('opaque-refresh'), code('ERR_TOKEN_INVALID'));
    fake.activeToken('opaque-cnf', { cnf: { jkt: 'x' } });
    await assert.rejects(make().verify('opaque-cnf'), code('ERR_TOKEN_INVALID'));
    fake.activeToken('opaque-noclient', { client_id: undefined });
    await assert.rejects(make().verify('opaque-noclient'), code('ERR_TOKEN_INVALID'));
  });

  it('rejects an inactive (unknown) token', async () => {
    await assert.rejects(make().verify('never-issued'), code('ERR_TOKEN_INACTIVE'));
  });

  it('notices revocation after the cache TTL', async () => {
    fake.activeToken('opaque-rev');
    const verifier = make({ cache: { ttlSeconds: 0.15 } });
    await verifier.verify('opaque-rev');
    fake.tokens.delete('opaque-rev'); // revoked at the issuer
    await assert.doesNotReject(verifier.verify('opaque-rev'), 'still cached within the TTL');
    assert.equal(fake.introspectionCalls, 1);
    await sleep(200);
    await assert.rejects(verifier.verify('opaque-rev'), code('ERR_TOKEN_INACTIVE'));
    assert.equal(fake.introspectionCalls, 2);
  });

  it('notices revocation immediately with the cache disabled', async () => {
    fake.activeToken('opaque-rev2');
    const verifier = make({ cache: false });
    await verifier.verify('opaque-rev2');
    await verifier.verify('opaque-rev2');
    assert.equal(fake.introspectionCalls, 2);
    fake.tokens.delete('opaque-rev2');
    await assert.rejects(verifier.verify('opaque-rev2'), code('ERR_TOKEN_INACTIVE'));
  });

  it('caches a positive result no longer than the token lives', async () => {
    const exp = Math.ceil((Date.now() + 500) / 1000);
    fake.activeToken('opaque-short', { exp });
    const verifier = make({ cache: { ttlSeconds: 60 } });
    await verifier.verify('opaque-short');
    await sleep(exp * 1000 - Date.now() + 50);
    await assert.rejects(verifier.verify('opaque-short'), code('ERR_TOKEN_EXPIRED'));
    assert.equal(fake.introspectionCalls, 2);
  });

  it('caches negative results briefly, and never caches issuer failures', async () => {
    const verifier = make({ cache: { negativeTtlSeconds: 0.15 } });
    await assert.rejects(verifier.verify('later-active'), code('ERR_TOKEN_INACTIVE'));
    fake.activeToken('later-active');
    await assert.rejects(verifier.verify('later-active'), code('ERR_TOKEN_INACTIVE'));
    assert.equal(fake.introspectionCalls, 1);
    await sleep(200);
    await assert.doesNotReject(verifier.verify('later-active'));
    assert.equal(fake.introspectionCalls, 2);

    fake.override = { kind: 'status', status: 500 };
    fake.activeToken('flaky');
    await assert.rejects(verifier.verify('flaky'), code('ERR_ISSUER_UNAVAILABLE'));
    fake.override = undefined;
    await assert.doesNotReject(verifier.verify('flaky'));
  });

  it('rejects malformed and missing tokens without calling the issuer', async () => {
    const verifier = make();
    await assert.rejects(verifier.verify('two words'), code('ERR_TOKEN_MALFORMED'));
    await assert.rejects(verifier.verify('tok"en'), code('ERR_TOKEN_MALFORMED'));
    await assert.rejects(verifier.verify(''), code('ERR_TOKEN_MISSING'));
    assert.equal(fake.introspectionCalls, 0);
  });

  it('checks scopes (verify option and requireScopes)', async () => {
    fake.activeToken('opaque-scope', { scope: 'openid extern.api' });
    const verifier = make();
    await assert.rejects(verifier.verify('opaque-scope', { scopes: ['extern.api', 'extern.admin'] }), code('ERR_INSUFFICIENT_SCOPE'));
    // Now from the cache (synchronous path).
    await assert.rejects(verifier.verify('opaque-scope', { scopes: ['extern.admin'] }), code('ERR_INSUFFICIENT_SCOPE'));
    const principal = await verifier.verify('opaque-scope', { scopes: ['extern.api'] });
    assert.doesNotThrow(() => requireScopes(principal, 'extern.api', 'openid'));
    assert.throws(
      () => requireScopes(principal, 'extern.api', 'extern.admin'),
      (error: unknown) => {
        code('ERR_INSUFFICIENT_SCOPE')(error);
        assert.equal((error as ResourceServerError).status, 403);
        assert.equal(
          (error as ResourceServerError).wwwAuthenticate('api'),
          'Bearer realm="api", error="insufficient_scope", error_description="The access token lacks a required scope (needs: extern.api extern.admin)", scope="extern.api extern.admin"',
        );
        return true;
      },
    );
  });

  it('answers 503 ERR_ISSUER_UNAVAILABLE when the issuer is down (closed port)', async () => {
    const probe = createServer().listen(0, '127.0.0.1');
    await once(probe, 'listening');
    const { port } = probe.address() as { port: number };
    probe.close();
    await once(probe, 'close');
    const verifier = createVerifier({
      issuer: `http://127.0.0.1:${port}`,
      audience: AUDIENCE,
      credentials: { clientId: API_CLIENT_ID, clientSecret: API_CLIENT_SECRET },
    });
    await assert.rejects(verifier.verify('opaque-any'), (error: unknown) => {
      code('ERR_ISSUER_UNAVAILABLE')(error);
      assert.equal((error as ResourceServerError).status, 503);
      return true;
    });
    await assert.rejects(verifier.ready(), code('ERR_ISSUER_UNAVAILABLE'));
  });

  it('answers 503 on 5xx, garbage, a non-boolean active, and a timeout', async () => {
    fake.activeToken('t');
    fake.override = { kind: 'status', status: 502 };
    await assert.rejects(make().verify('t'), code('ERR_ISSUER_UNAVAILABLE'));
    fake.override = { kind: 'garbage' };
    await assert.rejects(make().verify('t'), code('ERR_ISSUER_UNAVAILABLE'));
    fake.override = { kind: 'json', body: ['active', true] };
    await assert.rejects(make().verify('t'), code('ERR_ISSUER_UNAVAILABLE'));
    fake.override = { kind: 'json', body: { active: 'true' } };
    await assert.rejects(make().verify('t'), code('ERR_ISSUER_UNAVAILABLE'));
    fake.override = undefined;
    fake.introspectionDelayMs = 300;
    const started = Date.now();
    await assert.rejects(make({ timeout: 100 }).verify('t'), (error: unknown) => {
      code('ERR_ISSUER_UNAVAILABLE')(error);
      assert.match((error as Error).message, /timed out/);
      return true;
    });
    assert.ok(Date.now() - started < 290, 'the timeout fired before the answer');
  });

  it('refuses a discovery document whose issuer differs, and retries discovery later', async () => {
    fake.activeToken('t-disc');
    fake.discoveryOverride = { issuer: 'https://other.example', introspection_endpoint: `${fake.issuer}/connect/introspect` };
    const verifier = make();
    await assert.rejects(verifier.verify('t-disc'), (error: unknown) => {
      code('ERR_ISSUER_UNAVAILABLE')(error);
      assert.match((error as Error).message, /does not match/);
      return true;
    });
    assert.equal(fake.introspectionCalls, 0);
    fake.discoveryOverride = undefined;
    await assert.doesNotReject(verifier.verify('t-disc'));
  });

  it('single-flight: 20 concurrent verifications of one new token make one introspection request', async () => {
    fake.activeToken('opaque-sf');
    fake.introspectionDelayMs = 50;
    const verifier = make();
    await verifier.ready();
    const results = await Promise.all(Array.from({ length: 20 }, () => verifier.verify('opaque-sf')));
    assert.equal(fake.introspectionCalls, 1);
    assert.ok(results.every((p) => p === results[0]));
  });

  it('single-flight also applies with the cache disabled, and to failures', async () => {
    fake.introspectionDelayMs = 50;
    const verifier = make({ cache: false });
    const settled = await Promise.allSettled(Array.from({ length: 20 }, () => verifier.verify('opaque-none')));
    assert.ok(settled.every((s) => s.status === 'rejected'));
    assert.equal(fake.introspectionCalls, 1);
  });

  it('keeps at most cache.max entries (LRU eviction)', async () => {
    for (const t of ['a1', 'a2', 'a3']) fake.activeToken(t);
    const verifier = make({ cache: { max: 2 } });
    await verifier.verify('a1');
    await verifier.verify('a2');
    await verifier.verify('a1'); // a1 becomes most recently used
    assert.equal(fake.introspectionCalls, 2);
    await verifier.verify('a3'); // evicts a2
    assert.equal(fake.introspectionCalls, 3);
    await verifier.verify('a1');
    await verifier.verify('a3');
    assert.equal(fake.introspectionCalls, 3, 'a1 and a3 are still cached');
    await verifier.verify('a2');
    assert.equal(fake.introspectionCalls, 4, 'a2 was evicted');
  });

  it('validates options', () => {
    assert.throws(() => make({ issuer: 'not a url' }), TypeError);
    assert.throws(() => make({ audience: '' }), TypeError);
    assert.throws(() => make({ credentials: { clientId: 'x', clientSecret: '' } }), TypeError);
    assert.throws(() => make({ cache: { max: 0 } }), TypeError);
    assert.throws(() => make({ cache: { ttlSeconds: -1 } }), TypeError);
    assert.throws(() => make({ timeout: 0 }), TypeError);
  });
});
