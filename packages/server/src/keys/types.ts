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
}

export interface SecretRepository {
  get(name: string): Promise<string | undefined>;
  /** Stores the value unless the name exists; returns the stored value (the first writer wins). */
  putIfAbsent(name: string, value: string): Promise<string>;
}
