/** `user disable` / `user enable`: a disabled account cannot sign in and its tokens stop working. */
import type { AdminCommand } from '../command.ts';
import { publicAccount } from './user-list.ts';

const make = (disabled: boolean): AdminCommand => ({
  name: disabled ? 'user disable' : 'user enable',
  summary: disabled ? 'disable an account (it can no longer sign in)' : 'enable a disabled account',
  usage: `user ${disabled ? 'disable' : 'enable'} <login or account id> [--json]`,
  options: {},
  positionals: ['user'],
  async run(ctx, { positionals }) {
    const account = await ctx.accounts.setDisabled(positionals[0]!, disabled);
    await ctx.audit.record({ type: disabled ? 'account.disabled' : 'account.enabled', actor: 'admin-cli', accountId: account.id });
    return publicAccount(account);
  },
  format: (r) => `${disabled ? 'disabled' : 'enabled'} account ${(r as { login: string }).login}\n`,
});

export const userDisable = make(true);
export const userEnable = make(false);
