import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { before, describe, it } from 'node:test';
import { SignJWT } from 'jose';
import type { JWTPayload } from 'jose';
import {
  TrustedAssertionError,
  TrustedAssertionErrorCode as Code,
  verifyTrustedAssertion,
} from '../../../src/grants/trusted/verify-assertion.ts';
import type { VerifyTrustedAssertionContext } from '../../../src/grants/trusted/verify-assertion.ts';
import { parsePartnerKey } from '../../../src/partners/parse-key.ts';
import type { PartnerKey } from '../../../src/partners/types.ts';
import { b64json, rsaKeyPair, selfSignedCert, signJwt, toPartnerKey } from './helpers.ts';

const CLIENT = 'partner.ca';
const DAY = 86_400;
const now = new Date(Math.floor(Date.now() / 1000) * 1000);
const t = Math.floor(now.getTime() / 1000);

const fails = (c: string, claim?: string) => (e: unknown) => {
  assert.ok(e instanceof TrustedAssertionError, `expected TrustedAssertionError, got ${String(e)}`);
  assert.equal(e.code, c, e.message);
  if (claim !== undefined) assert.equal(e.claim, claim);
  return true;
};

function claims(overrides: Partial<Record<keyof JWTPayload, unknown>> = {}): JWTPayload {
  const base: JWTPayload = { iss: CLIENT, sub: 'user-42', jti: crypto.randomUUID(), iat: t, exp: t + 3600 };
  for (const [k, v] of Object.entries(overrides)) {
    if (v === undefined) delete base[k];
    else base[k] = v;
  }
  return base;
}

