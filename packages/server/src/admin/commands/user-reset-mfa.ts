/**
 * `user reset-mfa`: removes every second factor of an account — its authenticator app, passkeys and
 * recovery codes — for a person who lost them (SecondFactorService.reset). Every session, grant and
 * token of the account is revoked too; the person signs in with the password and, where a second
 * factor is required, enrols a new one. Audited as `mfa.reset`.
 */
import { command } from '../command.ts';
import { factorNames } from '../../mfa/types.ts';
import { factorSummaryOf, publicFactors } from '../../mfa/public-view.ts';
import { publicAccount, USER_ARGUMENT } from './user-list.ts';

export const userResetMfa = command({
  name: 'user reset-mfa',
  summary: 'remove every second factor of an account (authenticator app, passkeys, recovery codes) and revoke its sessions and tokens',
  usage: 'user reset-mfa <login or account id> [--json]',
  examples: ["user reset-mfa ivan@example.ru"],
  options: {},
  positionals: [USER_ARGUMENT],
  async run(ctx, { positionals }) {
    const account = await ctx.accounts.resolve(positionals[0]!);
    const before = await ctx.secondFactors.summary(account.id);
    await ctx.secondFactors.reset(account.id, 'admin-cli');
    return { ...publicAccount(account), removed: publicFactors(before) };
  },
  format: ({ login, removed }) => {
    const names = factorNames(factorSummaryOf(removed));
    return `reset two-step verification of ${login}: ${names.length ? `removed ${names.join(', ')}` : 'it had no second factor'}; revoked its sessions, grants and tokens\n`;
  },
});
