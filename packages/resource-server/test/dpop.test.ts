// DPoP (RFC 9449) in the library against the fake issuer: accepted proofs,
// and every refusal with its code, status and WWW-Authenticate challenge,
// through a real node:http server (nodeHttp), the Express and Koa adapters
// and authenticateRequest; the modes allowed / required / off.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import { createServer, request, type OutgoingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { once } from 'node:events';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import {
  authenticateRequest,
  createVerifier,
  DEFAULT_DPOP_ALGORITHMS,
  errorResponse,
  express,
  koa,
  nodeHttp,
  ResourceServerError,
  type DpopReplayStore,
  type KoaContextLike,
  type Principal,
  type Verifier,
  type VerifierOptions,
} from '../src/index.ts';
import { API_CLIENT_ID, API_CLIENT_SECRET, AUDIENCE, startFakeIssuer, type FakeIssuer } from './fake-issuer.ts';

interface Key {
  privateKey: CryptoKey;
  jwk: JWK;
  jkt: string;
}

async function newKey(alg = 'ES256'): Promise<Key> {
  const { publicKey, privateKey } = await generateKeyPair(alg);
  const jwk = await exportJWK(publicKey);
  return { privateKey, jwk, jkt: await calculateJwkThumbprint(jwk, 'sha256') };
}

const ath = (token: string) => createHash('sha256').update(token).digest('base64url');

interface ProofOptions {
  nonce?: string;
  htm?: string;
  htu: string;
  token?: string;
  /** Omit `ath` when the token is undefined and this is true. */
  noAth?: boolean;
  ath?: string;
  iat?: number;
  jti?: string;
  typ?: string;
  alg?: string;
}

/** Signs a proof the way a client does (or, with the options, a bad one). */
function proof(key: Key, o: ProofOptions): Promise<string> {
  const claims: Record<string, unknown> = {
    htm: o.htm ?? 'GET',
    htu: o.htu,
    jti: o.jti ?? randomUUID(),
    iat: o.iat ?? Math.floor(Date.now() / 1000),
  };
  if (o.nonce !== undefined) claims.nonce = o.nonce;
  if (o.ath !== undefined) claims.ath = o.ath;
  else if (!o.noAth && o.token !== undefined) claims.ath = ath(o.token);
  return new SignJWT(claims)
    .setProtectedHeader({ alg: o.alg ?? 'ES256', typ: o.typ ?? 'dpop+jwt', jwk: key.jwk })
    .sign(key.privateKey);
}

interface Answer {
  status: number;
  wwwAuthenticate: string | undefined;
  body: Record<string, unknown>;
}

function call(port: number, path: string, headers: OutgoingHttpHeaders | string[] = {}, method = 'GET'): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers, method }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, wwwAuthenticate: res.headers['www-authenticate'], body: JSON.parse(text) as Record<string, unknown> });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

const ALGS = DEFAULT_DPOP_ALGORITHMS.join(' ');
/** `DPoP realm="extern.api", error="<error>", error_description="…", algs="…"` */
const dpopChallenge = (error: string) =>
  new RegExp(`^DPoP realm="extern\\.api", error="${error}", error_description="[^"]+", algs="${ALGS}"$`);

function assertProofRefused(answer: Answer): void {
  assert.equal(answer.status, 401, JSON.stringify(answer.body));
  assert.equal(answer.body.error, 'invalid_dpop_proof');
  assert.match(answer.wwwAuthenticate ?? '', dpopChallenge('invalid_dpop_proof'));
}

function assertTokenRefused(answer: Answer): void {
  assert.equal(answer.status, 401, JSON.stringify(answer.body));
  assert.equal(answer.body.error, 'invalid_token');
  assert.match(answer.wwwAuthenticate ?? '', dpopChallenge('invalid_token'));
}

const code = (expected: string) => (error: unknown) => {
  assert.ok(error instanceof ResourceServerError, String(error));
  assert.equal(error.code, expected);
  return true;
};

