/**
 * The provider's signing keys as `ExternalSigningKey`s that sign with node:crypto.
 *
 * oidc-provider builds every JWS it issues (ID tokens, JWT access tokens) itself; given a private
 * JWK it hands the signature to jose, which goes through WebCrypto (`crypto.subtle.sign`). Given
 * an `ExternalSigningKey` — its documented extension point for keys held elsewhere (a KMS, an HSM),
 * enabled by `features.externalSigningSupport` — it builds the same JWS and asks the key for the
 * signature over `base64url(header).base64url(payload)`. Ours makes that signature with
 * node:crypto's one-shot `sign()` on a KeyObject imported once per key: the same OpenSSL
 * operation, without WebCrypto's per-call job and promise, which measured up to twice the bare
 * signature for ES256 and EdDSA on a loaded server (docs/performance.md, "Findings").
 *
 * Signatures asked for during one turn of the event loop are made back to back at its end
 * (`setImmediate`): a signature's working set (the curve's precomputed tables, the key) is evicted
 * by the rest of a request, and measured on this kind of host a signature made right after other
 * work costs 1.4–2.3× one made right after another (RS256 ~420 against ~305 µs, ES256 ~107 against
 * ~47, EdDSA ~87 against ~40). Under load, the tokens of the requests read in one turn are signed
 * together and only the first pays for a cold cache; alone, a token waits one turn (microseconds).
 * The CPU time of each signature is reported (`onSignature`, the `propusk_jws_signature_seconds`
 * metric) so that what signing costs in the running server can be read next to the isolated floor.
 *
 * The published JWKS is unchanged: oidc-provider reads the public members through the getters,
 * which come from the key's public half. Verifying its own tokens (an `id_token_hint`) uses
 * `keyObject()`, the public KeyObject.
 */
import { createPrivateKey, createPublicKey, sign, type JsonWebKey as NodeJwk, type KeyObject } from 'node:crypto';
import { ExternalSigningKey } from 'oidc-provider';
import type { JWK } from 'jose';
import { isSigningAlg, type SigningAlg } from '../keys/types.ts';

/** The digest and signature encoding of each algorithm (JWS, RFC 7518 §3.3–3.4; RFC 8037 §3.1 for EdDSA). */
const SIGNATURE: Record<SigningAlg, { digest: string | null; dsaEncoding?: 'ieee-p1363' }> = {
  RS256: { digest: 'sha256' },
  // JWS wants ECDSA's R‖S, not DER.
  ES256: { digest: 'sha256', dsaEncoding: 'ieee-p1363' },
  // Ed25519 hashes internally.
  EdDSA: { digest: null },
};

/** The key each algorithm signs with. */
const KEY_SHAPE: Record<SigningAlg, { kty: string; crv?: string }> = {
  RS256: { kty: 'RSA' },
  ES256: { kty: 'EC', crv: 'P-256' },
  EdDSA: { kty: 'OKP', crv: 'Ed25519' },
};

/** oidc-provider's option that lets `jwks` hold ExternalSigningKey instances (experimental; version acknowledged). */
export const EXTERNAL_SIGNING = { enabled: true, ack: 'experimental-01' } as const;

/** Told the CPU time of each signature, in seconds. */
export type SignatureObserver = (alg: SigningAlg, seconds: number) => void;

interface Pending {
  sign(): Uint8Array;
  resolve(signature: Uint8Array): void;
  reject(err: unknown): void;
}

/** Signatures waiting for the end of this turn of the event loop (module-wide: every key shares the batch). */
let pending: Pending[] = [];

function signPending(): void {
  const batch = pending;
  pending = [];
  for (const p of batch) {
    let signature: Uint8Array;
    try {
      signature = p.sign();
    } catch (err) {
      p.reject(err);
      continue;
    }
    p.resolve(signature);
  }
}

export class LocalSigningKey extends ExternalSigningKey {
  readonly #public: KeyObject;
  readonly #digest: string | null;
  /** What `sign()` takes as the key: the private KeyObject, with its signature encoding where JWS needs another. */
  readonly #signingKey: KeyObject | { key: KeyObject; dsaEncoding: 'ieee-p1363' };
  readonly #alg: SigningAlg;
  readonly #observe: SignatureObserver | undefined;

  /** `jwk`: a private signing key as KeyService stores it (with `kid` and `alg`). */
  constructor(jwk: JWK, observe?: SignatureObserver) {
    super();
    if (!isSigningAlg(jwk.alg)) throw new Error(`signing key ${jwk.kid ?? '?'}: unsupported algorithm ${String(jwk.alg)}`);
    if (typeof jwk.kid !== 'string' || jwk.kid === '') throw new Error('signing key without kid');
    const shape = KEY_SHAPE[jwk.alg];
    if (jwk.kty !== shape.kty || jwk.crv !== shape.crv) throw new Error(`signing key ${jwk.kid}: a ${jwk.alg} key must be ${shape.kty}${shape.crv ? ` ${shape.crv}` : ''}`);
    // oidc-provider's class has setters for both; its type declarations show the getters only.
    const self = this as unknown as { kid: string; alg: string };
    self.kid = jwk.kid;
    self.alg = jwk.alg;
    const { digest, dsaEncoding } = SIGNATURE[jwk.alg];
    const privateKey = createPrivateKey({ key: jwk as NodeJwk, format: 'jwk' });
    this.#digest = digest;
    this.#signingKey = dsaEncoding ? { key: privateKey, dsaEncoding } : privateKey;
    this.#public = createPublicKey(privateKey);
    this.#alg = jwk.alg;
    this.#observe = observe;
  }

  override keyObject(): KeyObject {
    return this.#public;
  }

  /** The signature over `data`, made at the end of this turn of the event loop with the others asked for in it. */
  override sign(data: Uint8Array): Promise<Uint8Array> {
    return new Promise((resolve, reject) => {
      if (pending.length === 0) setImmediate(signPending);
      pending.push({ sign: () => this.signNow(data), resolve, reject });
    });
  }

  /** The signature over `data`, now. */
  signNow(data: Uint8Array): Uint8Array {
    if (!this.#observe) return sign(this.#digest, data, this.#signingKey);
    // This thread's CPU time (not wall time: a busy machine may preempt the process mid-signature).
    const started = process.threadCpuUsage();
    const signature = sign(this.#digest, data, this.#signingKey);
    const used = process.threadCpuUsage(started);
    this.#observe(this.#alg, (used.user + used.system) / 1e6);
    return signature;
  }
}

/** A JWKS of private keys as the provider's `jwks`: one LocalSigningKey per key, in the same order. */
export function localSigningKeys(jwks: { keys: JWK[] }, observe?: SignatureObserver): { keys: LocalSigningKey[] } {
  return { keys: jwks.keys.map((jwk) => new LocalSigningKey(jwk, observe)) };
}
