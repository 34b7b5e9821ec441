/**
 * Clients: list, register, read and change them; disable, enable, revoke their tokens; their
 * api-keys (metadata; a new key is shown once, in the answer that issues it), integrator-portal
 * invitations, permissions and partner keys. Each operation calls the ClientService,
 * IntegrationService or PartnerKeyService method the admin CLI calls, with the operator as actor.
 */
import { z } from 'zod';
import type { AppContext } from '../../../context.ts';
import type { Client, ClientKind } from '../../../clients/types.ts';
import { APPLICATION_TYPES, CLIENT_KINDS, GRANT_TYPES, PERMISSIONS as CLIENT_PERMISSIONS } from '../../../clients/types.ts';
import { validatePermission } from '../../../clients/validation.ts';
import { publicClient } from '../../../clients/public-view.ts';
import { parseTtl } from '../../../integrations/ttl.ts';
import { ROLES, type Role } from '../../../operators/types.ts';
import { PartnerKeyError } from '../../../partners/errors.ts';
import type { PartnerKey } from '../../../partners/types.ts';
import { invitationUrl } from '../../portal/paths.ts';
import { operation } from '../operation.ts';
import { pageInMemory, pageOf, paginationQuery } from '../pagination.ts';
import { Problem } from '../problem.ts';

const TAG = 'clients';

const ClientItem = z.object({
  client_id: z.string(),
  name: z.string(),
  kind: z.enum(CLIENT_KINDS).describe("`introspection`: an API resource's introspection client; `first-party`: Propusk's console; `client`: any other. Propusk manages the first two"),
  grant_types: z.array(z.enum(GRANT_TYPES)),
  redirect_uris: z.array(z.string()),
  post_logout_redirect_uris: z.array(z.string()),
  scopes: z.array(z.string()),
  public: z.boolean().describe('a public client has no api-keys and uses PKCE'),
  application_type: z.enum(APPLICATION_TYPES),
  permissions: z.array(z.enum(CLIENT_PERMISSIONS)),
  disabled: z.boolean(),
  require_dpop: z.boolean(),
  require_mfa: z.boolean().describe('every sign-in for the client takes a second factor (two-step verification)'),
  partner_require_aud: z.boolean(),
  roles: z.array(z.enum(ROLES)).describe('operator roles the client holds (management API)'),
  created_at: z.iso.datetime(),
  updated_at: z.iso.datetime(),
});

const clientItem = (c: Client, kind: ClientKind, roles: readonly Role[]): z.input<typeof ClientItem> => ({
  ...publicClient(c),
  kind,
  partner_require_aud: c.partnerRequireAud === true,
  roles: [...roles],
  updated_at: c.updatedAt.toISOString(),
});

/** One client as the API shows it: with its kind and its operator roles. */
async function present(app: AppContext, client: Client): Promise<z.input<typeof ClientItem>> {
  const kindOf = await app.clients.kinds();
  return clientItem(client, kindOf(client.clientId), await app.roles.rolesOf({ kind: 'client', id: client.clientId }));
}

const ClientParams = z.object({ client_id: z.string() });

const uris = (what: string) => z.array(z.string()).describe(what);
const grantTypes = z.array(z.enum(GRANT_TYPES)).describe('one or more grant types');
const scopes = z.array(z.string()).describe('scopes the client may ask for: OpenID scopes and API resource scopes');

const ApiKeyItem = z.object({
  api_key_id: z.string(),
  label: z.string().nullable(),
  created_at: z.iso.datetime(),
  last_used_at: z.iso.datetime().nullable().describe('updated at most once a minute'),
  revoked_at: z.iso.datetime().nullable(),
});

const IssuedKey = z.object({
  client_id: z.string(),
  api_key: z.string().describe('the key itself: shown in this answer only, never again'),
  api_key_id: z.string(),
});

