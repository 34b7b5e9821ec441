/** `user set-password`: replaces an account's password. */
import { type AdminCommand, UsageError, readStdin, requireString } from '../command.ts';
import { publicAccount } from './user-list.ts';

export const userSetPassword: AdminCommand = {
  name: 'user set-password',
  summary: "set an account's password",
  usage: 'user set-password <login or account id> (--password <pw> | --password-stdin) [--json]',
  options: { password: { type: 'string' }, 'password-stdin': { type: 'boolean' } },
  positionals: ['user'],
  async run(ctx, { values, positionals }, io) {
    if (values.password !== undefined && values['password-stdin']) throw new UsageError('use either --password or --password-stdin');
    const password = values['password-stdin'] ? await readStdin(io.stdin) : requireString(values, 'password', this.usage);
    const account = await ctx.accounts.setPassword(positionals[0]!, password);
    await ctx.audit.record({ type: 'account.password_set', actor: 'admin-cli', accountId: account.id });
    return publicAccount(account);
  },
  format: (r) => `password set for ${(r as { login: string }).login}\n`,
};
