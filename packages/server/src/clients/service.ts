/**
 * Client use cases: register, list, issue and revoke api-keys, permissions, redirect URIs, disable
 * and enable, revoke everything issued to a client. Each use case that changes something revokes
 * what it must and audits the change here, so the admin CLI, the portal and any later API call the
 * same method and record the same events.
 */
import type {
  ApiKey,
  ApiKeyRepository,
  ApplicationType,
  Client,
  ClientRepository,
  ClientTokenRevoker,
  GrantType,
  Permission,
  PortalOwner,
  Requester,
} from './types.ts';
import { accountActor, type AuditActor, type AuditLog } from '../audit/types.ts';
import { generateApiKey, hashApiKey } from './api-keys.ts';
import { validateApplicationType, validateClientId, validateGrantTypes, validateRedirectUri } from './validation.ts';
import { conflict, invalid, notFound } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import type { ChangeFeed } from '../shared/changes.ts';

/** Most redirect URIs a client may register through setRedirectUris. */
export const MAX_REDIRECT_URIS = 20;
/** Longest redirect URI accepted by setRedirectUris, in characters. */
export const MAX_REDIRECT_URI_LENGTH = 2000;

export interface CreateClientInput {
  clientId: string;
  name: string;
  grantTypes: string[];
  redirectUris?: string[];
  postLogoutRedirectUris?: string[];
  scopes?: string[];
  public?: boolean;
  /** `web` or `native`; default: `native` for public clients, `web` for confidential ones. */
  applicationType?: string;
  /** Every token request must carry a DPoP proof (RFC 9449). Default false. */
  requireDpop?: boolean;
}

export interface IssuedKey {
  client_id: string;
  api_key: string;
  api_key_id: string;
}

export interface ClientServiceDeps {
  clients: ClientRepository;
  apiKeys: ApiKeyRepository;
  changes: ChangeFeed;
  /** Scopes that exist (OIDC scopes plus every API resource scope). */
  knownScopes(): Promise<string[]>;
  /** Deletes every grant and token issued to a client (accounts/revocation.ts). */
  revocation: ClientTokenRevoker;
  audit: AuditLog;
}

/** How an event names who asked: the actor, and for a portal owner their account and `via: 'portal'`. */
function requesterOf(by: Requester): { actor: AuditActor; accountId?: string; portal: boolean } {
  return typeof by === 'string' ? { actor: by, portal: false } : { actor: accountActor(by.portalOwner), accountId: by.portalOwner, portal: true };
}

export class ClientService {
  constructor(private readonly deps: ClientServiceDeps) {}

  /**
   * Registers a client and, unless it is public, issues its first api-key. Audited as
   * `client.created`, then `api_key.issued`; `actor` null (seeded data: demo, fixtures,
   * benchmarks) records nothing.
   */
  async create(input: CreateClientInput, actor: AuditActor | null): Promise<{ client: Client; key: IssuedKey | undefined }> {
    const clientId = validateClientId(input.clientId);
    const name = input.name.trim();
    if (!name || name.length > 200) throw invalid('name must be 1-200 characters');
    const grantTypes = validateGrantTypes(input.grantTypes);
    const isPublic = input.public ?? false;
    const applicationType: ApplicationType = input.applicationType === undefined ? (isPublic ? 'native' : 'web') : validateApplicationType(input.applicationType);
    const redirectUris = (input.redirectUris ?? []).map((u) => validateRedirectUri(u, 'redirect URI', applicationType));
    const postLogoutRedirectUris = (input.postLogoutRedirectUris ?? []).map((u) => validateRedirectUri(u, 'post-logout redirect URI', applicationType));
    if ((grantTypes.includes('authorization_code')) && redirectUris.length === 0) {
      throw invalid('the authorization_code grant needs at least one redirect URI');
    }
    if (!grantTypes.includes('authorization_code') && redirectUris.length > 0) {
      throw invalid('redirect URIs are only used by the authorization_code grant');
    }
    if (isPublic && grantTypes.some((g: GrantType) => g === 'client_credentials' || g === 'trusted')) {
      throw invalid('a public client cannot use client_credentials or trusted: those grants need an api-key');
    }
    const scopes = await this.validateScopes(input.scopes ?? ['openid']);
    if (await this.deps.clients.find(clientId)) throw conflict(`client ${clientId} already exists`);
    const client = await this.deps.clients.create({
      clientId,
      name,
      grantTypes,
      redirectUris,
      postLogoutRedirectUris,
      scopes,
      public: isPublic,
      applicationType,
      permissions: [],
      disabled: false,
      requireDpop: input.requireDpop ?? false,
    });
    const key = isPublic ? undefined : await this.#issueKey(clientId, undefined);
    await this.deps.changes.publish('client', clientId);
    if (actor !== null) {
      await this.deps.audit.record({ type: 'client.created', actor, clientId });
      if (key) await this.deps.audit.record({ type: 'api_key.issued', actor, clientId, details: { api_key_id: key.api_key_id } });
    }
    return { client, key };
  }