describe('DPoP', () => {
  let fake: FakeIssuer;
  let key: Key;
  let otherKey: Key;
  const options = (extra: Partial<VerifierOptions> = {}): VerifierOptions => ({
    issuer: fake.issuer,
    audience: AUDIENCE,
    credentials: { clientId: API_CLIENT_ID, clientSecret: API_CLIENT_SECRET },
    ...extra,
  });

  before(async () => {
    fake = await startFakeIssuer();
    key = await newKey();
    otherKey = await newKey();
    fake.activeToken('bound', { token_type: 'DPoP', cnf: { jkt: key.jkt } });
    fake.activeToken('bound-narrow', { token_type: 'DPoP', cnf: { jkt: key.jkt }, scope: 'openid' });
    fake.activeToken('unbound');
    fake.activeToken('dpop-type-without-cnf', { token_type: 'DPoP' });
    fake.activeToken('mtls-bound', { cnf: { 'x5t#S256': 'abc' } });
  });
  after(() => fake.close());

  describe('through nodeHttp (a real server)', () => {
    let server: Server;
    let port: number;
    let base: string;
    let handled: Principal[];
    const verifiers: Record<string, Verifier> = {};

    before(async () => {
      handled = [];
      verifiers.allowed = createVerifier(options());
      verifiers.required = createVerifier(options({ dpop: 'required' }));
      verifiers.off = createVerifier(options({ dpop: 'off' }));
      verifiers.nocache = createVerifier(options({ cache: false }));
      const routes = new Map([
        ['/allowed', nodeHttp(verifiers.allowed!, { scopes: ['extern.api'] })],
        ['/required', nodeHttp(verifiers.required!)],
        ['/off', nodeHttp(verifiers.off!)],
        ['/nocache', nodeHttp(verifiers.nocache!)],
        ['/proxied', nodeHttp(verifiers.allowed!, { externalUrl: 'https://api.example.com/extern/' })],
      ]);
      server = createServer(async (req, res) => {
        const authenticate = routes.get((req.url ?? '/').split('?')[0]!)!;
        const principal = await authenticate(req, res);
        if (!principal) return;
        handled.push(principal);
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ sub: principal.sub, jkt: principal.jkt ?? null }));
      });
      server.listen(0, '127.0.0.1');
      await once(server, 'listening');
      port = (server.address() as AddressInfo).port;
      base = `http://127.0.0.1:${port}`;
    });
    after(async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    });

    const dpopCall = async (path: string, token: string, p: string | string[], method = 'GET') =>
      call(port, path, { authorization: `DPoP ${token}`, dpop: p }, method);

    it('accepts a DPoP-bound token with a fresh proof for this method and URL; principal.jkt is the key thumbprint', async () => {
      const answer = await dpopCall('/allowed', 'bound', await proof(key, { htu: `${base}/allowed`, token: 'bound' }));
      assert.equal(answer.status, 200, JSON.stringify(answer.body));
      assert.deepEqual(answer.body, { sub: 'user-1', jkt: key.jkt });
    });

    it('compares htu without query and fragment, and the scheme case-insensitively', async () => {
      const answer = await dpopCall('/allowed?page=2', 'bound', await proof(key, { htu: `HTTP://127.0.0.1:${port}/allowed#x`, token: 'bound' }));
      assert.equal(answer.status, 200, JSON.stringify(answer.body));
    });

    it('refuses a replayed proof (jti single use): 401 invalid_dpop_proof', async () => {
      const p = await proof(key, { htu: `${base}/allowed`, token: 'bound' });
      assert.equal((await dpopCall('/allowed', 'bound', p)).status, 200);
      assertProofRefused(await dpopCall('/allowed', 'bound', p));
    });

    it('refuses a proof for another URL, and for another method', async () => {
      assertProofRefused(await dpopCall('/allowed', 'bound', await proof(key, { htu: `${base}/other`, token: 'bound' })));
      assertProofRefused(await dpopCall('/allowed', 'bound', await proof(key, { htu: `http://localhost:${port}/allowed`, token: 'bound' })));
      assertProofRefused(await dpopCall('/allowed', 'bound', await proof(key, { htm: 'POST', htu: `${base}/allowed`, token: 'bound' })));
      assertProofRefused(await dpopCall('/allowed', 'bound', await proof(key, { htu: `${base}/allowed`, token: 'bound' }), 'DELETE'));
    });

    it('refuses a proof signed by another key than the token is bound to: 401 invalid_token', async () => {
      assertTokenRefused(await dpopCall('/allowed', 'bound', await proof(otherKey, { htu: `${base}/allowed`, token: 'bound' })));
    });

    it('refuses an old iat and an iat in the future (60 s window, 5 s skew)', async () => {
      const now = Math.floor(Date.now() / 1000);
      assertProofRefused(await dpopCall('/allowed', 'bound', await proof(key, { htu: `${base}/allowed`, token: 'bound', iat: now - 120 })));
      assertProofRefused(await dpopCall('/allowed', 'bound', await proof(key, { htu: `${base}/allowed`, token: 'bound', iat: now + 30 })));
      // Within the window and the skew: accepted.
      assert.equal((await dpopCall('/allowed', 'bound', await proof(key, { htu: `${base}/allowed`, token: 'bound', iat: now - 50 }))).status, 200);
      assert.equal((await dpopCall('/allowed', 'bound', await proof(key, { htu: `${base}/allowed`, token: 'bound', iat: now + 3 }))).status, 200);
    });

    it('refuses a missing ath and a wrong ath', async () => {
      assertProofRefused(await dpopCall('/allowed', 'bound', await proof(key, { htu: `${base}/allowed`, token: 'bound', noAth: true })));
      assertProofRefused(await dpopCall('/allowed', 'bound', await proof(key, { htu: `${base}/allowed`, ath: ath('another-token') })));
    });

    it('refuses a wrong typ, a missing or repeated DPoP header, and garbage', async () => {
      assertProofRefused(await dpopCall('/allowed', 'bound', await proof(key, { htu: `${base}/allowed`, token: 'bound', typ: 'JWT' })));
      assertProofRefused(await call(port, '/allowed', { authorization: 'DPoP bound' }));
      const p = await proof(key, { htu: `${base}/allowed`, token: 'bound' });
      assertProofRefused(await call(port, '/allowed', ['Host', `127.0.0.1:${port}`, 'Authorization', 'DPoP bound', 'DPoP', p, 'DPoP', p]));
      assertProofRefused(await dpopCall('/allowed', 'bound', 'not.a.jwt'));
    });

    it('refuses a symmetric algorithm (an oct key in the header) and a private key in the header', async () => {
      const secret = new Uint8Array(32).fill(7);
      const hs = await new SignJWT({ htm: 'GET', htu: `${base}/allowed`, jti: randomUUID(), iat: Math.floor(Date.now() / 1000), ath: ath('bound') })
        .setProtectedHeader({ alg: 'HS256', typ: 'dpop+jwt', jwk: { kty: 'oct', k: Buffer.from(secret).toString('base64url') } as JWK })
        .sign(secret);
      assertProofRefused(await dpopCall('/allowed', 'bound', hs));
      const { privateKey } = await generateKeyPair('ES256', { extractable: true });
      const privateJwk = await exportJWK(privateKey);
      const leaky = await new SignJWT({ htm: 'GET', htu: `${base}/allowed`, jti: randomUUID(), iat: Math.floor(Date.now() / 1000), ath: ath('bound') })
        .setProtectedHeader({ alg: 'ES256', typ: 'dpop+jwt', jwk: privateJwk })
        .sign(privateKey);
      assertProofRefused(await dpopCall('/allowed', 'bound', leaky));
    });

    it('refuses a DPoP-bound token sent as Bearer: 401 invalid_token, Bearer challenge plus a DPoP one', async () => {
      const answer = await call(port, '/allowed', { authorization: 'Bearer bound' });
      assert.equal(answer.status, 401);
      assert.equal(answer.body.error, 'invalid_token');
      assert.match(
        answer.wwwAuthenticate ?? '',
        new RegExp(`^Bearer realm="extern\\.api", error="invalid_token", error_description="[^"]+", DPoP realm="extern\\.api", algs="${ALGS}"$`),
      );
    });

    it('refuses a Bearer (unbound) token sent with the DPoP scheme, and mTLS-bound or inconsistent tokens', async () => {
      assertTokenRefused(await dpopCall('/allowed', 'unbound', await proof(key, { htu: `${base}/allowed`, token: 'unbound' })));
      assertTokenRefused(await dpopCall('/allowed', 'mtls-bound', await proof(key, { htu: `${base}/allowed`, token: 'mtls-bound' })));
      assertTokenRefused(await dpopCall('/allowed', 'dpop-type-without-cnf', await proof(key, { htu: `${base}/allowed`, token: 'dpop-type-without-cnf' })));
    });

    it('checks scopes after the binding: 403 insufficient_scope with a DPoP challenge', async () => {
      const answer = await dpopCall('/allowed', 'bound-narrow', await proof(key, { htu: `${base}/allowed`, token: 'bound-narrow' }));
      assert.equal(answer.status, 403);
      assert.match(answer.wwwAuthenticate ?? '', new RegExp(`^DPoP realm="extern\\.api", error="insufficient_scope", error_description="[^"]+", scope="extern\\.api", algs="${ALGS}"$`));
    });

    it('keeps Bearer as it was in the default mode: unbound Bearer accepted, no credentials get the Bearer challenge alone', async () => {
      assert.equal((await call(port, '/allowed', { authorization: 'Bearer unbound' })).status, 200);
      const missing = await call(port, '/allowed');
      assert.equal(missing.status, 401);
      assert.equal(missing.wwwAuthenticate, 'Bearer realm="extern.api"');
    });

    it("dpop 'required': Bearer and no credentials are refused with a DPoP challenge; DPoP works", async () => {
      for (const headers of [{ authorization: 'Bearer unbound' }, {}]) {
        const answer = await call(port, '/required', headers);
        assert.equal(answer.status, 401);
        assert.equal(answer.body.error, 'unauthorized');
        assert.equal(answer.wwwAuthenticate, `DPoP realm="extern.api", algs="${ALGS}"`);
      }
      const malformed = await call(port, '/required', { authorization: 'DPoP a b' });
      assert.equal(malformed.status, 400);
      assert.match(malformed.wwwAuthenticate ?? '', /^DPoP realm="extern\.api", error="invalid_request", error_description="[^"]+", algs="/);
      const ok = await dpopCall('/required', 'bound', await proof(key, { htu: `${base}/required`, token: 'bound' }));
      assert.equal(ok.status, 200);
    });

    it("dpop 'off': the DPoP scheme is an unknown scheme and a bound token as Bearer is invalid_token, Bearer challenges only", async () => {
      const dpop = await dpopCall('/off', 'bound', await proof(key, { htu: `${base}/off`, token: 'bound' }));
      assert.equal(dpop.status, 401);
      assert.equal(dpop.body.error, 'unauthorized');
      assert.equal(dpop.wwwAuthenticate, 'Bearer realm="extern.api"');
      const bearer = await call(port, '/off', { authorization: 'Bearer bound' });
      assert.equal(bearer.status, 401);
      assert.match(bearer.wwwAuthenticate ?? '', /^Bearer realm="extern\.api", error="invalid_token", error_description="[^"]+"$/);
      assert.equal((await call(port, '/off', { authorization: 'Bearer unbound' })).status, 200);
    });

    it('externalUrl: htu is the configured base plus the request path, not the Host the request came with', async () => {
      const good = await dpopCall('/proxied', 'bound', await proof(key, { htu: 'https://api.example.com/extern/proxied', token: 'bound' }));
      assert.equal(good.status, 200, JSON.stringify(good.body));
      assertProofRefused(await dpopCall('/proxied', 'bound', await proof(key, { htu: `${base}/proxied`, token: 'bound' })));
    });

    it('works without the result cache too, and refuses the same way', async () => {
      assert.equal((await dpopCall('/nocache', 'bound', await proof(key, { htu: `${base}/nocache`, token: 'bound' }))).status, 200);
      assertTokenRefused(await dpopCall('/nocache', 'bound', await proof(otherKey, { htu: `${base}/nocache`, token: 'bound' })));
    });
  });

  describe('authenticateRequest, adapters and options', () => {
    it('authenticateRequest takes the method and URL as its fourth argument', async () => {
      const verifier = createVerifier(options());
      const url = 'https://api.example.com/v1/me';
      const principal = await authenticateRequest(
        verifier,
        new Headers({ authorization: 'DPoP bound', dpop: await proof(key, { htu: url, token: 'bound' }) }),
        {},
        { method: 'GET', url },
      );
      assert.equal(principal.jkt, key.jkt);
      // Without them a DPoP request cannot be checked: a plain Error (500), not a client error.
      const withoutRequest = authenticateRequest(verifier, { authorization: 'DPoP bound', dpop: await proof(key, { htu: url, token: 'bound' }) });
      await assert.rejects(withoutRequest, (error: unknown) => !(error instanceof ResourceServerError) && errorResponse(error, 'x').status === 500);
    });

    it('a JWT access token with cnf.jkt is verified the same way (ath over the JWT)', async () => {
      const verifier = createVerifier(options());
      const jwt = await fake.signJwt({ cnf: { jkt: key.jkt } });
      const url = 'https://api.example.com/v1/me';
      const principal = await authenticateRequest(verifier, { authorization: `DPoP ${jwt}`, dpop: await proof(key, { htu: url, token: jwt }) }, {}, { method: 'GET', url });
      assert.equal(principal.jkt, key.jkt);
      await assert.rejects(authenticateRequest(verifier, { authorization: `Bearer ${jwt}` }), code('ERR_TOKEN_INVALID'));
      await assert.rejects(
        authenticateRequest(verifier, { authorization: `DPoP ${jwt}`, dpop: await proof(otherKey, { htu: url, token: jwt }) }, {}, { method: 'GET', url }),
        code('ERR_TOKEN_INVALID'),
      );
    });

    it('Express passes the method and the unmounted originalUrl through', async () => {
      const verifier = createVerifier(options());
      const p = await proof(key, { htm: 'POST', htu: 'http://api.test/reports/2024', token: 'bound' });
      const req = {
        method: 'POST',
        url: '/2024',
        originalUrl: '/reports/2024',
        headers: { host: 'api.test' },
        rawHeaders: ['Host', 'api.test', 'Authorization', 'DPoP bound', 'DPoP', p],
      } as const;
      let auth: Principal | undefined;
      await new Promise<void>((resolve, reject) => {
        const target: { auth?: Principal } & typeof req = { ...req };
        express(verifier)(target, { statusCode: 200, setHeader: () => undefined, end: () => reject(new Error('answered')) }, (error) => {
          if (error !== undefined) reject(error as Error);
          auth = target.auth;
          resolve();
        });
      });
      assert.equal(auth?.jkt, key.jkt);
    });

    it('Koa passes ctx.req (method, url, Host) through, or ctx.method and ctx.href', async () => {
      const verifier = createVerifier(options());
      const fromReq = await proof(key, { htu: 'http://api.test/v1/me', token: 'bound' });
      const headersSet = new Map<string, string>();
      const ctx: KoaContextLike = {
        req: { method: 'GET', url: '/v1/me?x=1', headers: { host: 'api.test' }, rawHeaders: ['Host', 'api.test', 'Authorization', 'DPoP bound', 'DPoP', fromReq] },
        state: {},
        status: 404,
        body: undefined,
        set: (name, value) => void headersSet.set(name, value),
      };
      await koa(verifier)(ctx, async () => {});
      assert.equal(ctx.state.auth?.jkt, key.jkt, JSON.stringify(ctx.body));

      const fromHref = await proof(key, { htu: 'https://api.test/v1/me', token: 'bound' });
      const bare: KoaContextLike = {
        method: 'GET',
        href: 'https://api.test/v1/me',
        headers: { authorization: 'DPoP bound', dpop: fromHref },
        state: {},
        status: 404,
        body: undefined,
        set: () => undefined,
      };
      await koa(verifier)(bare, async () => {});
      assert.equal(bare.state.auth?.jkt, key.jkt, JSON.stringify(bare.body));
      // Replaying it through Koa: refused with the DPoP challenge.
      const again: KoaContextLike = { ...bare, state: {}, set: (name, value) => void headersSet.set(name.toLowerCase(), value) };
      await koa(verifier)(again, async () => assert.fail('next() after a replay'));
      assert.equal(again.status, 401);
      assert.match(headersSet.get('www-authenticate') ?? '', dpopChallenge('invalid_dpop_proof'));
    });

    it('a shared replay store refuses a proof replayed at another instance', async () => {
      const ids = new Map<string, number>();
      const shared: DpopReplayStore = {
        add: async (id, expiresAt) => {
          if ((ids.get(id) ?? 0) > Date.now()) return false;
          ids.set(id, expiresAt);
          return true;
        },
      };
      const a = createVerifier(options({ dpopProofs: { replayStore: shared } }));
      const b = createVerifier(options({ dpopProofs: { replayStore: shared } }));
      const url = 'https://api.example.com/v1/me';
      const p = await proof(key, { htu: url, token: 'bound' });
      await authenticateRequest(a, { authorization: 'DPoP bound', dpop: p }, {}, { method: 'GET', url });
      await assert.rejects(authenticateRequest(b, { authorization: 'DPoP bound', dpop: p }, {}, { method: 'GET', url }), code('ERR_DPOP_PROOF_INVALID'));
      assert.equal(ids.size, 1);
      const [expiresAt] = [...ids.values()];
      assert.ok(expiresAt! > Date.now() + 55_000 && expiresAt! <= Date.now() + 71_000, `jti kept for the window: ${expiresAt! - Date.now()} ms`);
    });

    it('the algorithms option limits proofs and the challenge; maxAgeSeconds narrows the window', async () => {
      const verifier = createVerifier(options({ dpopProofs: { algorithms: ['EdDSA', 'Ed25519'], maxAgeSeconds: 10 } }));
      assert.deepEqual(verifier.dpopAlgorithms, ['EdDSA', 'Ed25519']);
      const url = 'https://api.example.com/v1/me';
      const refused = await authenticateRequest(verifier, { authorization: 'DPoP bound', dpop: await proof(key, { htu: url, token: 'bound' }) }, {}, { method: 'GET', url }).then(
        () => assert.fail('an ES256 proof was accepted'),
        (error: unknown) => error as ResourceServerError,
      );
      assert.equal(refused.code, 'ERR_DPOP_PROOF_INVALID');
      assert.match(errorResponse(refused, 'api').headers['www-authenticate'] ?? '', /, algs="EdDSA Ed25519"$/);
      const ed = await newKey('Ed25519');
      fake.activeToken('bound-ed', { token_type: 'DPoP', cnf: { jkt: ed.jkt } });
      const ok = await authenticateRequest(verifier, { authorization: 'DPoP bound-ed', dpop: await proof(ed, { htu: url, token: 'bound-ed', alg: 'Ed25519' }) }, {}, { method: 'GET', url });
      assert.equal(ok.jkt, ed.jkt);
      const old = await proof(ed, { htu: url, token: 'bound-ed', alg: 'Ed25519', iat: Math.floor(Date.now() / 1000) - 20 });
      await assert.rejects(authenticateRequest(verifier, { authorization: 'DPoP bound-ed', dpop: old }, {}, { method: 'GET', url }), code('ERR_DPOP_PROOF_INVALID'));
    });

    it('server nonces: a proof without one or with a stale one gets 401 use_dpop_nonce and the nonce in DPoP-Nonce; with it, accepted', async () => {
      const secret = 'a-secret-of-at-least-thirty-two-bytes!';
      const verifier = createVerifier(options({ dpopProofs: { nonce: { secret, lifetimeSeconds: 1 } } }));
      const url = 'https://api.example.com/v1/me';
      const attempt = async (nonce?: string) =>
        authenticateRequest(verifier, { authorization: 'DPoP bound', dpop: await proof(key, { htu: url, token: 'bound', ...(nonce === undefined ? {} : { nonce }) }) }, {}, { method: 'GET', url }).then(
          (principal) => ({ principal, error: undefined, answer: undefined }),
          (error: unknown) => ({ principal: undefined, error: error as ResourceServerError, answer: errorResponse(error, 'extern.api') }),
        );
      const first = await attempt();
      assert.equal(first.answer?.status, 401);
      assert.equal(first.answer?.body.error, 'use_dpop_nonce');
      assert.match(first.answer?.headers['www-authenticate'] ?? '', new RegExp(`^DPoP realm="extern\\.api", error="use_dpop_nonce", error_description="[^"]+", algs="${ALGS}"$`));
      const nonce = first.answer?.headers['dpop-nonce'];
      assert.match(nonce ?? '', /^[A-Za-z0-9_-]{43}$/);
      assert.equal((await attempt(nonce)).principal?.jkt, key.jkt);
      // Another instance with the same secret accepts it; one with another secret does not.
      const sibling = createVerifier(options({ dpopProofs: { nonce: { secret, lifetimeSeconds: 1 } } }));
      const stranger = createVerifier(options({ dpopProofs: { nonce: { secret: `${secret}-other`, lifetimeSeconds: 1 } } }));
      const run = async (v: Verifier) =>
        authenticateRequest(v, { authorization: 'DPoP bound', dpop: await proof(key, { htu: url, token: 'bound', nonce: nonce! }) }, {}, { method: 'GET', url });
      assert.equal((await run(sibling)).jkt, key.jkt);
      await assert.rejects(run(stranger), code('ERR_DPOP_NONCE'));
      assert.equal((await attempt('x'.repeat(43))).error?.code, 'ERR_DPOP_NONCE');
      // Current plus previous window: after more than two lifetimes it is stale.
      await new Promise((r) => setTimeout(r, 2100));
      const stale = await attempt(nonce);
      assert.equal(stale.error?.code, 'ERR_DPOP_NONCE');
      assert.notEqual(stale.answer?.headers['dpop-nonce'], nonce);
      assert.throws(() => createVerifier(options({ dpopProofs: { nonce: { secret: 'short' } } })), TypeError);
    });

    it('validates the options: symmetric algorithms, none and unknown modes are refused', () => {
      for (const algorithms of [['HS256'], ['none'], [], ['ES256', 'HS512']]) {
        assert.throws(() => createVerifier(options({ dpopProofs: { algorithms } })), TypeError, JSON.stringify(algorithms));
      }
      assert.throws(() => createVerifier(options({ dpop: 'sometimes' as 'allowed' })), TypeError);
      assert.throws(() => createVerifier(options({ dpopProofs: { maxAgeSeconds: 0 } })), TypeError);
      assert.throws(() => createVerifier(options({ dpopProofs: { replayCacheMax: 0 } })), TypeError);
      assert.equal(createVerifier(options()).dpop, 'allowed');
    });
  });
});
