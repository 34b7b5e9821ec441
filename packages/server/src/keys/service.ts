/**
 * Signing-key life cycle: the first process generates a key; `keys rotate` adds a newer one that
 * signs from then on, while the previous keys stay published (overlap) until every token signed
 * with them has expired. Also the cookie-signing keys shared by every instance.
 */
import { exportJWK, generateKeyPair, calculateJwkThumbprint, type JWK } from 'jose';
import type { SecretRepository, SigningKey, SigningKeyRepository } from './types.ts';
import { isPlain, seal, unseal } from './sealing.ts';
import { randomToken } from '../shared/ids.ts';
import type { ChangeFeed } from '../shared/changes.ts';
import type { AuditActor, AuditLog } from '../audit/types.ts';

export interface KeyServiceOptions {
  masterKey: Buffer | undefined;
  /** Seconds a retired key stays published. */
  overlapSeconds: number;
}

async function generate(seq: number, masterKey: Buffer | undefined): Promise<SigningKey> {
  const { publicKey, privateKey } = await generateKeyPair('RS256', { modulusLength: 2048, extractable: true });
  const publicJwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(publicJwk);
  const privateJwk = { ...(await exportJWK(privateKey)), kid, alg: 'RS256', use: 'sig' };
  return {
    kid,
    seq,
    alg: 'RS256',
    publicJwk: { ...publicJwk, kid, alg: 'RS256', use: 'sig' },
    sealedPrivateJwk: seal(JSON.stringify(privateJwk), masterKey),
    createdAt: new Date(),
    retiredAt: null,
  };
}

/** Secrets Propusk keeps for itself: `admin-api`, the management API's introspection secret; `recovery-codes`, the key of the recovery codes' HMAC. */
export const INTERNAL_SECRETS = ['admin-api', 'recovery-codes'] as const;
export type InternalSecret = (typeof INTERNAL_SECRETS)[number];

export class KeyService {
  constructor(
    private readonly keys: SigningKeyRepository,
    private readonly secrets: SecretRepository,
    private readonly changes: ChangeFeed,
    private readonly audit: AuditLog,
    private readonly options: KeyServiceOptions,
  ) {}

  /** Makes sure a signing key exists (first start); safe when several processes start at once. */
  async ensureSigningKey(): Promise<void> {
    if ((await this.keys.list()).some((k) => k.retiredAt === null)) return;
    await this.keys.insertIfSeqFree(await generate(1, this.options.masterKey));
  }

  /**
   * With a master key, seals the keys a development database stored plain (signing keys, cookie
   * keys): a database started once without PROPUSK_MASTER_KEY keeps no readable private key once an
   * instance with one has started. Conditional updates, so instances starting at once agree.
   * Returns how many keys it sealed; when any, audited as `keys.sealed` by `system`.
   */
  async sealPlainKeys(): Promise<number> {
    const masterKey = this.options.masterKey;
    if (!masterKey) return 0;
    let sealed = 0;
    for (const key of await this.keys.list()) {
      if (!isPlain(key.sealedPrivateJwk)) continue;
      if (await this.keys.replaceSealed(key.kid, key.sealedPrivateJwk, seal(unseal(key.sealedPrivateJwk, undefined), masterKey))) sealed++;
    }
    for (const name of ['cookie-keys', ...INTERNAL_SECRETS.map((n) => `internal:${n}`)]) {
      const secret = await this.secrets.get(name);
      if (secret && isPlain(secret) && (await this.secrets.replace(name, secret, seal(unseal(secret, undefined), masterKey)))) sealed++;
    }
    if (sealed > 0) await this.audit.record({ type: 'keys.sealed', actor: 'system', details: { count: sealed } });
    return sealed;
  }

  /** Adds a new signing key that signs from now on; older keys stay published for the overlap. Audited as `signing_key.rotated`. */
  async rotate(actor: AuditActor): Promise<{ kid: string; retired: string[] }> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const existing = await this.keys.list();
      const seq = Math.max(0, ...existing.map((k) => k.seq)) + 1;
      const key = await generate(seq, this.options.masterKey);
      if (await this.keys.insertIfSeqFree(key)) {
        const now = new Date();
        await this.keys.retireAllBefore(seq, now);
        await this.keys.deleteRetiredBefore(new Date(now.getTime() - this.options.overlapSeconds * 1000));
        await this.changes.publish('signing-keys', key.kid);
        await this.audit.record({ type: 'signing_key.rotated', actor, details: { kid: key.kid } });
        return { kid: key.kid, retired: existing.filter((k) => k.retiredAt === null).map((k) => k.kid) };
      }
    }
    throw new Error('could not rotate signing keys: concurrent rotations');
  }

  /** Private JWKs for the provider: the current key first, then keys still in their overlap. */
  async privateJwks(): Promise<{ keys: JWK[] }> {
    const cutoff = Date.now() - this.options.overlapSeconds * 1000;
    const keys = (await this.keys.list())
      .filter((k) => k.retiredAt === null || k.retiredAt.getTime() > cutoff)
      .sort((a, b) => b.seq - a.seq);
    return { keys: keys.map((k) => JSON.parse(unseal(k.sealedPrivateJwk, this.options.masterKey)) as JWK) };
  }

  async list(): Promise<Omit<SigningKey, 'sealedPrivateJwk' | 'publicJwk'>[]> {
    return (await this.keys.list()).map(({ kid, seq, alg, createdAt, retiredAt }) => ({ kid, seq, alg, createdAt, retiredAt }));
  }

  /**
   * A secret Propusk uses to authenticate to itself (e.g. the management API's introspection
   * client), generated once, sealed with the master key and shared by every instance.
   */
  async internalSecret(name: InternalSecret): Promise<string> {
    const id = `internal:${name}`;
    const sealed = (await this.secrets.get(id)) ?? (await this.secrets.putIfAbsent(id, seal(randomToken(32), this.options.masterKey)));
    return unseal(sealed, this.options.masterKey);
  }

  /** Cookie-signing keys, generated once and shared through the database. */
  async cookieKeys(): Promise<string[]> {
    const sealed = (await this.secrets.get('cookie-keys')) ?? (await this.secrets.putIfAbsent('cookie-keys', seal(JSON.stringify([randomToken(32)]), this.options.masterKey)));
    return JSON.parse(unseal(sealed, this.options.masterKey)) as string[];
  }
}
