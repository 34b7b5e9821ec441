/**
 * Signing-key life cycle, per algorithm: the first process generates an RS256 key (ID tokens and
 * the default for JWT access tokens); the first API that asks for ES256 or EdDSA gets a key of that
 * algorithm. `keys rotate` adds a newer key of every algorithm in use, which signs from then on,
 * while the previous keys stay published (overlap) until every token signed with them has expired.
 * Also the cookie-signing keys shared by every instance.
 */
import { exportJWK, generateKeyPair, calculateJwkThumbprint, type JWK } from 'jose';
import { DEFAULT_SIGNING_ALG, SIGNING_ALGS, type SecretRepository, type SigningAlg, type SigningKey, type SigningKeyRepository } from './types.ts';
import { isPlain, seal, unseal } from './sealing.ts';
import { randomToken } from '../shared/ids.ts';
import type { ChangeFeed } from '../shared/changes.ts';
import type { AuditActor, AuditLog } from '../audit/types.ts';

export interface KeyServiceOptions {
  masterKey: Buffer | undefined;
  /** Seconds a retired key stays published. */
  overlapSeconds: number;
}

/** The JWK shape of each algorithm's keys: RSA 2048, EC P-256, OKP Ed25519 (its JWK `alg` is `EdDSA`). */
const KEY_OPTIONS: Record<SigningAlg, { modulusLength?: number }> = {
  RS256: { modulusLength: 2048 },
  ES256: {},
  EdDSA: {},
};

async function generate(alg: SigningAlg, seq: number, masterKey: Buffer | undefined): Promise<SigningKey> {
  const { publicKey, privateKey } = await generateKeyPair(alg, { ...KEY_OPTIONS[alg], extractable: true });
  const publicJwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(publicJwk);
  const privateJwk = { ...(await exportJWK(privateKey)), kid, alg, use: 'sig' };
  return {
    kid,
    seq,
    alg,
    publicJwk: { ...publicJwk, kid, alg, use: 'sig' },
    sealedPrivateJwk: seal(JSON.stringify(privateJwk), masterKey),
    createdAt: new Date(),
    retiredAt: null,
  };
}

/** The key of each algorithm that signs: of its unretired keys, the one with the highest seq. */
function signingKids(keys: readonly SigningKey[]): Set<string> {
  const newest = new Map<SigningAlg, SigningKey>();
  for (const k of keys) {
    if (k.retiredAt !== null) continue;
    const current = newest.get(k.alg);
    if (!current || k.seq > current.seq) newest.set(k.alg, k);
  }
  return new Set([...newest.values()].map((k) => k.kid));
}

const nextSeq = (keys: readonly SigningKey[]) => Math.max(0, ...keys.map((k) => k.seq)) + 1;

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

  /**
   * Makes sure an unretired signing key of `alg` exists (RS256 at first start; ES256 or EdDSA when
   * an API first asks for it); safe when several processes do it at once. A key it adds is
   * announced on 'signing-keys', so every instance loads it, and, with an actor (an operator whose
   * new API needs it), audited as `signing_key.created`. Returns the new key's id, or undefined when
   * one existed.
   */
  async ensureSigningKey(alg: SigningAlg = DEFAULT_SIGNING_ALG, actor?: AuditActor): Promise<string | undefined> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const existing = await this.keys.list();
      if (existing.some((k) => k.alg === alg && k.retiredAt === null)) return undefined;
      const key = await generate(alg, nextSeq(existing), this.options.masterKey);
      // Another process took this seq (its own key, maybe of this algorithm): look again.
      if (!(await this.keys.insertIfSeqFree(key))) continue;
      // Should another process have added a key of this algorithm under a lower seq meanwhile, it
      // retires (and stays published for the overlap): one current key per algorithm.
      await this.keys.retireAllBefore(alg, key.seq, new Date());
      await this.changes.publish('signing-keys', key.kid);
      if (actor) await this.audit.record({ type: 'signing_key.created', actor, details: { kid: key.kid, alg } });
      return key.kid;
    }
    throw new Error(`could not add a ${alg} signing key: concurrent changes of the signing keys`);
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

  /**
   * Adds a new signing key for every algorithm in use (one that has an unretired key; RS256
   * always), which signs from now on; the older keys of that algorithm are retired and stay
   * published for the overlap. Audited as one `signing_key.rotated` per algorithm. RS256 goes last,
   * so its new key has the highest seq and is listed first.
   */
  async rotate(actor: AuditActor): Promise<{ kid: string; keys: { kid: string; alg: SigningAlg }[]; retired: string[] }> {
    const inUse = new Set<SigningAlg>([DEFAULT_SIGNING_ALG, ...(await this.keys.list()).filter((k) => k.retiredAt === null).map((k) => k.alg)]);
    const order = SIGNING_ALGS.filter((a) => a !== DEFAULT_SIGNING_ALG && inUse.has(a)).concat(DEFAULT_SIGNING_ALG);
    const added: { kid: string; alg: SigningAlg }[] = [];
    const retired: string[] = [];
    try {
      for (const alg of order) {
        const { key, before } = await this.#addKey(alg);
        // Per algorithm: a concurrent rotation's newer key of this algorithm (a higher seq) stays unretired.
        await this.keys.retireAllBefore(alg, key.seq, new Date());
        added.push({ kid: key.kid, alg });
        retired.push(...before.filter((k) => k.alg === alg && k.retiredAt === null).map((k) => k.kid));
      }
      await this.keys.deleteRetiredBefore(new Date(Date.now() - this.options.overlapSeconds * 1000));
    } finally {
      // Keys added before a failure (the database gone mid-way) sign from now on too: announced and audited all the same.
      if (added.length > 0) {
        await this.changes.publish('signing-keys', added.map((k) => k.kid).join(' '));
        for (const k of added) await this.audit.record({ type: 'signing_key.rotated', actor, details: { kid: k.kid, alg: k.alg } });
      }
    }
    return { kid: added.find((k) => k.alg === DEFAULT_SIGNING_ALG)!.kid, keys: added, retired };
  }

  /** Inserts a new key of `alg` with the next free seq (retrying when another process took it); answers it and the keys seen before. */
  async #addKey(alg: SigningAlg): Promise<{ key: SigningKey; before: SigningKey[] }> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const before = await this.keys.list();
      const key = await generate(alg, nextSeq(before), this.options.masterKey);
      if (await this.keys.insertIfSeqFree(key)) return { key, before };
    }
    throw new Error('could not rotate signing keys: concurrent rotations');
  }

  /**
   * Private JWKs for the provider, newest first: the current key of each algorithm comes before
   * that algorithm's older keys still in their overlap (oidc-provider signs with the first key of
   * the algorithm asked for).
   */
  async privateJwks(): Promise<{ keys: JWK[] }> {
    const cutoff = Date.now() - this.options.overlapSeconds * 1000;
    const keys = (await this.keys.list())
      .filter((k) => k.retiredAt === null || k.retiredAt.getTime() > cutoff)
      .sort((a, b) => b.seq - a.seq);
    return { keys: keys.map((k) => JSON.parse(unseal(k.sealedPrivateJwk, this.options.masterKey)) as JWK) };
  }

  /** Every stored key's public facts; `signing` for the key of each algorithm that signs now. */
  async list(): Promise<(Omit<SigningKey, 'sealedPrivateJwk' | 'publicJwk'> & { signing: boolean })[]> {
    const keys = await this.keys.list();
    const signing = signingKids(keys);
    return keys.map(({ kid, seq, alg, createdAt, retiredAt }) => ({ kid, seq, alg, createdAt, retiredAt, signing: signing.has(kid) }));
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
