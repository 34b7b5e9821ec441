/** ClientRepository and ApiKeyRepository on Kysely. */
import type { Selectable, Updateable } from 'kysely';
import type { Db } from '../database.ts';
import type { ApiKeyTable, ClientTable } from '../schema.ts';
import type { ApiKey, ApiKeyRepository, ApplicationType, Client, ClientRepository } from '../../clients/types.ts';

const toClient = (r: Selectable<ClientTable>): Client => ({
  clientId: r.client_id,
  name: r.name,
  grantTypes: JSON.parse(r.grant_types) as Client['grantTypes'],
  redirectUris: JSON.parse(r.redirect_uris) as string[],
  postLogoutRedirectUris: JSON.parse(r.post_logout_redirect_uris) as string[],
  scopes: r.scopes.split(' ').filter(Boolean),
  public: Boolean(r.public),
  applicationType: r.application_type as ApplicationType,
  permissions: JSON.parse(r.permissions) as Client['permissions'],
  disabled: Boolean(r.disabled),
  partnerRequireAud: Boolean(r.partner_require_aud),
  requireDpop: Boolean(r.require_dpop),
  requireMfa: Boolean(r.require_mfa),
  createdAt: new Date(r.created_at),
  updatedAt: new Date(r.updated_at),
});

const toApiKey = (r: Selectable<ApiKeyTable>): ApiKey => ({
  id: r.id,
  clientId: r.client_id,
  hash: r.hash,
  label: r.label,
  createdAt: new Date(r.created_at),
  lastUsedAt: r.last_used_at === null ? null : new Date(r.last_used_at),
  revokedAt: r.revoked_at === null ? null : new Date(r.revoked_at),
});

export class KyselyClientRepository implements ClientRepository {
  constructor(private readonly db: Db) {}

  async create(c: Omit<Client, 'createdAt' | 'updatedAt'>): Promise<Client> {
    const now = Date.now();
    await this.db
      .insertInto('client')
      .values({
        client_id: c.clientId,
        name: c.name,
        grant_types: JSON.stringify(c.grantTypes),
        redirect_uris: JSON.stringify(c.redirectUris),
        post_logout_redirect_uris: JSON.stringify(c.postLogoutRedirectUris),
        scopes: c.scopes.join(' '),
        public: c.public ? 1 : 0,
        application_type: c.applicationType,
        permissions: JSON.stringify(c.permissions),
        disabled: c.disabled ? 1 : 0,
        partner_require_aud: c.partnerRequireAud ? 1 : 0,
        require_dpop: c.requireDpop ? 1 : 0,
        require_mfa: c.requireMfa ? 1 : 0,
        created_at: now,
        updated_at: now,
      })
      .execute();
    return { ...c, partnerRequireAud: c.partnerRequireAud ?? false, requireDpop: c.requireDpop ?? false, requireMfa: c.requireMfa ?? false, createdAt: new Date(now), updatedAt: new Date(now) };
  }

  async find(clientId: string) {
    const r = await this.db.selectFrom('client').selectAll().where('client_id', '=', clientId).executeTakeFirst();
    return r && toClient(r);
  }

  async list() {
    return (await this.db.selectFrom('client').selectAll().orderBy('client_id').execute()).map(toClient);
  }

  async update(clientId: string, c: Parameters<ClientRepository['update']>[1]) {
    const values: Updateable<ClientTable> = { updated_at: Date.now() };
    if (c.name !== undefined) values.name = c.name;
    if (c.grantTypes !== undefined) values.grant_types = JSON.stringify(c.grantTypes);
    if (c.redirectUris !== undefined) values.redirect_uris = JSON.stringify(c.redirectUris);
    if (c.postLogoutRedirectUris !== undefined) values.post_logout_redirect_uris = JSON.stringify(c.postLogoutRedirectUris);
    if (c.scopes !== undefined) values.scopes = c.scopes.join(' ');
    if (c.permissions !== undefined) values.permissions = JSON.stringify(c.permissions);
    if (c.disabled !== undefined) values.disabled = c.disabled ? 1 : 0;
    if (c.partnerRequireAud !== undefined) values.partner_require_aud = c.partnerRequireAud ? 1 : 0;
    if (c.requireDpop !== undefined) values.require_dpop = c.requireDpop ? 1 : 0;
    if (c.requireMfa !== undefined) values.require_mfa = c.requireMfa ? 1 : 0;
    await this.db.updateTable('client').set(values).where('client_id', '=', clientId).execute();
    return this.find(clientId);
  }
}

export class KyselyApiKeyRepository implements ApiKeyRepository {
  constructor(private readonly db: Db) {}

  async create(k: Omit<ApiKey, 'lastUsedAt' | 'revokedAt'>): Promise<ApiKey> {
    await this.db
      .insertInto('api_key')
      .values({ id: k.id, client_id: k.clientId, hash: k.hash, label: k.label, created_at: k.createdAt.getTime(), last_used_at: null, revoked_at: null })
      .execute();
    return { ...k, lastUsedAt: null, revokedAt: null };
  }

  async listByClient(clientId: string) {
    return (await this.db.selectFrom('api_key').selectAll().where('client_id', '=', clientId).orderBy('created_at').execute()).map(toApiKey);
  }

  async activeHashes(clientId: string) {
    return this.db.selectFrom('api_key').select(['id', 'hash']).where('client_id', '=', clientId).where('revoked_at', 'is', null).execute();
  }

  async revoke(clientId: string, id: string, at: Date) {
    const r = await this.db
      .updateTable('api_key')
      .set({ revoked_at: at.getTime() })
      .where('client_id', '=', clientId)
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  async touch(ids: string[], at: Date) {
    if (ids.length === 0) return;
    await this.db.updateTable('api_key').set({ last_used_at: at.getTime() }).where('id', 'in', ids).execute();
  }
}
