import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { describe, it } from 'node:test';
import { calculateJwkThumbprint, exportJWK } from 'jose';
import { parsePartnerKey, PartnerKeyError, PartnerKeyErrorCode } from '../../../src/partners/parse-key.ts';
import { reqX509Cert, rsaKeyPair, selfSignedCert } from './helpers.ts';

const DAY = 86_400_000;
const code = (c: string) => (e: unknown) => e instanceof PartnerKeyError && e.code === c;

describe('parsePartnerKey', () => {
  const { publicKey, privateKey } = rsaKeyPair();
  const spkiPem = publicKey.export({ type: 'spki', format: 'pem' }) as string;

  it('parses an SPKI PEM public key (kid = RFC 7638 thumbprint, public members only)', async () => {
    const [key, ...rest] = await parsePartnerKey(spkiPem);
    assert.equal(rest.length, 0);
    assert.ok(key);
    const jwk = await exportJWK(publicKey);
    assert.equal(key.kid, await calculateJwkThumbprint(jwk, 'sha256'));
    assert.deepEqual(key.publicJwk, { kty: 'RSA', n: jwk.n, e: jwk.e, kid: key.kid });
    assert.deepEqual(key.algorithms, ['RS256', 'PS256']);
    assert.equal(key.source, 'spki');
    assert.equal(key.bits, 2048);
    assert.equal(key.x5t, undefined);
    assert.equal(key.notAfter, undefined);
  });

  it('parses a PKCS#1 RSA PUBLIC KEY PEM', async () => {
    const pkcs1 = publicKey.export({ type: 'pkcs1', format: 'pem' }) as string;
    assert.match(pkcs1, /BEGIN RSA PUBLIC KEY/);
    const [key] = await parsePartnerKey(pkcs1);
    const [fromSpki] = await parsePartnerKey(spkiPem);
    assert.deepEqual(key?.publicJwk, fromSpki?.publicJwk);
  });

  it('parses a JWK, keeping its kid', async () => {
    const jwk = { ...(await exportJWK(publicKey)), kid: 'partner-2025', use: 'sig', alg: 'RS256' };
    const [key] = await parsePartnerKey(JSON.stringify(jwk));
    assert.equal(key?.kid, 'partner-2025');
    assert.equal(key?.source, 'jwk');
    assert.deepEqual(key?.publicJwk, { kty: 'RSA', n: jwk.n, e: jwk.e, kid: 'partner-2025' });
  });

  it('parses a JWKS with several keys', async () => {
    const other = rsaKeyPair(3072).publicKey;
    const jwks = { keys: [{ ...(await exportJWK(publicKey)), kid: 'a' }, await exportJWK(other)] };
    const keys = await parsePartnerKey(JSON.stringify(jwks));
    assert.equal(keys.length, 2);
    assert.equal(keys[0]?.kid, 'a');
    assert.equal(keys[1]?.kid, await calculateJwkThumbprint(await exportJWK(other)));
    assert.equal(keys[1]?.bits, 3072);
  });

  it('parses an X.509 certificate made by openssl req -x509 (thumbprints, validity)', async () => {
    const { certPem, privateKey: certKey } = reqX509Cert(30);
    const cert = new crypto.X509Certificate(certPem);
    const [key] = await parsePartnerKey(certPem);
    assert.ok(key);
    assert.equal(key.source, 'certificate');
    assert.equal(key.x5t, crypto.createHash('sha1').update(cert.raw).digest('base64url'));
    assert.equal(key.x5tS256, crypto.createHash('sha256').update(cert.raw).digest('base64url'));
    assert.equal(key.x5t, Buffer.from(cert.fingerprint.replaceAll(':', ''), 'hex').toString('base64url'));
    assert.deepEqual(key.notBefore, cert.validFromDate);
    assert.deepEqual(key.notAfter, cert.validToDate);
    const jwk = await exportJWK(crypto.createPublicKey(certKey));
    assert.equal(key.publicJwk.n, jwk.n);
    assert.equal(key.kid, await calculateJwkThumbprint(jwk));
  });

  it('refuses an expired certificate', async () => {
    const pem = selfSignedCert(privateKey, new Date('2020-01-01T00:00:00Z'), new Date('2020-02-01T00:00:00Z'));
    await assert.rejects(parsePartnerKey(pem), code(PartnerKeyErrorCode.CERT_EXPIRED));
    // …which was acceptable while it was valid.
    await parsePartnerKey(pem, new Date('2020-01-15T00:00:00Z'));
  });

  it('refuses a certificate that is not valid yet', async () => {
    const pem = selfSignedCert(privateKey, new Date(Date.now() + 10 * DAY), new Date(Date.now() + 100 * DAY));
    await assert.rejects(parsePartnerKey(pem), code(PartnerKeyErrorCode.CERT_NOT_YET_VALID));
  });

  it('checks certificate validity against the given now', async () => {
    const { certPem } = reqX509Cert(1);
    await assert.rejects(parsePartnerKey(certPem, new Date(Date.now() + 3 * DAY)), code(PartnerKeyErrorCode.CERT_EXPIRED));
  });

  it('refuses a 1024-bit key (SPKI, JWK and certificate)', async () => {
    const small = rsaKeyPair(1024);
    const spki = small.publicKey.export({ type: 'spki', format: 'pem' }) as string;
    await assert.rejects(parsePartnerKey(spki), code(PartnerKeyErrorCode.TOO_SMALL));
    await assert.rejects(parsePartnerKey(JSON.stringify(await exportJWK(small.publicKey))), code(PartnerKeyErrorCode.TOO_SMALL));
    const cert = selfSignedCert(small.privateKey, new Date(Date.now() - DAY), new Date(Date.now() + DAY));
    await assert.rejects(parsePartnerKey(cert), code(PartnerKeyErrorCode.TOO_SMALL));
  });

  it('refuses a private JWK, naming the private members', async () => {
    const jwk = await exportJWK(privateKey);
    await assert.rejects(parsePartnerKey(JSON.stringify(jwk)), (e: unknown) => {
      assert.ok(e instanceof PartnerKeyError);
      assert.equal(e.code, PartnerKeyErrorCode.PRIVATE);
      assert.match(e.message, /"d"/);
      return true;
    });
    await assert.rejects(parsePartnerKey(JSON.stringify({ keys: [await exportJWK(publicKey), jwk] })), code(PartnerKeyErrorCode.PRIVATE));
    await assert.rejects(parsePartnerKey(JSON.stringify({ kty: 'oct', k: 'c2VjcmV0' })), code(PartnerKeyErrorCode.PRIVATE));
  });

  it('refuses private PEM keys, even next to a certificate', async () => {
    const pkcs8 = privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
    const pkcs1 = privateKey.export({ type: 'pkcs1', format: 'pem' }) as string;
    await assert.rejects(parsePartnerKey(pkcs8), code(PartnerKeyErrorCode.PRIVATE));
    await assert.rejects(parsePartnerKey(pkcs1), code(PartnerKeyErrorCode.PRIVATE));
    const { certPem } = reqX509Cert();
    await assert.rejects(parsePartnerKey(certPem + pkcs8), code(PartnerKeyErrorCode.PRIVATE));
  });

  it('refuses non-RSA keys', async () => {
    const ec = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
    await assert.rejects(parsePartnerKey(ec.publicKey.export({ type: 'spki', format: 'pem' }) as string), code(PartnerKeyErrorCode.NOT_RSA));
    await assert.rejects(parsePartnerKey(JSON.stringify(await exportJWK(ec.publicKey))), code(PartnerKeyErrorCode.NOT_RSA));
    const ecCert = selfSignedCert(ec.privateKey, new Date(Date.now() - DAY), new Date(Date.now() + DAY));
    await assert.rejects(parsePartnerKey(ecCert), code(PartnerKeyErrorCode.NOT_RSA));
    const ed = crypto.generateKeyPairSync('ed25519');
    await assert.rejects(parsePartnerKey(ed.publicKey.export({ type: 'spki', format: 'pem' }) as string), code(PartnerKeyErrorCode.NOT_RSA));
    const pss = crypto.generateKeyPairSync('rsa-pss', { modulusLength: 2048 });
    await assert.rejects(parsePartnerKey(pss.publicKey.export({ type: 'spki', format: 'pem' }) as string), code(PartnerKeyErrorCode.NOT_RSA));
  });

  it('refuses JWKs meant for something else than RS256/PS256 signatures', async () => {
    const jwk = await exportJWK(publicKey);
    await assert.rejects(parsePartnerKey(JSON.stringify({ ...jwk, use: 'enc' })), code(PartnerKeyErrorCode.USAGE));
    await assert.rejects(parsePartnerKey(JSON.stringify({ ...jwk, alg: 'RSA-OAEP' })), code(PartnerKeyErrorCode.USAGE));
    await assert.rejects(parsePartnerKey(JSON.stringify({ ...jwk, key_ops: ['encrypt'] })), code(PartnerKeyErrorCode.USAGE));
  });

  it('accepts a JWK carrying its certificate (x5c) and applies the certificate rules', async () => {
    const certPem = selfSignedCert(privateKey, new Date(Date.now() - DAY), new Date(Date.now() + DAY));
    const cert = new crypto.X509Certificate(certPem);
    const jwk = { ...(await exportJWK(publicKey)), kid: 'with-cert', x5c: [cert.raw.toString('base64')] };
    const [key] = await parsePartnerKey(JSON.stringify(jwk));
    assert.equal(key?.x5t, crypto.createHash('sha1').update(cert.raw).digest('base64url'));
    assert.deepEqual(key?.notAfter, cert.validToDate);
    await assert.rejects(parsePartnerKey(JSON.stringify(jwk), new Date(Date.now() + 2 * DAY)), code(PartnerKeyErrorCode.CERT_EXPIRED));
    const mismatched = { ...(await exportJWK(rsaKeyPair().publicKey)), x5c: jwk.x5c };
    await assert.rejects(parsePartnerKey(JSON.stringify(mismatched)), code(PartnerKeyErrorCode.FORMAT));
  });

  it('refuses malformed or unsupported input with ERR_KEY_FORMAT', async () => {
    const { certPem } = reqX509Cert();
    const bad = [
      '',
      '   ',
      'hello',
      '{not json',
      '[]',
      '{"keys":[]}',
      '{"keys":"x"}',
      '{"kty":"RSA","n":"AQAB"}',
      '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----',
      '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----',
      '-----BEGIN PUBLIC KEY-----\nno end',
      '-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----',
      certPem + certPem,
      'x'.repeat(70_000),
    ];
    for (const input of bad) {
      await assert.rejects(parsePartnerKey(input), code(PartnerKeyErrorCode.FORMAT), `input ${JSON.stringify(input.slice(0, 40))}`);
    }
  });

  it('refuses a JWKS with duplicate kids', async () => {
    const jwk = { ...(await exportJWK(publicKey)), kid: 'dup' };
    await assert.rejects(parsePartnerKey(JSON.stringify({ keys: [jwk, jwk] })), code(PartnerKeyErrorCode.FORMAT));
  });

  it('errors carry a one-line human message', async () => {
    await assert.rejects(parsePartnerKey('hello'), (e: unknown) => e instanceof PartnerKeyError && !e.message.includes('\n') && e.message.length > 10);
  });
});
