/** In-process cache of API resources, refreshed when any process announces a resource change. */
import type { Resource, ResourceRepository } from './types.ts';
import type { ChangeFeed } from '../shared/changes.ts';

export class ResourceDirectory {
  #all: Promise<Resource[]> | undefined;

  constructor(private readonly resources: ResourceRepository, changes: ChangeFeed) {
    changes.subscribe((topic) => {
      if (topic === 'resource') this.#all = undefined;
    });
  }

  all(): Promise<Resource[]> {
    this.#all ??= this.resources.list().catch((err: unknown) => {
      this.#all = undefined;
      throw err;
    });
    return this.#all;
  }

  async byScope(scope: string): Promise<Resource | undefined> {
    return (await this.all()).find((r) => r.scope === scope);
  }

  async byIndicator(indicator: string): Promise<Resource | undefined> {
    return (await this.all()).find((r) => r.indicator === indicator);
  }

  /**
   * The scopes in the order given, each with its API resource's name as description (undefined for
   * an OpenID scope or an unknown one): what a consent, device or account page lists. The page's
   * built-in texts for OpenID scopes come first (views/scopes.ts).
   */
  async describeScopes(names: readonly string[]): Promise<Array<{ name: string; description: string | undefined }>> {
    const all = await this.all();
    return names.map((name) => ({ name, description: all.find((r) => r.scope === name)?.name }));
  }

  async byIntrospectionClient(clientId: string): Promise<Resource | undefined> {
    return (await this.all()).find((r) => r.introspectionClientId === clientId);
  }
}
