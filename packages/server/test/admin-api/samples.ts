/**
 * One valid request per operation of the management API, for the role × endpoint matrix. Each
 * sample makes the fixtures it needs (a fresh user, client, link…) through the services, so it can
 * run for every role in turn; `unique` keeps names apart.
 */
import { generateKeyPairSync } from 'node:crypto';
import type { AppContext } from '../../src/context.ts';
import { createClient, createUser, enrolTotp } from '../support/fixtures.ts';
import { createPartner } from '../trusted/support.ts';

/** A partner client with a key, made once per server. */
const partners = new WeakMap<AppContext, Promise<string>>();
const partnerOf = (ctx: AppContext): Promise<string> => {
  let p = partners.get(ctx);
  if (!p) partners.set(ctx, (p = createPartner(ctx, 'samples.partner').then((x) => x.clientId)));
  return p;
};
const userId = async (ctx: AppContext) => (await createUser(ctx)).account.id;

export interface SampleContext {
  ctx: AppContext;
  url: string;
  unique: string;
}

export type Sample = (s: SampleContext) => Promise<{ path: string; body?: unknown }>;

/** A fresh confidential client (client_credentials, extern.api) and its first key. */
const fixtureClient = (s: SampleContext) => createClient(s.ctx, { clientId: `sample.${s.unique}` });

/** The public JWK of a fresh RSA key. */
export const publicJwk = () => generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ format: 'jwk' });

export const SAMPLES: Record<string, Sample> = {
  listUsers: async () => ({ path: '/users?query=example&limit=3' }),
  createUser: async ({ unique }) => ({ path: '/users', body: { login: `sample.${unique}@example.com`, given_name: 'Sample' } }),
  getUser: async ({ ctx }) => ({ path: `/users/${await userId(ctx)}` }),
  updateUser: async ({ ctx }) => ({ path: `/users/${await userId(ctx)}`, body: { family_name: 'Changed' } }),
  disableUser: async ({ ctx }) => ({ path: `/users/${await userId(ctx)}/disable` }),
  enableUser: async ({ ctx }) => ({ path: `/users/${await userId(ctx)}/enable` }),
  revokeUserTokens: async ({ ctx }) => ({ path: `/users/${await userId(ctx)}/revoke-tokens` }),
  resetUserMfa: async ({ ctx }) => {
    const { account } = await createUser(ctx);
    // Factors to remove, so that a refused reset would show in the domain tables had it removed anything.
    await enrolTotp(ctx, account);
    return { path: `/users/${account.id}/mfa/reset` };
  },
  listUserApplications: async ({ ctx }) => ({ path: `/users/${await userId(ctx)}/applications` }),
  listUserLinks: async ({ ctx }) => ({ path: `/users/${await userId(ctx)}/links` }),
  listUserEvents: async ({ ctx }) => ({ path: `/users/${await userId(ctx)}/events` }),
  listLinks: async () => ({ path: '/links?limit=5' }),
  createLink: async ({ ctx, unique }) => ({ path: '/links', body: { client_id: await partnerOf(ctx), service_user_id: `sample-${unique}`, user: await userId(ctx) } }),
  removeLink: async ({ ctx, unique }) => {
    const clientId = await partnerOf(ctx);
    await ctx.links.createBySupport(clientId, `gone-${unique}`, await userId(ctx), null);
    return { path: `/links/${clientId}/gone-${unique}` };
  },
  issuePasswordLink: async ({ ctx }) => ({ path: `/users/${(await createUser(ctx)).account.id}/password-link` }),
  listLinkPartners: async () => ({ path: '/links/partners' }),
  listClients: async () => ({ path: '/clients' }),
  createClient: async (s) => ({ path: '/clients', body: { client_id: `new.${s.unique}`, name: 'Sample', grant_types: ['client_credentials'], scopes: ['extern.api'] } }),
  getClient: async (s) => ({ path: `/clients/${(await fixtureClient(s)).clientId}` }),
  updateClient: async (s) => ({ path: `/clients/${(await fixtureClient(s)).clientId}`, body: { name: 'Renamed' } }),
  disableClient: async (s) => ({ path: `/clients/${(await fixtureClient(s)).clientId}/disable` }),
  enableClient: async (s) => ({ path: `/clients/${(await fixtureClient(s)).clientId}/enable` }),
  revokeClientTokens: async (s) => ({ path: `/clients/${(await fixtureClient(s)).clientId}/revoke-tokens` }),
  listClientKeys: async (s) => ({ path: `/clients/${(await fixtureClient(s)).clientId}/keys` }),
  issueClientKey: async (s) => ({ path: `/clients/${(await fixtureClient(s)).clientId}/keys`, body: { label: 'sample' } }),
  revokeClientKey: async (s) => {
    const client = await fixtureClient(s);
    return { path: `/clients/${client.clientId}/keys/${client.apiKeyId}` };
  },
  inviteClientOwner: async (s) => ({ path: `/clients/${(await fixtureClient(s)).clientId}/invitations`, body: {} }),
  grantClientPermission: async (s) => ({ path: `/clients/${(await fixtureClient(s)).clientId}/permissions/trusted` }),
  revokeClientPermission: async (s) => ({ path: `/clients/${(await fixtureClient(s)).clientId}/permissions/trusted` }),
  listPartnerKeys: async (s) => ({ path: `/clients/${(await fixtureClient(s)).clientId}/partner-keys` }),
  addPartnerKey: async (s) => ({ path: `/clients/${(await fixtureClient(s)).clientId}/partner-keys`, body: { key: publicJwk() } }),
  removePartnerKey: async (s) => {
    const client = await fixtureClient(s);
    const [key] = await s.ctx.partnerKeys.add(client.clientId, JSON.stringify(publicJwk()), null);
    return { path: `/clients/${client.clientId}/partner-keys/${key!.id}` };
  },
  listResources: async () => ({ path: '/resources' }),
  createResource: async (s) => ({ path: '/resources', body: { scope: `sample.${s.unique}`, name: 'Sample API' } }),
  listSigningKeys: async () => ({ path: '/signing-keys' }),
  rotateSigningKey: async () => ({ path: '/signing-keys/rotate' }),
  listAuditEvents: async () => ({ path: '/audit?type=client.&limit=5' }),
  exportAuditEvents: async () => ({ path: '/audit/export?since=2030-01-01T00:00:00Z' }),
};
