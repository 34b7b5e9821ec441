// parsePartnerKey: turn an administrator's input (PEM certificate or public key, JWK, JWKS) into
// storable RSA public keys, refusing weak keys, certificates outside their validity period and
// anything that carries private key material.
import crypto from 'node:crypto';
import { calculateJwkThumbprint, exportJWK } from 'jose';
import type { JWK } from 'jose';
import { PartnerKeyError, PartnerKeyErrorCode as Code } from './errors.ts';
import { PARTNER_KEY_ALGORITHMS } from './types.ts';
import type { ParsedPartnerKey, PartnerKeySource } from './types.ts';

export { PartnerKeyError, PartnerKeyErrorCode } from './errors.ts';

/** Minimum RSA modulus length in bits. Default 2048 (NIST SP 800-131A). */
export const MIN_RSA_BITS = 2048;
/** Largest accepted input, in characters. 64 KiB is far more than a certificate or a small JWKS. */
export const MAX_INPUT_LENGTH = 64 * 1024;
/** Largest accepted JWK `kid`, in characters. */
export const MAX_KID_LENGTH = 256;

/** JWK members that only private or secret keys have. */
const PRIVATE_JWK_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'] as const;

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;

/**
 * Parse one partner signing key.
 * @param input PEM (`CERTIFICATE`, `PUBLIC KEY`, `RSA PUBLIC KEY`) or JSON text (a JWK or a JWKS).
 * @param now instant against which a certificate's validity period is checked.
 * @returns one entry for a certificate or a key, one per key for a JWKS.
 * @throws PartnerKeyError
 */
export async function parsePartnerKey(input: string, now: Date = new Date()): Promise<ParsedPartnerKey[]> {
  if (typeof input !== 'string' || input.trim() === '') {
    throw new PartnerKeyError(Code.FORMAT, 'empty input: expected a PEM certificate, a PEM public key, a JWK or a JWKS');
  }
  if (input.length > MAX_INPUT_LENGTH) {
    throw new PartnerKeyError(Code.FORMAT, `input too long (more than ${MAX_INPUT_LENGTH} characters)`);
  }
  const text = input.trim();
  if (text.startsWith('{')) return parseJson(text, now);
  if (text.includes('-----BEGIN ')) return [await parsePem(text, now)];
  throw new PartnerKeyError(
    Code.FORMAT,
    'unrecognised input: expected a PEM certificate, a PEM public key, a JWK or a JWKS (JSON)',
  );
}

async function parsePem(text: string, now: Date): Promise<ParsedPartnerKey> {
  const blocks = [...text.matchAll(PEM_BLOCK)].map((m) => ({ label: m[1] ?? '', pem: m[0] }));
  if (blocks.some((b) => b.label.includes('PRIVATE'))) {
    throw new PartnerKeyError(Code.PRIVATE, 'the input contains a private key; register only the certificate or the public key');
  }
  if (blocks.length === 0) {
    throw new PartnerKeyError(Code.FORMAT, 'malformed PEM: no complete BEGIN/END block');
  }
  if (blocks.length > 1) {
    throw new PartnerKeyError(
      Code.FORMAT,
      `expected exactly one PEM certificate or public key, found ${blocks.length} blocks; register the partner's signing certificate alone`,
    );
  }
  const { label, pem } = blocks[0]!;
  switch (label) {
    case 'CERTIFICATE':
      return fromCertificate(pem, now);
    case 'PUBLIC KEY':
    case 'RSA PUBLIC KEY': {
      let key: crypto.KeyObject;
      try {
        key = crypto.createPublicKey({ key: pem, format: 'pem', ...(label === 'RSA PUBLIC KEY' ? { type: 'pkcs1' } : {}) });
      } catch (cause) {
        throw new PartnerKeyError(Code.FORMAT, `malformed PEM ${label.toLowerCase()}`, { cause });
      }
      return fromKeyObject(key, 'spki', undefined);
    }
    default:
      throw new PartnerKeyError(
        Code.FORMAT,
        `unsupported PEM block "${label}": expected CERTIFICATE, PUBLIC KEY or RSA PUBLIC KEY`,
      );
  }
}

function fromCertificate(der: string | Buffer, now: Date, kid?: string): Promise<ParsedPartnerKey> {
  const cert = readCertificate(der);
  checkValidity(cert, now);
  return fromKeyObject(cert.publicKey, 'certificate', kid, cert);
}

