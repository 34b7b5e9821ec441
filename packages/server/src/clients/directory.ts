/**
 * In-process cache of clients and their active api-key hashes, for the token endpoint's hot path.
 * Entries are dropped when the ChangeFeed announces a change to the client (from any process), and
 * expire after a short TTL as a safety net.
 */
import type { ApiKeyRepository, Client, ClientRepository } from './types.ts';
import type { ChangeFeed } from '../shared/changes.ts';
import { matchApiKey } from './api-keys.ts';

interface Entry {
  client: Client | undefined;
  keys: { id: string; hash: Buffer }[];
  loadedAt: number;
}

/** Cached entries are reloaded after this long even without a change notification. */
const TTL_MS = 30_000;
/**
 * A key that does not match is checked once more against fresh data when the cached entry is at
 * least this old, so a key issued by another process works at once; wrong keys cannot make this
 * reload more than a few times a second per client.
 */
const RELOAD_ON_MISS_AFTER_MS = 250;
/** last_used_at is written at most this often per key. */
const TOUCH_EVERY_MS = 60_000;

export class ClientDirectory {
  readonly #entries = new Map<string, Promise<Entry>>();
  readonly #touched = new Map<string, number>();

  constructor(
    private readonly clients: ClientRepository,
    private readonly apiKeys: ApiKeyRepository,
    changes: ChangeFeed,
  ) {
    changes.subscribe((topic, key) => {
      if (topic === 'client') this.#entries.delete(key);
    });
  }

  #load(clientId: string): Promise<Entry> {
    const cached = this.#entries.get(clientId);
    if (cached) return cached;
    const loading = (async (): Promise<Entry> => {
      const client = await this.clients.find(clientId);
      const keys = client && !client.public ? await this.apiKeys.activeHashes(clientId) : [];
      return { client, keys: keys.map((k) => ({ id: k.id, hash: Buffer.from(k.hash, 'hex') })), loadedAt: Date.now() };
    })();
    this.#entries.set(clientId, loading);
    loading.then(
      (e) => {
        const timer = setTimeout(() => {
          if (this.#entries.get(clientId) === loading) this.#entries.delete(clientId);
        }, TTL_MS - (Date.now() - e.loadedAt));
        timer.unref();
      },
      () => this.#entries.delete(clientId),
    );
    return loading;
  }

  /** The client, or undefined when unknown or disabled. */
  async find(clientId: string): Promise<Client | undefined> {
    const { client } = await this.#load(clientId);
    return client && !client.disabled ? client : undefined;
  }

  /** Checks an api-key of the client in constant time; records its use (coalesced). */
  async verifyApiKey(clientId: string, presented: string): Promise<boolean> {
    if (typeof presented !== 'string' || presented.length === 0 || presented.length > 512) return false;
    let entry = await this.#load(clientId);
    let id = entry.client && !entry.client.disabled ? matchApiKey(presented, entry.keys) : undefined;
    if (id === undefined && Date.now() - entry.loadedAt >= RELOAD_ON_MISS_AFTER_MS) {
      this.#entries.delete(clientId);
      entry = await this.#load(clientId);
      id = entry.client && !entry.client.disabled ? matchApiKey(presented, entry.keys) : undefined;
    }
    if (id === undefined) return false;
    const now = Date.now();
    if (now - (this.#touched.get(id) ?? 0) > TOUCH_EVERY_MS) {
      this.#touched.set(id, now);
      void this.apiKeys.touch([id], new Date(now)).catch(() => this.#touched.delete(id));
    }
    return true;
  }

  /** Drops every cached entry (tests, or after a lost change feed). */
  clear(): void {
    this.#entries.clear();
  }
}