const PartnerKeyItem = z.object({
  key_id: z.string(),
  kid: z.string(),
  source: z.enum(['certificate', 'spki', 'jwk']),
  x5t: z.string().nullable().describe('SHA-1 thumbprint of the certificate (base64url); certificates only'),
  x5t_s256: z.string().nullable().describe('SHA-256 thumbprint of the certificate (base64url); certificates only'),
  not_before: z.iso.datetime().nullable(),
  not_after: z.iso.datetime().nullable(),
  created_at: z.iso.datetime(),
});

const partnerKeyItem = (k: PartnerKey): z.input<typeof PartnerKeyItem> => ({
  key_id: k.id,
  kid: k.kid,
  source: k.source,
  x5t: k.x5t ?? null,
  x5t_s256: k.x5tS256 ?? null,
  not_before: k.notBefore?.toISOString() ?? null,
  not_after: k.notAfter?.toISOString() ?? null,
  created_at: k.createdAt.toISOString(),
});

/** A refused partner key (format, size, private material…) is a 400 like any refused input. */
const refusedKey = (err: unknown): never => {
  if (err instanceof PartnerKeyError) throw new Problem('invalid-request', err.message, { invalid_params: [{ name: 'body.key', reason: err.message }] });
  throw err;
};

const permissionOperation = (granted: boolean) =>
  operation({
    id: granted ? 'grantClientPermission' : 'revokeClientPermission',
    method: granted ? 'put' : 'delete',
    path: '/clients/{client_id}/permissions/{permission}',
    tag: TAG,
    summary: granted ? 'Allow a client the trusted grant or self-service linking by phone' : "Withdraw a client's permission",
    description: `\`permission\`: ${CLIENT_PERMISSIONS.map((p) => `\`${p}\``).join(' or ')}. Takes effect on every instance within a second.`,
    permission: 'clients:write',
    params: z.object({ client_id: z.string(), permission: z.string() }),
    status: 200,
    response: z.object({ client_id: z.string(), permissions: z.array(z.enum(CLIENT_PERMISSIONS)) }),
    problems: ['not-found'],
    async run({ params }, { app, operator }) {
      const client = await app.clients.setPermission(params.client_id, validatePermission(params.permission), granted, operator.actor);
      return { client_id: client.clientId, permissions: client.permissions };
    },
  });

export const clientOperations = [
  operation({
    id: 'listClients',
    method: 'get',
    path: '/clients',
    tag: TAG,
    summary: 'List clients, by client_id',
    permission: 'clients:read',
    query: z.strictObject({ ...paginationQuery, kind: z.enum(CLIENT_KINDS).optional().describe('only clients of this kind') }),
    status: 200,
    response: pageOf(ClientItem),
    async run({ query }, { app }) {
      const [clients, kindOf, grants] = await Promise.all([app.clients.list(), app.clients.kinds(), app.roles.list()]);
      const roles = new Map<string, Role[]>();
      for (const g of grants) if (g.subject.kind === 'client') roles.set(g.subject.id, [...(roles.get(g.subject.id) ?? []), g.role]);
      const wanted = query.kind === undefined ? clients : clients.filter((c) => kindOf(c.clientId) === query.kind);
      return pageInMemory(wanted, query, { arity: 1, of: (c) => [c.clientId] }, (c) => clientItem(c, kindOf(c.clientId), roles.get(c.clientId) ?? []));
    },
  }),
  operation({
    id: 'createClient',
    method: 'post',
    path: '/clients',
    tag: TAG,
    summary: 'Register a client and issue its first api-key (shown once)',
    description:
      'As `propusk admin client create`. A confidential client gets its first api-key in this answer, and only here; ' +
      '`issue_key: false` registers it without one (an owner invited with `POST /clients/{client_id}/invitations` issues keys in the integrator portal). ' +
      'A public client has no api-keys (`api_key` null).',
    permission: 'clients:write',
    body: z.strictObject({
      client_id: z.string().describe('1-100 letters, digits, dots, dashes or underscores'),
      name: z.string().describe('1-200 characters'),
      grant_types: grantTypes,
      redirect_uris: uris('authorization_code only, and at least one there: https, http on loopback, private-use schemes for native clients').optional(),
      post_logout_redirect_uris: uris('where the browser may return after signing out').optional(),
      scopes: scopes.optional().describe('default `["openid"]`'),
      public: z.boolean().optional().describe('no api-key; PKCE required. Default false'),
      application_type: z.enum(APPLICATION_TYPES).optional().describe('default `native` for a public client, else `web`'),
      require_dpop: z.boolean().optional().describe('token requests must carry a DPoP proof (RFC 9449). Default false'),
      require_mfa: z.boolean().optional().describe('every sign-in for the client takes a second factor (two-step verification). Default false'),
      issue_key: z.boolean().optional().describe('issue the first api-key now (default true); false for a client whose owner will issue its keys in the portal'),
    }),
    status: 201,
    response: ClientItem.extend({
      api_key: z.string().nullable().describe('the first api-key: shown in this answer only; null for a public client or with `issue_key: false`'),
      api_key_id: z.string().nullable(),
    }),
    problems: ['conflict'],
    async run({ body }, { app, operator }) {
      const { client, key } = await app.clients.create(
        {
          clientId: body.client_id,
          name: body.name,
          grantTypes: body.grant_types,
          redirectUris: body.redirect_uris,
          postLogoutRedirectUris: body.post_logout_redirect_uris,
          ...(body.scopes !== undefined ? { scopes: body.scopes } : {}),
          public: body.public,
          applicationType: body.application_type,
          requireDpop: body.require_dpop,
          requireMfa: body.require_mfa,
          issueKey: body.issue_key,
        },
        operator.actor,
      );
      return { ...(await present(app, client)), api_key: key?.api_key ?? null, api_key_id: key?.api_key_id ?? null };
    },
  }),
  operation({
    id: 'getClient',
    method: 'get',
    path: '/clients/{client_id}',
    tag: TAG,
    summary: 'A client',
    permission: 'clients:read',
    params: ClientParams,
    status: 200,
    response: ClientItem,
    problems: ['not-found'],
    async run({ params }, { app }) {
      return present(app, await app.clients.get(params.client_id));
    },
  }),
  operation({
    id: 'updateClient',
    method: 'patch',
    path: '/clients/{client_id}',
    tag: TAG,
    summary: "Change a client's name, grant types, redirect URIs, scopes or whether it requires two-step verification",
    description:
      'Members left out stay as they are; a list replaces the whole list. The client after the change is checked as a whole, as at registration. ' +
      "Propusk's console cannot be changed, nor an API's introspection client (but for its name) (409); `propusk.admin` follows the client's operator roles. " +
      'A change of `require_mfa` is audited as `client.require_mfa` (as `propusk admin client require-mfa`). ' +
      'Takes effect on every instance at once.',
    permission: 'clients:write',
    params: ClientParams,
    body: z.strictObject({
      name: z.string().optional(),
      grant_types: grantTypes.optional(),
      redirect_uris: uris('replaces the redirect URIs').optional(),
      post_logout_redirect_uris: uris('replaces the post-logout redirect URIs').optional(),
      scopes: scopes.optional(),
      require_mfa: z.boolean().optional().describe('every sign-in for the client takes a second factor (two-step verification)'),
    }),
    status: 200,
    response: ClientItem,
    problems: ['not-found', 'conflict'],
    async run({ params, body }, { app, operator }) {
      const current = await app.clients.get(params.client_id);
      const mfaChanged = body.require_mfa !== undefined && body.require_mfa !== (current.requireMfa === true);
      // Refused before anything changes: Propusk manages its own clients.
      if (mfaChanged && (await app.clients.kinds())(params.client_id) !== 'client') {
        throw new Problem('conflict', `client ${params.client_id} is managed by Propusk: its require_mfa cannot change`);
      }
      let client = await app.clients.update(
        params.client_id,
        { name: body.name, grantTypes: body.grant_types, redirectUris: body.redirect_uris, postLogoutRedirectUris: body.post_logout_redirect_uris, scopes: body.scopes },
        operator.actor,
      );
      if (mfaChanged) client = await app.clients.setRequireMfa(params.client_id, body.require_mfa!, operator.actor);
      return present(app, client);
    },
  }),
  operation({
    id: 'disableClient',
    method: 'post',
    path: '/clients/{client_id}/disable',
    tag: TAG,
    summary: 'Disable a client and revoke every grant and token issued to it',
    description: 'Refused at every endpoint on every instance within a second; enabling it again brings no token back.',
    permission: 'clients:write',
    params: ClientParams,
    status: 200,
    response: ClientItem.extend({ revoked: z.number().int().describe('grants, codes and tokens revoked') }),
    problems: ['not-found'],
    async run({ params }, { app, operator }) {
      const { client, revoked } = await app.clients.disable(params.client_id, operator.actor);
      return { ...(await present(app, client)), revoked };
    },
  }),
  operation({
    id: 'enableClient',
    method: 'post',
    path: '/clients/{client_id}/enable',
    tag: TAG,
    summary: 'Enable a disabled client',
    permission: 'clients:write',
    params: ClientParams,
    status: 200,
    response: ClientItem,
    problems: ['not-found'],
    async run({ params }, { app, operator }) {
      return present(app, await app.clients.enable(params.client_id, operator.actor));
    },
  }),
  operation({
    id: 'revokeClientTokens',
    method: 'post',
    path: '/clients/{client_id}/revoke-tokens',
    tag: TAG,
    summary: 'Revoke every grant, code and token issued to a client; the client stays usable',
    permission: 'clients:write',
    params: ClientParams,
    status: 200,
    response: z.object({ client_id: z.string(), revoked: z.number().int().describe('grants, codes and tokens revoked') }),
    problems: ['not-found'],
    async run({ params }, { app, operator }) {
      const { client, revoked } = await app.clients.revokeTokens(params.client_id, operator.actor);
      return { client_id: client.clientId, revoked };
    },
  }),
  operation({
    id: 'listClientKeys',
    method: 'get',
    path: '/clients/{client_id}/keys',
    tag: TAG,
    summary: "A client's api-keys, oldest first: metadata only, never a key",
    permission: 'clients:read',
    params: ClientParams,
    query: z.strictObject(paginationQuery),
    status: 200,
    response: pageOf(ApiKeyItem),
    problems: ['not-found'],
    async run({ params, query }, { app }) {
      await app.clients.get(params.client_id);
      const keys = await app.clients.listKeys(params.client_id);
      return pageInMemory(keys, query, { arity: 2, of: (k) => [k.createdAt.getTime(), k.id] }, (k) => ({
        api_key_id: k.id,
        label: k.label,
        created_at: k.createdAt.toISOString(),
        last_used_at: k.lastUsedAt?.toISOString() ?? null,
        revoked_at: k.revokedAt?.toISOString() ?? null,
      }));
    },
  }),
  operation({
    id: 'issueClientKey',
    method: 'post',
    path: '/clients/{client_id}/keys',
    tag: TAG,
    summary: 'Issue a new api-key (shown once); the older keys stay valid until revoked',
    permission: 'clients:write',
    params: ClientParams,
    body: z.strictObject({ label: z.string().optional().describe('a note to tell the key from the others (at most 200 characters)') }),
    status: 201,
    response: IssuedKey,
    problems: ['not-found'],
    async run({ params, body }, { app, operator }) {
      return app.clients.issueKey(params.client_id, body.label, operator.actor);
    },
  }),
  operation({
    id: 'revokeClientKey',
    method: 'delete',
    path: '/clients/{client_id}/keys/{key_id}',
    tag: TAG,
    summary: 'Revoke an api-key: token requests with it fail on every instance within a second',
    permission: 'clients:write',
    params: z.object({ client_id: z.string(), key_id: z.string() }),
    status: 204,
    problems: ['not-found'],
    async run({ params }, { app, operator }) {
      await app.clients.revokeKey(params.client_id, params.key_id, operator.actor);
    },
  }),
  operation({
    id: 'inviteClientOwner',
    method: 'post',
    path: '/clients/{client_id}/invitations',
    tag: TAG,
    summary: 'A one-time link with which an integrator becomes an owner of the client in the integrator portal',
    description: 'As `propusk admin client invite`. The link is in this answer only; send it to the integrator.',
    permission: 'clients:write',
    params: ClientParams,
    body: z.strictObject({
      email: z.string().optional().describe('only the account with this login (email) may accept it'),
      ttl: z.string().optional().describe('how long the link works: `30m`, `12h`, `7d` … (default 7d, at most 90d)'),
      allow_signup: z.boolean().optional().describe('the invitee may create a Propusk account on the invitation page'),
    }),
    status: 201,
    response: z.object({
      client_id: z.string(),
      invitation_id: z.string(),
      url: z.string().describe('the one-time link: shown in this answer only'),
      expires_at: z.iso.datetime(),
    }),
    problems: ['not-found'],
    async run({ params, body }, { app, operator }) {
      const { invitation, token } = await app.integrations.invite({
        clientId: params.client_id,
        email: body.email,
        ttlMs: body.ttl === undefined ? undefined : parseTtl(body.ttl),
        allowSignup: body.allow_signup,
        createdBy: operator.actor,
      });
      return { client_id: invitation.clientId, invitation_id: invitation.id, url: invitationUrl(app.config.issuer, token), expires_at: invitation.expiresAt.toISOString() };
    },
  }),
  permissionOperation(true),
  permissionOperation(false),
  operation({
    id: 'listPartnerKeys',
    method: 'get',
    path: '/clients/{client_id}/partner-keys',
    tag: TAG,
    summary: "The keys a partner signs trusted-grant JWTs with, oldest first",
    permission: 'clients:read',
    params: ClientParams,
    query: z.strictObject(paginationQuery),
    status: 200,
    response: pageOf(PartnerKeyItem),
    problems: ['not-found'],
    async run({ params, query }, { app }) {
      const keys = await app.partnerKeys.list(params.client_id);
      return pageInMemory(keys, query, { arity: 2, of: (k) => [k.createdAt.getTime(), k.id] }, partnerKeyItem);
    },
  }),
  operation({
    id: 'addPartnerKey',
    method: 'post',
    path: '/clients/{client_id}/partner-keys',
    tag: TAG,
    summary: 'Register a certificate or public key a partner signs trusted-grant JWTs with',
    description:
      'As `propusk admin partner add-key`: `key` is a PEM certificate, a PEM public key (SPKI), or a JWK or JWKS (as a JSON object or its text); RSA, at least 2048 bits, public parts only. ' +
      'A JWKS registers each of its keys. Accepted by the trusted grant on every instance within a second.',
    permission: 'clients:write',
    params: ClientParams,
    body: z.strictObject({
      key: z.union([z.string(), z.looseObject({})]).describe('PEM text, or a JWK or JWKS'),
      require_aud: z.boolean().optional().describe("also require `aud` in the partner's JWTs (as `partner require-aud`)"),
    }),
    status: 201,
    response: z.object({ client_id: z.string(), keys: z.array(PartnerKeyItem).describe('the keys registered'), partner_require_aud: z.boolean() }),
    problems: ['not-found', 'conflict'],
    async run({ params, body }, { app, operator }) {
      const input = typeof body.key === 'string' ? body.key : JSON.stringify(body.key);
      const added = await app.partnerKeys.add(params.client_id, input, operator.actor).catch(refusedKey);
      const client = body.require_aud === true ? await app.clients.setPartnerRequireAud(params.client_id, true, operator.actor) : await app.clients.get(params.client_id);
      return { client_id: client.clientId, keys: added.map(partnerKeyItem), partner_require_aud: client.partnerRequireAud === true };
    },
  }),
  operation({
    id: 'removePartnerKey',
    method: 'delete',
    path: '/clients/{client_id}/partner-keys/{key_id}',
    tag: TAG,
    summary: "Remove a partner key, by its key_id or its kid: JWTs signed with it are refused on every instance within a second",
    permission: 'clients:write',
    params: z.object({ client_id: z.string(), key_id: z.string().describe('the key_id or the kid') }),
    status: 204,
    problems: ['not-found'],
    async run({ params }, { app, operator }) {
      await app.partnerKeys.remove(params.client_id, params.key_id, operator.actor);
    },
  }),
];
