/** Seals secrets at rest with AES-256-GCM under the master key (or stores them marked plain without one). */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

export function seal(plaintext: string, masterKey: Buffer | undefined): string {
  if (!masterKey) return `plain.${Buffer.from(plaintext, 'utf8').toString('base64url')}`;
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', masterKey, iv);
  const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return `v1.${iv.toString('base64url')}.${cipher.getAuthTag().toString('base64url')}.${ct.toString('base64url')}`;
}

/** True for a value stored without encryption (no master key when it was stored). */
export const isPlain = (sealed: string): boolean => sealed.startsWith('plain.');

export class SealError extends Error {
  static readonly code = 'ERR_SEALED_SECRET';
  readonly code = SealError.code;
}

export function unseal(sealed: string, masterKey: Buffer | undefined): string {
  const parts = sealed.split('.');
  if (parts[0] === 'plain' && parts.length === 2) return Buffer.from(parts[1]!, 'base64url').toString('utf8');
  if (parts[0] !== 'v1' || parts.length !== 4) throw new SealError('stored secret has an unknown format');
  if (!masterKey) throw new SealError('stored keys are encrypted: set PROPUSK_MASTER_KEY to the key used when they were created');
  try {
    const decipher = createDecipheriv('aes-256-gcm', masterKey, Buffer.from(parts[1]!, 'base64url'));
    decipher.setAuthTag(Buffer.from(parts[2]!, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(parts[3]!, 'base64url')), decipher.final()]).toString('utf8');
  } catch {
    throw new SealError('stored keys cannot be decrypted: PROPUSK_MASTER_KEY differs from the key used when they were created');
  }
}
