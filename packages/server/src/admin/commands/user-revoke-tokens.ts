/** `user revoke-tokens`: every session, grant, code and token of an account stops working at once; the account itself stays usable. */
import type { AdminCommand } from '../command.ts';

export const userRevokeTokens: AdminCommand = {
  name: 'user revoke-tokens',
  summary: "revoke every session, grant and token of an account (it can sign in again)",
  usage: 'user revoke-tokens <login or account id> [--json]',
  options: {},
  positionals: ['user'],
  async run(ctx, { positionals }) {
    const account = await ctx.accounts.resolve(positionals[0]!);
    const revoked = await ctx.revocation.revokeAccount(account.id, { actor: 'admin-cli', reason: 'operator' });
    return { account_id: account.id, login: account.login, revoked };
  },
  format: (r) => {
    const { login, revoked } = r as { login: string; revoked: number };
    return `revoked ${revoked} session(s), grant(s) and token(s) of ${login}\n`;
  },
};
