// PartnerKeyDirectory: the partner keys of each client, cached in-process for the token endpoint.
// An entry is dropped when the ChangeFeed announces a change to the client (from any process) and
// expires after a short TTL as a safety net.
import type { ChangeFeed } from '../shared/changes.ts';
import type { PartnerKey, PartnerKeyRepository } from './types.ts';

/** Cached keys are reloaded after this long even without a change notification. Default 30 s. */
const TTL_MS = 30_000;

export class PartnerKeyDirectory {
  readonly #entries = new Map<string, { keys: Promise<PartnerKey[]>; loadedAt: number }>();

  constructor(private readonly repo: PartnerKeyRepository, changes: ChangeFeed) {
    changes.subscribe((topic, key) => {
      if (topic === 'client') this.#entries.delete(key);
    });
  }

  /** The registered keys of `clientId` (empty when it has none). */
  forClient(clientId: string): Promise<PartnerKey[]> {
    const cached = this.#entries.get(clientId);
    if (cached && Date.now() - cached.loadedAt < TTL_MS) return cached.keys;
    const keys = this.repo.listByClient(clientId);
    const entry = { keys, loadedAt: Date.now() };
    this.#entries.set(clientId, entry);
    keys.catch(() => {
      if (this.#entries.get(clientId) === entry) this.#entries.delete(clientId);
    });
    return keys;
  }

  clear(): void {
    this.#entries.clear();
  }
}
