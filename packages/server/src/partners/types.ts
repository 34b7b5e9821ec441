// Partner keys: the RSA public keys (or certificates) with which a partner signs trusted-grant JWTs.
import type { JWK } from 'jose';

/** Where a registered key came from. */
export type PartnerKeySource = 'certificate' | 'spki' | 'jwk';

/** JWS algorithms a partner key may be used with. */
export const PARTNER_KEY_ALGORITHMS = ['RS256', 'PS256'] as const;
export type PartnerKeyAlgorithm = (typeof PARTNER_KEY_ALGORITHMS)[number];

/** One public key extracted from an administrator's input, ready to be stored. */
export interface ParsedPartnerKey {
  /** The JWK `kid` when the input gave one, otherwise the RFC 7638 JWK thumbprint (SHA-256). */
  kid: string;
  /** base64url SHA-256 of the certificate DER (JWT header `x5t#S256`); certificates only. */
  x5tS256?: string;
  /** base64url SHA-1 of the certificate DER (JWT header `x5t`); certificates only. */
  x5t?: string;
  /** Public members only: `kty`, `n`, `e` and `kid`. */
  publicJwk: JWK;
  algorithms: PartnerKeyAlgorithm[];
  /** Certificate validity period; absent for bare keys. */
  notBefore?: Date;
  notAfter?: Date;
  source: PartnerKeySource;
  /** RSA modulus length in bits. */
  bits: number;
}

/** A registered partner key (table `partner_keys`). */
export interface PartnerKey {
  id: string;
  clientId: string;
  kid: string;
  x5t?: string;
  x5tS256?: string;
  publicJwk: JWK;
  notBefore?: Date;
  notAfter?: Date;
  source: PartnerKeySource;
  createdAt: Date;
}

/** Storage of partner keys; implemented by the storage layer. */
export interface PartnerKeyRepository {
  add(key: PartnerKey): Promise<void>;
  listByClient(clientId: string): Promise<PartnerKey[]>;
  /** @returns false when no such key existed. */
  remove(clientId: string, id: string): Promise<boolean>;
}
