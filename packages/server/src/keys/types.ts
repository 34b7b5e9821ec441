/** Signing keys for id_tokens and JWT access tokens; private parts sealed at rest. */
import type { JWK } from 'jose';

/**
 * Signature algorithms Propusk signs with: RS256 (RSA 2048, every ID token and the default for JWT
 * access tokens), ES256 (EC P-256) and EdDSA (OKP Ed25519), chosen per API for its JWT access tokens.
 */
export const SIGNING_ALGS = ['RS256', 'ES256', 'EdDSA'] as const;
export type SigningAlg = (typeof SIGNING_ALGS)[number];
/** The algorithm of ID tokens, and of JWT access tokens of an API that names none. */
export const DEFAULT_SIGNING_ALG: SigningAlg = 'RS256';
export const isSigningAlg = (value: unknown): value is SigningAlg => (SIGNING_ALGS as readonly unknown[]).includes(value);

export interface SigningKey {
  kid: string;
  /** Rotation order, over every algorithm: of the unretired keys of an algorithm, the one with the highest seq signs. */
  seq: number;
  alg: SigningAlg;
  publicJwk: JWK;
  /** Sealed private JWK (see sealing.ts). */
  sealedPrivateJwk: string;
  createdAt: Date;
  retiredAt: Date | null;
}

export interface SigningKeyRepository {
  list(): Promise<SigningKey[]>;
  /** Inserts a key unless one with the same seq exists; returns whether it was inserted. */
  insertIfSeqFree(key: SigningKey): Promise<boolean>;
  /** Retires the unretired keys of `alg` with a seq below `seq`. */
  retireAllBefore(alg: SigningAlg, seq: number, at: Date): Promise<void>;
  deleteRetiredBefore(at: Date): Promise<number>;
  /** Replaces the stored private key of `kid` when it is still `expected`; returns whether it did. */
  replaceSealed(kid: string, expected: string, sealed: string): Promise<boolean>;
}

export interface SecretRepository {
  get(name: string): Promise<string | undefined>;
  /** Stores the value unless the name exists; returns the stored value (the first writer wins). */
  putIfAbsent(name: string, value: string): Promise<string>;
  /** Replaces the value of `name` when it is still `expected`; returns whether it did. */
  replace(name: string, expected: string, value: string): Promise<boolean>;
}