  private async validateScopes(scopes: string[]): Promise<string[]> {
    const known = new Set(await this.deps.knownScopes());
    for (const s of scopes) {
      if (!known.has(s)) throw invalid(`unknown scope ${JSON.stringify(s)} (known: ${[...known].join(' ')})`);
    }
    return [...new Set(scopes)];
  }

  /**
   * Registers the client an API uses for introspection: no grants, no redirects, confidential.
   * Its api-keys are issued like any client's (`client issue-key`).
   */
  async createIntrospectionClient(clientId: string, name: string): Promise<void> {
    validateClientId(clientId);
    if (await this.deps.clients.find(clientId)) throw conflict(`client ${clientId} already exists`);
    await this.deps.clients.create({
      clientId,
      name,
      grantTypes: [],
      redirectUris: [],
      postLogoutRedirectUris: [],
      scopes: [],
      public: false,
      applicationType: 'web',
      permissions: [],
      disabled: false,
    });
    await this.deps.changes.publish('client', clientId);
  }

  async get(clientId: string): Promise<Client> {
    const client = await this.deps.clients.find(clientId);
    if (!client) throw notFound(`client ${clientId}`);
    return client;
  }

  list(): Promise<Client[]> {
    return this.deps.clients.list();
  }

  /**
   * Generates a new api-key; the plain key is returned once and only its hash is stored. Audited as
   * `api_key.issued` (with `via: 'portal'` for a portal owner); `by` null (seeded data) records nothing.
   */
  async issueKey(clientId: string, label: string | undefined, by: Requester | null): Promise<IssuedKey> {
    const key = await this.#issueKey(clientId, label);
    if (by !== null) {
      const { actor, accountId, portal } = requesterOf(by);
      await this.deps.audit.record({ type: 'api_key.issued', actor, clientId, accountId, details: { api_key_id: key.api_key_id, ...(portal ? { via: 'portal' as const } : {}) } });
    }
    return key;
  }