function readCertificate(input: string | Buffer): crypto.X509Certificate {
  try {
    return new crypto.X509Certificate(input);
  } catch (cause) {
    throw new PartnerKeyError(Code.FORMAT, 'malformed X.509 certificate', { cause });
  }
}

function checkValidity(cert: crypto.X509Certificate, now: Date): void {
  if (now.getTime() < cert.validFromDate.getTime()) {
    throw new PartnerKeyError(
      Code.CERT_NOT_YET_VALID,
      `certificate is not valid yet (notBefore ${cert.validFromDate.toISOString()})`,
    );
  }
  if (now.getTime() > cert.validToDate.getTime()) {
    throw new PartnerKeyError(Code.CERT_EXPIRED, `certificate has expired (notAfter ${cert.validToDate.toISOString()})`);
  }
}

async function fromKeyObject(
  key: crypto.KeyObject,
  source: PartnerKeySource,
  kid: string | undefined,
  cert?: crypto.X509Certificate,
): Promise<ParsedPartnerKey> {
  if (key.type !== 'public') {
    throw new PartnerKeyError(Code.PRIVATE, 'private key material is never stored; register the public key');
  }
  if (key.asymmetricKeyType !== 'rsa') {
    const kind = key.asymmetricKeyType === 'rsa-pss' ? 'an RSA-PSS-restricted key (use an rsaEncryption key)' : `a ${key.asymmetricKeyType ?? 'non-RSA'} key`;
    throw new PartnerKeyError(Code.NOT_RSA, `only RSA keys are accepted, got ${kind}`);
  }
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (bits < MIN_RSA_BITS) {
    throw new PartnerKeyError(Code.TOO_SMALL, `RSA key too small: ${bits} bits, at least ${MIN_RSA_BITS} required`);
  }
  const exponent = key.asymmetricKeyDetails?.publicExponent ?? 0n;
  if (exponent < 3n || exponent % 2n === 0n) {
    throw new PartnerKeyError(Code.WEAK_EXPONENT, `RSA public exponent ${exponent} is not acceptable (must be odd and at least 3)`);
  }
  const exported = await exportJWK(key);
  const publicJwk: JWK = { kty: 'RSA', n: exported.n, e: exported.e };
  const effectiveKid = kid ?? (await calculateJwkThumbprint(publicJwk, 'sha256'));
  publicJwk.kid = effectiveKid;
  const parsed: ParsedPartnerKey = {
    kid: effectiveKid,
    publicJwk,
    algorithms: [...PARTNER_KEY_ALGORITHMS],
    source,
    bits,
  };
  if (cert) {
    parsed.x5t = crypto.createHash('sha1').update(cert.raw).digest('base64url');
    parsed.x5tS256 = crypto.createHash('sha256').update(cert.raw).digest('base64url');
    parsed.notBefore = cert.validFromDate;
    parsed.notAfter = cert.validToDate;
  }
  return parsed;
}

async function parseJson(text: string, now: Date): Promise<ParsedPartnerKey[]> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new PartnerKeyError(Code.FORMAT, 'malformed JSON: expected a JWK or a JWKS', { cause });
  }
  if (!isObject(value)) throw new PartnerKeyError(Code.FORMAT, 'expected a JWK or a JWKS JSON object');
  if (!('keys' in value)) return [await fromJwk(value, now)];

  const keys = value.keys;
  if (!Array.isArray(keys) || keys.length === 0) {
    throw new PartnerKeyError(Code.FORMAT, 'JWKS "keys" must be a non-empty array');
  }
  // Refuse private material anywhere in the set before reporting any other problem.
  keys.forEach((k, i) => isObject(k) && refusePrivate(k, `JWKS key #${i + 1}`));
  const parsed: ParsedPartnerKey[] = [];
  for (const [i, k] of keys.entries()) {
    if (!isObject(k)) throw new PartnerKeyError(Code.FORMAT, `JWKS key #${i + 1} is not a JSON object`);
    try {
      parsed.push(await fromJwk(k, now));
    } catch (error) {
      if (error instanceof PartnerKeyError) {
        throw new PartnerKeyError(error.code, `JWKS key #${i + 1}: ${error.message}`, { cause: error });
      }
      throw error;
    }
  }
  const kids = new Set(parsed.map((p) => p.kid));
  if (kids.size !== parsed.length) throw new PartnerKeyError(Code.FORMAT, 'JWKS contains several keys with the same kid');
  return parsed;
}

