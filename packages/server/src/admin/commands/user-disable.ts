/**
 * `user disable` / `user enable`: a disabled account cannot sign in, and disabling also revokes
 * every session, grant and token it holds (they stop working at once, not at their expiry).
 */
import type { AdminCommand } from '../command.ts';
import { publicAccount } from './user-list.ts';

const make = (disabled: boolean): AdminCommand => ({
  name: disabled ? 'user disable' : 'user enable',
  summary: disabled ? 'disable an account: it can no longer sign in, and its sessions, grants and tokens are revoked' : 'enable a disabled account',
  usage: `user ${disabled ? 'disable' : 'enable'} <login or account id> [--json]`,
  options: {},
  positionals: ['user'],
  async run(ctx, { positionals }) {
    const account = await ctx.accounts.setDisabled(positionals[0]!, disabled);
    await ctx.audit.record({ type: disabled ? 'account.disabled' : 'account.enabled', actor: 'admin-cli', accountId: account.id });
    if (!disabled) return publicAccount(account);
    const revoked = await ctx.revocation.revokeAccount(account.id, { actor: 'admin-cli', reason: 'account_disabled' });
    return { ...publicAccount(account), revoked };
  },
  format: (r) => {
    const { login, revoked } = r as { login: string; revoked?: number };
    return disabled ? `disabled account ${login}; revoked ${revoked ?? 0} session(s), grant(s) and token(s)\n` : `enabled account ${login}\n`;
  },
});

export const userDisable = make(true);
export const userEnable = make(false);
