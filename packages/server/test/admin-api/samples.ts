/**
 * One valid request per operation of the management API, for the role × endpoint matrix. Each
 * sample makes the fixtures it needs (a fresh user, client, link…) through the services, so it can
 * run for every role in turn; `unique` keeps names apart.
 */
import type { AppContext } from '../../src/context.ts';
import { createUser } from '../support/fixtures.ts';
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

export const SAMPLES: Record<string, Sample> = {
  listUsers: async () => ({ path: '/users?query=example&limit=3' }),
  createUser: async ({ unique }) => ({ path: '/users', body: { login: `sample.${unique}@example.com`, given_name: 'Sample' } }),
  getUser: async ({ ctx }) => ({ path: `/users/${await userId(ctx)}` }),
  updateUser: async ({ ctx }) => ({ path: `/users/${await userId(ctx)}`, body: { family_name: 'Changed' } }),
  disableUser: async ({ ctx }) => ({ path: `/users/${await userId(ctx)}/disable` }),
  enableUser: async ({ ctx }) => ({ path: `/users/${await userId(ctx)}/enable` }),
  revokeUserTokens: async ({ ctx }) => ({ path: `/users/${await userId(ctx)}/revoke-tokens` }),
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
  listSigningKeys: async () => ({ path: '/signing-keys' }),
  rotateSigningKey: async () => ({ path: '/signing-keys/rotate' }),
  listAuditEvents: async () => ({ path: '/audit?type=client.&limit=5' }),
  exportAuditEvents: async () => ({ path: '/audit/export?since=2030-01-01T00:00:00Z' }),
};
