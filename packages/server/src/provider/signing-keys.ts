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
 * signature for ES256 and EdDSA on a loaded server (bench/README.md, "Findings").
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

/** oidc-provider's option that lets `jwks` hold ExternalSigningKey instances (experimental; version acknowledged). */
export const EXTERNAL_SIGNING = { enabled: true, ack: 'experimental-01' } as const;

export class LocalSigningKey extends ExternalSigningKey {
  readonly #private: KeyObject;
  readonly #public: KeyObject;
  readonly #signature: { digest: string | null; dsaEncoding?: 'ieee-p1363' };

  /** `jwk`: a private signing key as KeyService stores it (with `kid` and `alg`). */
  constructor(jwk: JWK) {
    super();
    if (!isSigningAlg(jwk.alg)) throw new Error(`signing key ${jwk.kid ?? '?'}: unsupported algorithm ${String(jwk.alg)}`);
    if (typeof jwk.kid !== 'string' || jwk.kid === '') throw new Error('signing key without kid');
    // oidc-provider's class has setters for both; its type declarations show the getters only.
    const self = this as unknown as { kid: string; alg: string };
    self.kid = jwk.kid;
    self.alg = jwk.alg;
    this.#signature = SIGNATURE[jwk.alg];
    this.#private = createPrivateKey({ key: jwk as NodeJwk, format: 'jwk' });
    this.#public = createPublicKey(this.#private);
  }

  override keyObject(): KeyObject {
    return this.#public;
  }

  override sign(data: Uint8Array): Uint8Array {
    const { digest, dsaEncoding } = this.#signature;
    return sign(digest, data, dsaEncoding ? { key: this.#private, dsaEncoding } : this.#private);
  }
}

/** A JWKS of private keys as the provider's `jwks`: one LocalSigningKey per key, in the same order. */
export function localSigningKeys(jwks: { keys: JWK[] }): { keys: LocalSigningKey[] } {
  return { keys: jwks.keys.map((jwk) => new LocalSigningKey(jwk)) };
}
