// Test helpers for the trusted grant: RSA keys, X.509 certificates made with openssl, signed JWTs.
import crypto from 'node:crypto';
import { execFileSync } from 'node:child_process';
import type { ExecFileSyncOptions } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SignJWT } from 'jose';
import type { JWTPayload } from 'jose';
import type { ParsedPartnerKey, PartnerKey } from '../../../src/partners/types.ts';

export function rsaKeyPair(bits = 2048): crypto.KeyPairKeyObjectResult {
  return crypto.generateKeyPairSync('rsa', { modulusLength: bits });
}

/** openssl date format for `ca -startdate/-enddate`: YYYYMMDDHHMMSSZ. */
function opensslDate(d: Date): string {
  return d.toISOString().replace(/[-:T]/g, '').replace(/\.\d{3}Z$/, 'Z');
}

/**
 * A self-signed certificate for `privateKey`, valid from `notBefore` to `notAfter` (either may lie in
 * the past or the future: `openssl ca -selfsign` sets both, which OpenSSL 3.0's `req -x509` cannot).
 */
export function selfSignedCert(privateKey: crypto.KeyObject, notBefore: Date, notAfter: Date, cn = 'partner'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'propusk-cert-'));
  try {
    const file = (name: string) => path.join(dir, name);
    fs.writeFileSync(file('key.pem'), privateKey.export({ type: 'pkcs8', format: 'pem' }));
    fs.mkdirSync(file('db'));
    fs.writeFileSync(file('db/index.txt'), '');
    fs.writeFileSync(file('db/serial'), crypto.randomBytes(8).toString('hex') + '\n');
    fs.writeFileSync(
      file('ca.cnf'),
      [
        '[ca]', 'default_ca = x', '[x]', `database = ${file('db/index.txt')}`, `new_certs_dir = ${file('db')}`,
        `serial = ${file('db/serial')}`, 'default_md = sha256', 'policy = p', 'unique_subject = no', '[p]',
        'commonName = supplied', '',
      ].join('\n'),
    );
    const quiet: ExecFileSyncOptions = { stdio: ['ignore', 'ignore', 'pipe'] };
    execFileSync('openssl', ['req', '-new', '-key', file('key.pem'), '-subj', `/CN=${cn}`, '-out', file('req.csr')], quiet);
    execFileSync('openssl', [
      'ca', '-batch', '-notext', '-config', file('ca.cnf'), '-selfsign', '-keyfile', file('key.pem'),
      '-in', file('req.csr'), '-startdate', opensslDate(notBefore), '-enddate', opensslDate(notAfter), '-out', file('cert.pem'),
    ], quiet);
    return fs.readFileSync(file('cert.pem'), 'utf8');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** A certificate made the everyday way: `openssl req -x509 -days N` with a fresh key. */
export function reqX509Cert(days = 30): { certPem: string; privateKey: crypto.KeyObject } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'propusk-cert-'));
  try {
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', path.join(dir, 'key.pem'),
      '-out', path.join(dir, 'cert.pem'), '-days', String(days), '-subj', '/CN=partner',
    ], { stdio: ['ignore', 'ignore', 'pipe'] });
    return {
      certPem: fs.readFileSync(path.join(dir, 'cert.pem'), 'utf8'),
      privateKey: crypto.createPrivateKey(fs.readFileSync(path.join(dir, 'key.pem'))),
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

let nextId = 1;
export function toPartnerKey(parsed: ParsedPartnerKey, clientId: string): PartnerKey {
  const key: PartnerKey = {
    id: `pk-${nextId++}`,
    clientId,
    kid: parsed.kid,
    publicJwk: parsed.publicJwk,
    source: parsed.source,
    createdAt: new Date(),
  };
  if (parsed.x5t !== undefined) key.x5t = parsed.x5t;
  if (parsed.x5tS256 !== undefined) key.x5tS256 = parsed.x5tS256;
  if (parsed.notBefore !== undefined) key.notBefore = parsed.notBefore;
  if (parsed.notAfter !== undefined) key.notAfter = parsed.notAfter;
  return key;
}

export function signJwt(
  payload: JWTPayload,
  privateKey: crypto.KeyObject,
  header: { alg?: string; kid?: string; x5t?: string; 'x5t#S256'?: string } = {},
): Promise<string> {
  return new SignJWT(payload).setProtectedHeader({ alg: 'RS256', ...header }).sign(privateKey);
}

export function b64json(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}
