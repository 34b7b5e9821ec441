/**
 * The provider's signing keys (provider/signing-keys.ts): node:crypto signatures behind
 * oidc-provider's external-signing interface, made in one batch per event-loop turn, their CPU
 * time reported; and, through the running server, tokens signed that way and the metric.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createPublicKey, verify, type JsonWebKey } from 'node:crypto';
import { createRemoteJWKSet, exportJWK, generateKeyPair, jwtVerify, type JWK } from 'jose';
import { LocalSigningKey } from '../../src/provider/signing-keys.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { createClient } from '../support/fixtures.ts';

const ALGS = ['RS256', 'ES256', 'EdDSA'] as const;

async function privateJwk(alg: (typeof ALGS)[number]): Promise<JWK> {
  const { privateKey } = await generateKeyPair(alg, { extractable: true });
  return { ...(await exportJWK(privateKey)), kid: `test-${alg}`, alg, use: 'sig' };
}

const verifies = (alg: string, jwk: JWK, data: Buffer, signature: Uint8Array) => {
  const key = createPublicKey({ key: jwk as JsonWebKey, format: 'jwk' });
  return alg === 'EdDSA' ? verify(null, data, key, signature) : verify('sha256', data, alg === 'ES256' ? { key, dsaEncoding: 'ieee-p1363' } : key, signature);
};

describe('LocalSigningKey', () => {
  for (const alg of ALGS) {
    it(`${alg}: signs what node:crypto verifies with the published key, and publishes the public members only`, async () => {
      const jwk = await privateJwk(alg);
      const seen: [string, number][] = [];
      const key = new LocalSigningKey(jwk, (a, seconds) => seen.push([a, seconds]));
      const data = Buffer.from('eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4In0');
      const signature = await key.sign(data);
      assert.ok(verifies(alg, jwk, data, signature));
      assert.ok(!verifies(alg, jwk, Buffer.from('something else'), signature));
      if (alg === 'ES256') assert.equal(signature.length, 64, 'R‖S, as JWS wants, not DER');
      assert.equal(key.kid, jwk.kid);
      assert.equal(key.alg, alg);
      assert.equal(key.kty, jwk.kty);
      for (const member of ['n', 'e', 'crv', 'x', 'y'] as const) assert.equal(key[member], jwk[member], member);
      assert.equal(key.keyObject().type, 'public');
      assert.deepEqual(seen.map(([a]) => a), [alg]);
      assert.ok(seen[0]![1] >= 0 && seen[0]![1] < 1);
    });
  }

  it('signs what is asked during one turn together, at its end, and each caller gets its own signature', async () => {
    const jwk = await privateJwk('ES256');
    let made = 0;
    const key = new LocalSigningKey(jwk, () => made++);
    const inputs = Array.from({ length: 10 }, (_, i) => Buffer.from(`header.payload-${i}`));
    const promises = inputs.map((d) => key.sign(d));
    assert.equal(made, 0, 'nothing signed before the turn ends');
    const signatures = await Promise.all(promises);
    assert.equal(made, 10);
    signatures.forEach((s, i) => assert.ok(verifies('ES256', jwk, inputs[i]!, s), `signature ${i} is over its own input`));
  });

  it('refuses a key that does not fit its algorithm, or has no kid', async () => {
    const ec = await privateJwk('ES256');
    assert.throws(() => new LocalSigningKey({ ...ec, alg: 'RS256' }), /a RS256 key must be RSA/);
    assert.throws(() => new LocalSigningKey({ ...ec, alg: 'EdDSA' }), /a EdDSA key must be OKP Ed25519/);
    assert.throws(() => new LocalSigningKey({ ...ec, alg: 'HS256' }), /unsupported algorithm HS256/);
    assert.throws(() => new LocalSigningKey({ ...ec, kid: undefined }), /without kid/);
  });
});

describe('signatures in the running server', () => {
  let server: TestServer;
  let client: { clientId: string; apiKey: string };
  before(async () => {
    server = await startTestServer({ PROPUSK_TOKEN_RATE_LIMIT: '0' });
    for (const alg of ALGS) await server.context.resources.create({ scope: `sig.${alg.toLowerCase()}`, name: `Signed ${alg}`, accessTokenFormat: 'jwt', accessTokenSigningAlg: alg }, 'admin-cli');
    client = await createClient(server.context, { clientId: 'sig.client', grantTypes: ['client_credentials'], scopes: ALGS.map((a) => `sig.${a.toLowerCase()}`) });
  });
  after(() => server.stop());

  const token = async (scope: string) => {
    const res = await fetch(`${server.url}/connect/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.apiKey, scope }),
    });
    assert.equal(res.status, 200);
    return ((await res.json()) as { access_token: string }).access_token;
  };

  it('many tokens asked for at once are each signed right, and counted by algorithm in the metrics', async () => {
    const jwks = createRemoteJWKSet(new URL(`${server.url}/.well-known/openid-configuration/jwks`));
    const count = async (alg: string) => {
      const text = await (await fetch(`${server.url}/metrics`)).text();
      return Number(text.match(new RegExp(`^propusk_jws_signature_seconds_count\\{alg="${alg}"\\} (\\d+)$`, 'm'))?.[1] ?? 0);
    };
    for (const alg of ALGS) {
      const before = await count(alg);
      const scope = `sig.${alg.toLowerCase()}`;
      const tokens = await Promise.all(Array.from({ length: 12 }, () => token(scope)));
      assert.equal(new Set(tokens).size, 12);
      for (const t of tokens) {
        const { protectedHeader, payload } = await jwtVerify(t, jwks, { issuer: server.issuer, typ: 'at+jwt', algorithms: [alg] });
        assert.equal(protectedHeader.alg, alg);
        assert.equal(payload.client_id, 'sig.client');
      }
      assert.equal((await count(alg)) - before, 12, `${alg}: one signature per token`);
    }
  });
});
