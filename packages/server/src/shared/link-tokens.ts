/**
 * Tokens of one-time links (integrator-portal invitations, set-password links): 32 random bytes
 * (base64url) in the link; only their SHA-256 is stored.
 */
import { createHash } from 'node:crypto';
import { randomToken } from './ids.ts';

export const newLinkToken = (): string => randomToken(32);

/** SHA-256 (hex) of a token. A token is looked up by this hash; a guess that hashes to nothing is unknown. */
export const hashLinkToken = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');

/** A well-formed token: 43 base64url characters. Anything else is unknown without a database lookup. */
export const isWellFormedLinkToken = (token: string): boolean => /^[A-Za-z0-9_-]{43}$/.test(token);
