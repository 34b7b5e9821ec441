/**
 * Seam: oidc-provider's Client class. How a client's secret is checked (against our api-key
 * hashes, not a stored secret) and one Client instance kept per stored client record.
 */
import type Provider from 'oidc-provider';
import type { Assumption } from './assumption.ts';

interface ClientPrototype {
  compareClientSecret(this: { clientId: string }, actual: string): Promise<boolean>;
}
interface ClientClass {
  find(id: unknown): Promise<unknown>;
}

/**
 * Replaces how a client's secret is checked: `compareClientSecret` is the method oidc-provider's
 * client authentication calls for client_secret_post and client_secret_basic.
 * Upstream: lib/models/client.js:543 (`compareClientSecret(actual)`, a constant-time comparison
 * with the stored `clientSecret`). Remove when client authentication takes a secret-check hook.
 */
export function setClientSecretCheck(provider: Provider, check: (clientId: string, presented: string) => Promise<boolean>): void {
  const proto = provider.Client.prototype as unknown as ClientPrototype;
  proto.compareClientSecret = function compareClientSecret(actual: string) {
    return check(this.clientId, actual);
  };
}

/**
 * Keeps oidc-provider's Client instance per stored client record. `Client.find` otherwise rebuilds
 * the metadata, serialises and hashes it on every request just to find its cached instance.
 * `record(id)` returns the stored client — the same object until the client changes (the client
 * directory's cache), so a changed client gets a new instance — or undefined when it is unknown or
 * disabled, which oidc-provider is then asked about as before.
 * Upstream: lib/models/client.js:572 (`static async find(id)`). Remove when oidc-provider caches
 * adapter-backed clients without re-hashing their metadata per request.
 */
export function reuseClientInstances(provider: Provider, record: (clientId: string) => Promise<object | undefined>): void {
  const Client = provider.Client as unknown as ClientClass;
  const find = Client.find.bind(Client);
  const instances = new WeakMap<object, Promise<unknown>>();
  Client.find = async (id: unknown) => {
    const stored = typeof id === 'string' && id.length > 0 ? await record(id) : undefined;
    if (!stored) return find(id);
    let client = instances.get(stored);
    if (!client) {
      const creating = (client = find(id));
      instances.set(stored, creating);
      creating.catch(() => {
        if (instances.get(stored) === creating) instances.delete(stored);
      });
    }
    return client;
  };
}

export const assumptions: Assumption[] = [
  {
    name: 'Client.prototype.compareClientSecret exists before it is overridden',
    file: 'lib/models/client.js',
    line: 543,
    text: 'compareClientSecret(actual) {',
    holds: ({ provider }) => typeof (provider.Client.prototype as unknown as Partial<ClientPrototype>).compareClientSecret === 'function',
    why: 'client secrets are api-keys checked against their hashes; no secret is stored',
    removeWhen: 'client authentication takes a secret-check hook',
  },
  {
    name: 'Client.find exists before it is overridden',
    file: 'lib/models/client.js',
    line: 572,
    text: 'static async find(id) {',
    holds: ({ provider }) => typeof (provider.Client as unknown as Partial<ClientClass>).find === 'function',
    why: 'one Client instance per stored client record instead of re-hashing its metadata per request',
    removeWhen: 'oidc-provider caches adapter-backed clients without re-hashing their metadata',
  },
];
