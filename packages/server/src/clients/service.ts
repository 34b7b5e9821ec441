/**
 * Client use cases: register, list, change, issue and revoke api-keys, permissions, redirect URIs,
 * disable and enable, revoke everything issued to a client. Each use case that changes something
 * revokes what it must and audits the change here, so the admin CLI, the portal and the management
 * API call the same method and record the same events.
 */
import type {
  ApiKey,
  ApiKeyRepository,
  ApplicationType,
  Client,
  ClientRepository,
  ClientKind,
  ClientTokenRevoker,
  Permission,
  PortalOwner,
  Requester,
} from './types.ts';
import { accountActor, type AuditActor, type AuditLog } from '../audit/types.ts';
import { generateApiKey, hashApiKey } from './api-keys.ts';
import { validateApplicationType, validateClientId, validateClientName, validateRedirectUris, validateRegistration, type ValidRegistration } from './validation.ts';
import { conflict, invalid, notFound } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import type { ChangeFeed } from '../shared/changes.ts';
import { ADMIN_API_SCOPE, CONSOLE_CLIENT_ID } from '../operators/types.ts';

/** Longest api-key label, in characters. */
export const MAX_KEY_LABEL_LENGTH = 200;

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
  /** Every sign-in for the client takes a second factor (acr `urn:propusk:acr:mfa`). Default false. */
  requireMfa?: boolean;
  /**
   * Issue the first api-key of a confidential client now. Default true; false when the key is to be
   * issued later (by an owner in the integrator portal, after an invitation).
   */
  issueKey?: boolean;
}

/** The fields ClientService.update may change; undefined leaves a field as it is. */
export interface UpdateClientInput {
  name?: string | undefined;
  grantTypes?: string[] | undefined;
  redirectUris?: string[] | undefined;
  postLogoutRedirectUris?: string[] | undefined;
  scopes?: string[] | undefined;
}

/** Each field of UpdateClientInput, as the audit event `client.updated` names it. */
const UPDATABLE_FIELDS = {
  name: 'name',
  grantTypes: 'grant_types',
  redirectUris: 'redirect_uris',
  postLogoutRedirectUris: 'post_logout_redirect_uris',
  scopes: 'scopes',
} as const satisfies Record<keyof UpdateClientInput, string>;
type UpdatableField = keyof typeof UPDATABLE_FIELDS;