  async #issueKey(clientId: string, label: string | undefined): Promise<IssuedKey> {
    const client = await this.get(clientId);
    if (client.public) throw invalid(`client ${clientId} is public and has no api-keys`);
    const apiKey = generateApiKey();
    const record = await this.deps.apiKeys.create({
      id: newId(),
      clientId,
      hash: hashApiKey(apiKey),
      label: label?.trim() || null,
      createdAt: new Date(),
    });
    await this.deps.changes.publish('client', clientId);
    return { client_id: clientId, api_key: apiKey, api_key_id: record.id };
  }

  /** Revokes an active api-key: token requests with it fail within a second, on every instance. Audited as `api_key.revoked`. */
  async revokeKey(clientId: string, apiKeyId: string, by: Requester): Promise<void> {
    await this.get(clientId);
    if (!(await this.deps.apiKeys.revoke(clientId, apiKeyId, new Date()))) {
      throw notFound(`active api-key ${apiKeyId} of client ${clientId}`);
    }
    await this.deps.changes.publish('client', clientId);
    const { actor, accountId, portal } = requesterOf(by);
    await this.deps.audit.record({ type: 'api_key.revoked', actor, clientId, accountId, details: { api_key_id: apiKeyId, ...(portal ? { via: 'portal' as const } : {}) } });
  }

  listKeys(clientId: string): Promise<ApiKey[]> {
    return this.deps.apiKeys.listByClient(clientId);
  }

  /**
   * Grants or withdraws a permission; published at once to every instance. Audited as
   * `client.permission_granted` or `client.permission_revoked`; `actor` null (seeded data) records nothing.
   */
  async setPermission(clientId: string, permission: Permission, granted: boolean, actor: AuditActor | null): Promise<Client> {
    const client = await this.get(clientId);
    const permissions = granted ? [...new Set([...client.permissions, permission])] : client.permissions.filter((p) => p !== permission);
    const updated = (await this.deps.clients.update(clientId, { permissions }))!;
    await this.deps.changes.publish('client', clientId);
    if (actor !== null) {
      await this.deps.audit.record({ type: granted ? 'client.permission_granted' : 'client.permission_revoked', actor, clientId, details: { permission } });
    }
    return updated;
  }

  /** Whether the partner's trusted-grant JWTs must carry `aud`; published at once to every instance. Audited as `client.partner_require_aud`. */
  async setPartnerRequireAud(clientId: string, required: boolean, actor: AuditActor): Promise<Client> {
    await this.get(clientId);
    const updated = (await this.deps.clients.update(clientId, { partnerRequireAud: required }))!;
    await this.deps.changes.publish('client', clientId);
    await this.deps.audit.record({ type: 'client.partner_require_aud', actor, clientId, details: { require_aud: required } });
    return updated;
  }

  /**
   * Whether the client's token requests must carry a DPoP proof (RFC 9449), i.e. every access token
   * it gets is DPoP-bound; published at once to every instance. Tokens already issued keep their
   * binding (or lack of it) until they expire. Audited as `client.require_dpop`.
   */
  async setRequireDpop(clientId: string, required: boolean, actor: AuditActor): Promise<Client> {
    await this.get(clientId);
    const updated = (await this.deps.clients.update(clientId, { requireDpop: required }))!;
    await this.deps.changes.publish('client', clientId);
    await this.deps.audit.record({ type: 'client.require_dpop', actor, clientId, details: { require_dpop: required } });
    return updated;
  }

  /**
   * Replaces the redirect URIs of an authorization_code client (at least one; https, or http on
   * localhost/127.0.0.1 only; private-use schemes for native clients). Published at once, so authorize and token see the new list.
   * An owner does it in the integrator portal; audited as `client.redirect_uris_changed`.
   */
  async setRedirectUris(clientId: string, redirectUris: readonly string[], by: PortalOwner): Promise<Client> {
    const client = await this.get(clientId);
    if (!client.grantTypes.includes('authorization_code')) throw invalid('redirect URIs are only used by the authorization_code grant');
    const uris = [...new Set(redirectUris.map((u) => u.trim()).filter(Boolean))];
    if (uris.length === 0) throw invalid('the authorization_code grant needs at least one redirect URI');
    if (uris.length > MAX_REDIRECT_URIS) throw invalid(`at most ${MAX_REDIRECT_URIS} redirect URIs`);
    for (const u of uris) {
      if (u.length > MAX_REDIRECT_URI_LENGTH) throw invalid(`a redirect URI must be at most ${MAX_REDIRECT_URI_LENGTH} characters`);
      validateRedirectUri(u, 'redirect URI', client.applicationType);
    }
    const updated = (await this.deps.clients.update(clientId, { redirectUris: uris }))!;
    await this.deps.changes.publish('client', clientId);
    await this.deps.audit.record({
      type: 'client.redirect_uris_changed',
      actor: accountActor(by.portalOwner),
      clientId,
      accountId: by.portalOwner,
      details: { before: client.redirectUris, after: updated.redirectUris, via: 'portal' },
    });
    return updated;
  }

  /**
   * Disables a client: refused at every endpoint on every instance within a second (published on
   * the change feed), and every grant, code and token issued to it is revoked and every consent
   * given to it forgotten, so enabling it again brings nothing back. Audited as `client.disabled`,
   * then `client.tokens_revoked`.
   */
  async disable(clientId: string, actor: AuditActor): Promise<{ client: Client; revoked: number }> {
    const client = await this.#setDisabled(clientId, true);
    await this.deps.audit.record({ type: 'client.disabled', actor, clientId: client.clientId });
    const revoked = await this.deps.revocation.revokeClient(client.clientId, { actor, reason: 'client_disabled' });
    return { client, revoked };
  }

  /** Enables a disabled client again. Audited as `client.enabled`. */
  async enable(clientId: string, actor: AuditActor): Promise<Client> {
    const client = await this.#setDisabled(clientId, false);
    await this.deps.audit.record({ type: 'client.enabled', actor, clientId: client.clientId });
    return client;
  }

  /** Revokes every grant, code and token issued to the client (client_credentials tokens too); the client stays usable. */
  async revokeTokens(clientId: string, actor: AuditActor): Promise<{ client: Client; revoked: number }> {
    const client = await this.get(clientId);
    const revoked = await this.deps.revocation.revokeClient(client.clientId, { actor, reason: 'operator' });
    return { client, revoked };
  }

  async #setDisabled(clientId: string, disabled: boolean): Promise<Client> {
    await this.get(clientId);
    const updated = (await this.deps.clients.update(clientId, { disabled }))!;
    await this.deps.changes.publish('client', clientId);
    return updated;
  }
}
