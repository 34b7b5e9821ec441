/**
 * One valid request per operation of the management API, for the role × endpoint matrix. Each
 * sample makes the fixtures it needs (a fresh user, client, link…) through the services, so it can
 * run for every role in turn; `unique` keeps names apart.
 */
import type { AppContext } from '../../src/context.ts';
import { createUser } from '../support/fixtures.ts';

export interface SampleContext {
  ctx: AppContext;
  url: string;
  unique: string;
}

export type Sample = (s: SampleContext) => Promise<{ path: string; body?: unknown }>;

export const SAMPLES: Record<string, Sample> = {
  issuePasswordLink: async ({ ctx }) => ({ path: `/users/${(await createUser(ctx)).account.id}/password-link` }),
  listLinkPartners: async () => ({ path: '/links/partners' }),
  listSigningKeys: async () => ({ path: '/signing-keys' }),
  rotateSigningKey: async () => ({ path: '/signing-keys/rotate' }),
  listAuditEvents: async () => ({ path: '/audit?type=client.&limit=5' }),
  exportAuditEvents: async () => ({ path: '/audit/export?since=2030-01-01T00:00:00Z' }),
};