const sameValue = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

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
  /** Ids of the clients API resources introspect with (`rs.<scope>`): Propusk manages their registration. */
  introspectionClients(): Promise<string[]>;
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
   * Registers a client and, unless it is public or `issueKey` is false, issues its first api-key.
   * Audited as `client.created`, then `api_key.issued`; `actor` null (seeded data: demo, fixtures,
   * benchmarks) records nothing.
   */
  async create(input: CreateClientInput, actor: AuditActor | null): Promise<{ client: Client; key: IssuedKey | undefined }> {
    const clientId = validateClientId(input.clientId);
    const isPublic = input.public ?? false;
    const applicationType: ApplicationType = input.applicationType === undefined ? (isPublic ? 'native' : 'web') : validateApplicationType(input.applicationType);
    const registration = validateRegistration(
      {
        name: input.name,
        grantTypes: input.grantTypes,
        redirectUris: input.redirectUris ?? [],
        postLogoutRedirectUris: input.postLogoutRedirectUris ?? [],
        scopes: input.scopes ?? ['openid'],
        public: isPublic,
        applicationType,
      },
      await this.deps.knownScopes(),
    );
    if (await this.deps.clients.find(clientId)) throw conflict(`client ${clientId} already exists`);
    const client = await this.deps.clients.create({
      clientId,
      ...registration,
      permissions: [],
      disabled: false,
      requireDpop: input.requireDpop ?? false,
      requireMfa: input.requireMfa ?? false,
    });
    const key = isPublic || input.issueKey === false ? undefined : await this.#issueKey(clientId, undefined);
    await this.deps.changes.publish('client', clientId);
    if (actor !== null) {
      await this.deps.audit.record({ type: 'client.created', actor, clientId });
      if (key) await this.deps.audit.record({ type: 'api_key.issued', actor, clientId, details: { api_key_id: key.api_key_id } });
    }
    return { client, key };
  }

  /**
   * What each client is for: `introspection` for the client of an API resource, `first-party` for
   * Propusk's console, `client` for every other (an integrator's application, a machine operator).
   */
  async kinds(): Promise<(clientId: string) => ClientKind> {
    const introspection = new Set(await this.deps.introspectionClients());
    return (clientId) => (clientId === CONSOLE_CLIENT_ID ? 'first-party' : introspection.has(clientId) ? 'introspection' : 'client');
  }

  /**
   * Changes a client's name, grant types, redirect URIs, post-logout redirect URIs or scopes. The
   * client after the change is checked as a whole as `create` checks it (validateRegistration).
   * Refused (ERR_CONFLICT): any change to the console, and any change but the name to an API's
   * introspection client — Propusk manages those. The `propusk.admin` scope comes and goes with the
   * client's operator roles (RoleService), so it cannot be added or removed here. Published at once
   * to every instance; audited as `client.updated` with the fields that changed (nothing changed:
   * nothing recorded).
   */
  async update(clientId: string, changes: UpdateClientInput, actor: AuditActor): Promise<Client> {
    const client = await this.get(clientId);
    const fields = Object.keys(UPDATABLE_FIELDS) as UpdatableField[];
    const asked = fields.filter((f) => changes[f] !== undefined && !sameValue(changes[f], client[f]));
    const kind = (await this.kinds())(clientId);
    if (kind === 'first-party' && asked.length > 0) throw conflict(`client ${clientId} is Propusk's console: Propusk manages its registration`);
    if (kind === 'introspection' && asked.some((f) => f !== 'name')) {
      throw conflict(`client ${clientId} is the introspection client of an API: Propusk manages its grant types, redirect URIs and scopes (it has none); only its name may change`);
    }
    const next: ValidRegistration =
      kind === 'client'
        ? validateRegistration(
            {
              name: changes.name ?? client.name,
              grantTypes: changes.grantTypes ?? client.grantTypes,
              redirectUris: changes.redirectUris ?? client.redirectUris,
              postLogoutRedirectUris: changes.postLogoutRedirectUris ?? client.postLogoutRedirectUris,
              scopes: changes.scopes ?? client.scopes,
              public: client.public,
              applicationType: client.applicationType,
            },
            await this.deps.knownScopes(),
          )
        : { ...client, name: validateClientName(changes.name ?? client.name) };
    if (next.scopes.includes(ADMIN_API_SCOPE) !== client.scopes.includes(ADMIN_API_SCOPE)) {
      throw invalid(`the ${ADMIN_API_SCOPE} scope comes and goes with the client's operator roles (client grant-role, client revoke-role); keep it as it is`);
    }
    const changed = fields.filter((f) => !sameValue(next[f], client[f]));
    if (changed.length === 0) return client;
    const updated = (await this.deps.clients.update(clientId, Object.fromEntries(changed.map((f) => [f, next[f]]))))!;
    await this.deps.changes.publish('client', clientId);
    const lists = changed.filter((f) => f !== 'name');
    await this.deps.audit.record({
      type: 'client.updated',
      actor,
      clientId,
      details: {
        changed: changed.map((f) => UPDATABLE_FIELDS[f]),
        before: Object.fromEntries(lists.map((f) => [UPDATABLE_FIELDS[f], client[f] as string[]])),
        after: Object.fromEntries(lists.map((f) => [UPDATABLE_FIELDS[f], next[f] as string[]])),
      },
    });
    return updated;
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
    if (label !== undefined && label.length > MAX_KEY_LABEL_LENGTH) throw invalid(`a label must be at most ${MAX_KEY_LABEL_LENGTH} characters`);
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
   * Whether every sign-in for the client takes a second factor (acr `urn:propusk:acr:mfa`); published
   * at once to every instance. Sessions that signed in with the password only are asked for the
   * second factor at the client's next authorization request. Audited as `client.require_mfa`.
   */
  async setRequireMfa(clientId: string, required: boolean, actor: AuditActor): Promise<Client> {
    await this.get(clientId);
    const updated = (await this.deps.clients.update(clientId, { requireMfa: required }))!;
    await this.deps.changes.publish('client', clientId);
    await this.deps.audit.record({ type: 'client.require_mfa', actor, clientId, details: { require_mfa: required } });
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
    const uris = validateRedirectUris(redirectUris.map((u) => u.trim()).filter(Boolean), 'redirect URI', client.applicationType);
    if (uris.length === 0) throw invalid('the authorization_code grant needs at least one redirect URI');
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
