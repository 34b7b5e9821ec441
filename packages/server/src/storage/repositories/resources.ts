/** ResourceRepository on Kysely. */
import type { Selectable } from 'kysely';
import type { Db } from '../database.ts';
import type { ResourceTable } from '../schema.ts';
import type { Resource, ResourceRepository } from '../../resources/types.ts';
import { DEFAULT_SIGNING_ALG, isSigningAlg } from '../../keys/types.ts';

const toResource = (r: Selectable<ResourceTable>): Resource => ({
  indicator: r.indicator,
  scope: r.scope,
  name: r.name,
  accessTokenFormat: r.access_token_format === 'jwt' ? 'jwt' : 'opaque',
  accessTokenSigningAlg: r.access_token_format !== 'jwt' ? null : isSigningAlg(r.access_token_signing_alg) ? r.access_token_signing_alg : DEFAULT_SIGNING_ALG,
  accessTokenTtl: r.access_token_ttl,
  introspectionClientId: r.introspection_client_id,
  createdAt: new Date(r.created_at),
});

export class KyselyResourceRepository implements ResourceRepository {
  constructor(private readonly db: Db) {}

  async create(input: Omit<Resource, 'createdAt'>): Promise<Resource> {
    const now = Date.now();
    // A JWT resource always has an algorithm (RS256 unless chosen); an opaque one none.
    const r = { ...input, accessTokenSigningAlg: input.accessTokenFormat === 'jwt' ? (input.accessTokenSigningAlg ?? DEFAULT_SIGNING_ALG) : null };
    await this.db
      .insertInto('resource')
      .values({
        indicator: r.indicator,
        scope: r.scope,
        name: r.name,
        access_token_format: r.accessTokenFormat,
        access_token_signing_alg: r.accessTokenSigningAlg,
        access_token_ttl: r.accessTokenTtl,
        introspection_client_id: r.introspectionClientId,
        created_at: now,
      })
      .execute();
    return { ...r, createdAt: new Date(now) };
  }

  async list() {
    return (await this.db.selectFrom('resource').selectAll().orderBy('scope').execute()).map(toResource);
  }

  async findByScope(scope: string) {
    const r = await this.db.selectFrom('resource').selectAll().where('scope', '=', scope).executeTakeFirst();
    return r && toResource(r);
  }

  async findByIndicator(indicator: string) {
    const r = await this.db.selectFrom('resource').selectAll().where('indicator', '=', indicator).executeTakeFirst();
    return r && toResource(r);
  }
}
