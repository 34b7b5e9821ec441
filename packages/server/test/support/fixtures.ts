/** Test data created through the services (setup only; behaviour is asserted through HTTP and the CLI). */
import { randomBytes } from 'node:crypto';
import * as OTPAuth from 'otpauth';
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

/**
 * Sets up an authenticator app for the account, as its holder would (a secret, then a code of it),
 * which also gives it its first recovery codes; answers the secret.
 */
export async function enrolTotp(ctx: AppContext, account: { id: string; login: string }): Promise<string> {
  const begun = await ctx.secondFactors.beginTotp(account);
  if (!begun) throw new Error(`${account.login} already has an authenticator app`);
  const code = new OTPAuth.TOTP({ algorithm: 'SHA1', digits: 6, period: 30, secret: OTPAuth.Secret.fromBase32(begun.secret) }).generate();
  const confirmed = await ctx.secondFactors.confirmTotp(account, code, { actor: 'admin-cli' });
  if (!confirmed.ok) throw new Error(`enrolling an authenticator app for ${account.login}: ${confirmed.reason}`);
  return begun.secret;
}
