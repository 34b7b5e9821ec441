/**
 * One valid request per operation of the management API, for the role × endpoint matrix. Each
 * sample makes the fixtures it needs (a fresh user, client, link…) through the services, so it can
 * run for every role in turn; `unique` keeps names apart.
 */
import { generateKeyPairSync } from 'node:crypto';
import type { AppContext } from '../../src/context.ts';
import { createClient } from '../support/fixtures.ts';

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
};
