/** api-keys: GUIDs generated here, stored as SHA-256, compared in constant time. */
import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';

export function generateApiKey(): string {
  return randomUUID();
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/**
 * Returns the id of the active key whose hash matches `presented`, comparing against every hash
 * in constant time (all of them, so the time does not tell which or how many matched).
 */
export function matchApiKey(presented: string, active: readonly { id: string; hash: Buffer }[]): string | undefined {
  const digest = createHash('sha256').update(presented, 'utf8').digest();
  let found: string | undefined;
  for (const key of active) {
    if (timingSafeEqual(digest, key.hash) && found === undefined) found = key.id;
  }
  return found;
}
