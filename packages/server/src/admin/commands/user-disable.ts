/**
 * `user disable` / `user enable`: a disabled account cannot sign in, and disabling also revokes
 * every session, grant and token it holds (they stop working at once, not at their expiry;
 * AccountService.disable).
 */
import { command } from '../command.ts';
import { publicAccount, USER_ARGUMENT } from './user-list.ts';

export const userDisable = command({
  name: 'user disable',
  summary: 'disable an account: it can no longer sign in, and its sessions, grants and tokens are revoked',
  usage: 'user disable <login or account id> [--json]',
  examples: ["user disable ivan@example.ru"],
  options: {},
  positionals: [USER_ARGUMENT],
  async run(ctx, { positionals }) {
    const { account, revoked } = await ctx.accounts.disable(positionals[0]!, 'admin-cli');
    return { ...publicAccount(account), revoked };
  },
  format: ({ login, revoked }) => `disabled account ${login}; revoked ${revoked} session(s), grant(s) and token(s)\n`,
});

export const userEnable = command({
  name: 'user enable',
  summary: 'enable a disabled account',
  usage: 'user enable <login or account id> [--json]',
  examples: ["user enable ivan@example.ru"],
  options: {},
  positionals: [USER_ARGUMENT],
  async run(ctx, { positionals }) {
    return publicAccount(await ctx.accounts.enable(positionals[0]!, 'admin-cli'));
  },
  format: ({ login }) => `enabled account ${login}\n`,
});