async function fromJwk(jwk: Record<string, unknown>, now: Date): Promise<ParsedPartnerKey> {
  refusePrivate(jwk, 'JWK');
  if (typeof jwk.kty !== 'string') throw new PartnerKeyError(Code.FORMAT, 'JWK has no "kty"');
  if (jwk.kty !== 'RSA') throw new PartnerKeyError(Code.NOT_RSA, `only RSA keys are accepted, got JWK kty "${jwk.kty}"`);
  if (typeof jwk.n !== 'string' || typeof jwk.e !== 'string') {
    throw new PartnerKeyError(Code.FORMAT, 'RSA JWK must have string "n" and "e"');
  }
  checkUsage(jwk);
  let kid: string | undefined;
  if (jwk.kid !== undefined) {
    if (typeof jwk.kid !== 'string' || jwk.kid === '' || jwk.kid.length > MAX_KID_LENGTH) {
      throw new PartnerKeyError(Code.FORMAT, `JWK "kid" must be a non-empty string of at most ${MAX_KID_LENGTH} characters`);
    }
    kid = jwk.kid;
  }
  let key: crypto.KeyObject;
  try {
    key = crypto.createPublicKey({ key: { kty: 'RSA', n: jwk.n, e: jwk.e }, format: 'jwk' });
  } catch (cause) {
    throw new PartnerKeyError(Code.FORMAT, 'malformed RSA JWK', { cause });
  }

  if (jwk.x5c === undefined) {
    if (jwk.x5t !== undefined || jwk['x5t#S256'] !== undefined) {
      throw new PartnerKeyError(Code.FORMAT, 'JWK "x5t"/"x5t#S256" given without the certificate ("x5c")');
    }
    return fromKeyObject(key, 'jwk', kid);
  }
  // A JWK that carries its certificate: the certificate's validity and thumbprints apply.
  if (!Array.isArray(jwk.x5c) || jwk.x5c.length === 0 || typeof jwk.x5c[0] !== 'string') {
    throw new PartnerKeyError(Code.FORMAT, 'JWK "x5c" must be a non-empty array of base64 certificates');
  }
  const cert = readCertificate(Buffer.from(jwk.x5c[0], 'base64'));
  if (!cert.publicKey.equals(key)) {
    throw new PartnerKeyError(Code.FORMAT, 'JWK "n"/"e" do not match the public key of its "x5c" certificate');
  }
  checkValidity(cert, now);
  const parsed = await fromKeyObject(key, 'jwk', kid, cert);
  if (
    (jwk.x5t !== undefined && jwk.x5t !== parsed.x5t) ||
    (jwk['x5t#S256'] !== undefined && jwk['x5t#S256'] !== parsed.x5tS256)
  ) {
    throw new PartnerKeyError(Code.FORMAT, 'JWK "x5t"/"x5t#S256" do not match its "x5c" certificate');
  }
  return parsed;
}

function refusePrivate(jwk: Record<string, unknown>, what: string): void {
  const found = PRIVATE_JWK_MEMBERS.filter((m) => m in jwk);
  if (found.length > 0) {
    throw new PartnerKeyError(
      Code.PRIVATE,
      `${what} contains private key material (${found.map((m) => `"${m}"`).join(', ')}); register only the public key`,
    );
  }
}

function checkUsage(jwk: Record<string, unknown>): void {
  if (jwk.use !== undefined && jwk.use !== 'sig') {
    throw new PartnerKeyError(Code.USAGE, `JWK "use" is "${String(jwk.use)}"; a partner key must be a signing key ("sig")`);
  }
  if (jwk.alg !== undefined && !(PARTNER_KEY_ALGORITHMS as readonly unknown[]).includes(jwk.alg)) {
    throw new PartnerKeyError(Code.USAGE, `JWK "alg" is "${String(jwk.alg)}"; expected ${PARTNER_KEY_ALGORITHMS.join(' or ')}`);
  }
  if (jwk.key_ops !== undefined && !(Array.isArray(jwk.key_ops) && jwk.key_ops.includes('verify'))) {
    throw new PartnerKeyError(Code.USAGE, 'JWK "key_ops" does not allow "verify"');
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
