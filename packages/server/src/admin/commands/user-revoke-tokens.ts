/** `user revoke-tokens`: every session, grant, code and token of an account stops working at once; the account itself stays usable. */
import { command } from '../command.ts';
import { USER_ARGUMENT } from './user-list.ts';

export const userRevokeTokens = command({
  name: 'user revoke-tokens',
  summary: 'revoke every session, grant and token of an account (it can sign in again)',
  usage: 'user revoke-tokens <login or account id> [--json]',
  examples: ["user revoke-tokens ivan@example.ru"],
  options: {},
  positionals: [USER_ARGUMENT],
  async run(ctx, { positionals }) {
    const { account, revoked } = await ctx.accounts.revokeTokens(positionals[0]!, 'admin-cli');
    return { account_id: account.id, login: account.login, revoked };
  },
  format: ({ login, revoked }) => `revoked ${revoked} session(s), grant(s) and token(s) of ${login}\n`,
});
