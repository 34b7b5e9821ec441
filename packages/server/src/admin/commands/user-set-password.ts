/**
 * `user set-password`: replaces an account's password and revokes every session, grant and token
 * of the account, so nothing signed in with the old password keeps working (docs/api-documentation.md, "Tokens").
 */
import { type AdminCommand, UsageError, readStdin, requireString } from '../command.ts';
import { publicAccount } from './user-list.ts';

export const userSetPassword: AdminCommand = {
  name: 'user set-password',
  summary: "set an account's password and revoke its sessions, grants and tokens",
  usage: 'user set-password <login or account id> (--password <pw> | --password-stdin) [--json]',
  options: { password: { type: 'string' }, 'password-stdin': { type: 'boolean' } },
  positionals: ['user'],
  async run(ctx, { values, positionals }, io) {
    if (values.password !== undefined && values['password-stdin']) throw new UsageError('use either --password or --password-stdin');
    const password = values['password-stdin'] ? await readStdin(io.stdin) : requireString(values, 'password', this.usage);
    const account = await ctx.accounts.setPassword(positionals[0]!, password);
    await ctx.audit.record({ type: 'account.password_set', actor: 'admin-cli', accountId: account.id });
    const revoked = await ctx.revocation.revokeAccount(account.id, { actor: 'admin-cli', reason: 'password_set' });
    return { ...publicAccount(account), revoked };
  },
  format: (r) => {
    const { login, revoked } = r as { login: string; revoked: number };
    return `password set for ${login}; revoked ${revoked} session(s), grant(s) and token(s) of the account\n`;
  },
};
