/** Signing keys for id_tokens and JWT access tokens; private parts sealed at rest. */
import type { JWK } from 'jose';

export interface SigningKey {
  kid: string;
  /** Rotation order: the highest unretired seq signs. */
  seq: number;
  alg: 'RS256' | 'ES256' | 'EdDSA';
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
  retireAllBefore(seq: number, at: Date): Promise<void>;
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
