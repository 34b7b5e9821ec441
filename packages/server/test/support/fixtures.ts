/** Test data created through the services (setup only; behaviour is asserted through HTTP and the CLI). */
import { randomBytes } from 'node:crypto';
import type { AppContext } from '../../src/context.ts';
import type { CreateClientInput } from '../../src/clients/service.ts';

export async function createClient(ctx: AppContext, input: Partial<CreateClientInput> & { clientId: string }) {
  const { key } = await ctx.clients.create({ name: input.clientId, grantTypes: ['client_credentials'], scopes: ['extern.api'], ...input }, null);
  return { clientId: input.clientId, apiKey: key?.api_key ?? '', apiKeyId: key?.api_key_id ?? '' };
}

/** Introspection credentials of an API resource (by scope). */
export async function resourceCredentials(ctx: AppContext, scope: string) {
  const key = await ctx.clients.issueKey(`rs.${scope}`, undefined, null);
  return { clientId: key.client_id, secret: key.api_key };
}

export async function createUser(ctx: AppContext, overrides: { login?: string; password?: string; phone?: string } = {}) {
  const password = overrides.password ?? `pw-${randomBytes(8).toString('hex')}`;
  const account = await ctx.accounts.create({
    login: overrides.login ?? `user-${randomBytes(4).toString('hex')}@example.com`,
    password,
    phone: overrides.phone,
    givenName: 'Иван',
    familyName: 'Петров',
    middleName: 'Сергеевич',
    emailVerified: true,
  }, null);
  return { account, password };
}