describe('verifyTrustedAssertion', () => {
  const main = rsaKeyPair();
  const second = rsaKeyPair();
  const stranger = rsaKeyPair();
  let mainKey: PartnerKey; // registered from a JWK with kid "main"
  let secondKey: PartnerKey; // registered from SPKI (kid = thumbprint)
  let certKey: PartnerKey; // registered from a certificate (x5t, x5t#S256)
  let certPem: string;
  let ctx: VerifyTrustedAssertionContext;

  before(async () => {
    const [m] = await parsePartnerKey(JSON.stringify({ ...main.publicKey.export({ format: 'jwk' }), kid: 'main' }));
    const [s] = await parsePartnerKey(second.publicKey.export({ type: 'spki', format: 'pem' }) as string);
    certPem = selfSignedCert(second.privateKey, new Date(now.getTime() - DAY * 1000), new Date(now.getTime() + 30 * DAY * 1000));
    const [c] = await parsePartnerKey(certPem, now);
    mainKey = toPartnerKey(m!, CLIENT);
    secondKey = toPartnerKey(s!, CLIENT);
    certKey = toPartnerKey(c!, CLIENT);
    ctx = { clientId: CLIENT, keys: [mainKey], now };
  });

  it('accepts a valid RS256 assertion and returns its claims and the key id', async () => {
    const c = claims();
    const jwt = await signJwt(c, main.privateKey, { kid: 'main' });
    const result = await verifyTrustedAssertion(jwt, ctx);
    assert.deepEqual(result, { sub: 'user-42', jti: c.jti, exp: c.exp, iss: CLIENT, keyId: mainKey.id });
  });

  it('accepts PS256', async () => {
    const jwt = await signJwt(claims(), main.privateKey, { alg: 'PS256', kid: 'main' });
    assert.equal((await verifyTrustedAssertion(jwt, ctx)).keyId, mainKey.id);
  });

  describe('malformed input', () => {
    for (const bad of ['', 'abc', 'a.b', 'a.b.c.d.e', '!!!.e30.sig', `${b64json([1])}.e30.`, 'x'.repeat(20_000)]) {
      it(`refuses ${JSON.stringify(bad.slice(0, 20))}`, async () => {
        await assert.rejects(verifyTrustedAssertion(bad, ctx), fails(Code.MALFORMED));
      });
    }
    it('refuses a header kid that is not a string', async () => {
      const jwt = `${b64json({ alg: 'RS256', kid: 7 })}.${b64json(claims())}.AAAA`;
      await assert.rejects(verifyTrustedAssertion(jwt, ctx), fails(Code.MALFORMED));
    });
    it('refuses a signed payload that is not a JSON object', async () => {
      const jws = await new SignJWT({}).setProtectedHeader({ alg: 'RS256', kid: 'main' }).sign(main.privateKey);
      const [h] = jws.split('.');
      const payload = Buffer.from('"text"').toString('base64url');
      const sig = crypto.sign('sha256', Buffer.from(`${h}.${payload}`), main.privateKey).toString('base64url');
      await assert.rejects(verifyTrustedAssertion(`${h}.${payload}.${sig}`, ctx), fails(Code.MALFORMED));
    });
  });

  describe('algorithm', () => {
    it('refuses alg "none"', async () => {
      const jwt = `${b64json({ alg: 'none', kid: 'main' })}.${b64json(claims())}.`;
      await assert.rejects(verifyTrustedAssertion(jwt, ctx), fails(Code.ALGORITHM));
    });

    it('refuses HS256 keyed with the public key PEM (algorithm confusion)', async () => {
      const secrets = [
        main.publicKey.export({ type: 'spki', format: 'pem' }) as string,
        main.publicKey.export({ type: 'pkcs1', format: 'pem' }) as string,
        JSON.stringify(mainKey.publicJwk),
      ];
      for (const secret of secrets) {
        const input = `${b64json({ alg: 'HS256', kid: 'main' })}.${b64json(claims())}`;
        const sig = crypto.createHmac('sha256', secret).update(input).digest('base64url');
        await assert.rejects(verifyTrustedAssertion(`${input}.${sig}`, ctx), fails(Code.ALGORITHM));
      }
    });

    it('refuses ES256 and other RSA algorithms than RS256/PS256', async () => {
      const ec = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
      const es = await signJwt(claims(), ec.privateKey, { alg: 'ES256', kid: 'main' });
      await assert.rejects(verifyTrustedAssertion(es, ctx), fails(Code.ALGORITHM));
      const rs512 = await signJwt(claims(), main.privateKey, { alg: 'RS512', kid: 'main' });
      await assert.rejects(verifyTrustedAssertion(rs512, ctx), fails(Code.ALGORITHM));
    });
  });

  describe('key selection', () => {
    it('refuses when the client has no registered key', async () => {
      const jwt = await signJwt(claims(), main.privateKey, { kid: 'main' });
      await assert.rejects(verifyTrustedAssertion(jwt, { ...ctx, keys: [] }), fails(Code.NO_KEYS));
    });

    it("ignores other clients' keys", async () => {
      const jwt = await signJwt(claims(), main.privateKey, { kid: 'main' });
      const foreign = { ...mainKey, clientId: 'other.client' };
      await assert.rejects(verifyTrustedAssertion(jwt, { ...ctx, keys: [foreign] }), fails(Code.NO_KEYS));
    });

    it('refuses an unknown kid', async () => {
      const jwt = await signJwt(claims(), main.privateKey, { kid: 'nope' });
      await assert.rejects(verifyTrustedAssertion(jwt, ctx), fails(Code.UNKNOWN_KEY));
    });

    it('refuses an unknown x5t', async () => {
      const jwt = await signJwt(claims(), second.privateKey, { x5t: 'AAAAAAAAAAAAAAAAAAAAAAAAAAA' });
      await assert.rejects(verifyTrustedAssertion(jwt, { ...ctx, keys: [mainKey, certKey] }), fails(Code.UNKNOWN_KEY));
    });

    it('selects by x5t (SHA-1 certificate thumbprint)', async () => {
      const cert = new crypto.X509Certificate(certPem);
      const x5t = crypto.createHash('sha1').update(cert.raw).digest('base64url');
      const jwt = await signJwt(claims(), second.privateKey, { x5t });
      const result = await verifyTrustedAssertion(jwt, { ...ctx, keys: [mainKey, certKey] });
      assert.equal(result.keyId, certKey.id);
    });

    it('selects by x5t#S256', async () => {
      const jwt = await signJwt(claims(), second.privateKey, { 'x5t#S256': certKey.x5tS256! });
      assert.equal((await verifyTrustedAssertion(jwt, { ...ctx, keys: [mainKey, certKey] })).keyId, certKey.id);
    });

    it('without kid or x5t tries each key (the second one matches)', async () => {
      const jwt = await signJwt(claims(), second.privateKey);
      const result = await verifyTrustedAssertion(jwt, { ...ctx, keys: [mainKey, secondKey] });
      assert.equal(result.keyId, secondKey.id);
    });

    it('does not use a key whose certificate has expired', async () => {
      const jwt = await signJwt(claims(), second.privateKey, { kid: certKey.kid });
      const expired = { ...certKey, notAfter: new Date(now.getTime() - 1000) };
      await assert.rejects(verifyTrustedAssertion(jwt, { ...ctx, keys: [expired] }), fails(Code.KEY_NOT_VALID));
      const unkeyed = await signJwt(claims(), second.privateKey);
      await assert.rejects(verifyTrustedAssertion(unkeyed, { ...ctx, keys: [mainKey, expired] }), fails(Code.SIGNATURE));
      const notYet = { ...certKey, notBefore: new Date(now.getTime() + 60_000) };
      await assert.rejects(verifyTrustedAssertion(jwt, { ...ctx, keys: [notYet] }), fails(Code.KEY_NOT_VALID));
    });
  });

  describe('signature', () => {
    it('refuses a bad signature', async () => {
      const jwt = await signJwt(claims(), stranger.privateKey, { kid: 'main' });
      await assert.rejects(verifyTrustedAssertion(jwt, ctx), fails(Code.SIGNATURE));
    });

    it('refuses a tampered payload', async () => {
      const [h, , s] = (await signJwt(claims(), main.privateKey, { kid: 'main' })).split('.');
      const forged = `${h}.${b64json(claims({ sub: 'admin' }))}.${s}`;
      await assert.rejects(verifyTrustedAssertion(forged, ctx), fails(Code.SIGNATURE));
    });

    it('refuses when no key verifies (no kid)', async () => {
      const jwt = await signJwt(claims(), stranger.privateKey);
      await assert.rejects(verifyTrustedAssertion(jwt, { ...ctx, keys: [mainKey, secondKey] }), fails(Code.SIGNATURE));
    });
  });

  describe('claims', () => {
    const verify = async (payload: JWTPayload, extra: Partial<VerifyTrustedAssertionContext> = {}) =>
      verifyTrustedAssertion(await signJwt(payload, main.privateKey, { kid: 'main' }), { ...ctx, ...extra });

    it('refuses an iss other than the calling client_id', async () => {
      await assert.rejects(verify(claims({ iss: 'someone.else' })), fails(Code.ISSUER, 'iss'));
    });

    for (const claim of ['exp', 'sub', 'jti', 'iss'] as const) {
      it(`refuses a missing "${claim}" and names it`, async () => {
        await assert.rejects(verify(claims({ [claim]: undefined })), (e: unknown) => {
          fails(Code.CLAIM_MISSING, claim)(e);
          assert.match((e as Error).message, new RegExp(`"${claim}"`));
          return true;
        });
      });
    }

    for (const [claim, value] of [['sub', ''], ['jti', ''], ['sub', 42], ['jti', { a: 1 }], ['iss', '']] as const) {
      it(`refuses ${claim}=${JSON.stringify(value)}`, async () => {
        await assert.rejects(verify(claims({ [claim]: value })), fails(Code.CLAIM_INVALID, claim));
      });
    }

    it('refuses a non-numeric exp', async () => {
      await assert.rejects(verify(claims({ exp: String(t + 60) })), fails(Code.CLAIM_INVALID, 'exp'));
    });

    it('refuses an expired assertion, with clock tolerance', async () => {
      await assert.rejects(verify(claims({ iat: t - 600, exp: t - 31 })), fails(Code.EXPIRED));
      await verify(claims({ iat: t - 600, exp: t - 29 }));
      await assert.rejects(verify(claims({ iat: t - 600, exp: t - 1 }), { clockToleranceSeconds: 0 }), fails(Code.EXPIRED));
    });

    it('refuses nbf in the future', async () => {
      await assert.rejects(verify(claims({ nbf: t + 31 })), fails(Code.NOT_YET_VALID));
      await verify(claims({ nbf: t + 29 }));
    });

    it('refuses iat in the future beyond the tolerance', async () => {
      await assert.rejects(verify(claims({ iat: t + 31 })), fails(Code.IAT_IN_FUTURE, 'iat'));
      await verify(claims({ iat: t + 29 }));
    });

    it('lifetime (exp - iat): 24 h accepted, 24 h + 1 s refused', async () => {
      await verify(claims({ iat: t, exp: t + DAY }));
      await assert.rejects(verify(claims({ iat: t, exp: t + DAY + 1 })), fails(Code.LIFETIME));
      await assert.rejects(verify(claims({ iat: t - 3600, exp: t + DAY - 3599 })), fails(Code.LIFETIME));
    });

    it('lifetime via nbf when there is no iat', async () => {
      await verify(claims({ iat: undefined, nbf: t - 100, exp: t - 100 + DAY }));
      await assert.rejects(verify(claims({ iat: undefined, nbf: t - 100, exp: t - 99 + DAY })), fails(Code.LIFETIME));
    });

    it('lifetime via now when there is neither iat nor nbf', async () => {
      await verify(claims({ iat: undefined, exp: t + DAY }));
      await assert.rejects(verify(claims({ iat: undefined, exp: t + DAY + 1 })), fails(Code.LIFETIME));
    });

    it('honours a custom maximum lifetime', async () => {
      await assert.rejects(verify(claims({ exp: t + 601 }), { maxLifetimeSeconds: 600 }), fails(Code.LIFETIME));
    });

    it('jti: 36 bytes accepted, 37 refused; multibyte characters count as bytes', async () => {
      await verify(claims({ jti: 'a'.repeat(36) }));
      await verify(claims({ jti: crypto.randomUUID() }));
      await assert.rejects(verify(claims({ jti: 'a'.repeat(37) })), fails(Code.JTI_TOO_LONG, 'jti'));
      await verify(claims({ jti: 'я'.repeat(18) })); // 18 characters, 36 bytes
      await assert.rejects(verify(claims({ jti: 'я'.repeat(18) + 'a' })), fails(Code.JTI_TOO_LONG)); // 19 characters, 37 bytes
      await assert.rejects(verify(claims({ jti: '€'.repeat(13) })), fails(Code.JTI_TOO_LONG)); // 13 characters, 39 bytes
    });
  });
});
