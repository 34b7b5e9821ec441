/**
 * `user set-password`: replaces an account's password and revokes every session, grant and token
 * of the account, so nothing signed in with the old password keeps working (AccountService.setPassword;
 * docs/api-documentation.md, "Tokens").
 */
import { command, UsageError, readStdin, requireString } from '../command.ts';
import { publicAccount, USER_ARGUMENT } from './user-list.ts';

export const userSetPassword = command({
  name: 'user set-password',
  summary: "set an account's password and revoke its sessions, grants and tokens",
  usage: 'user set-password <login or account id> (--password <pw> | --password-stdin) [--json]',
  examples: ["user set-password ivan@example.ru --password-stdin"],
  options: {
    password: { type: 'string', description: 'the new password (at least 10 characters); prefer --password-stdin' },
    'password-stdin': { type: 'boolean', description: 'read the new password from standard input' },
  },
  positionals: [USER_ARGUMENT],
  async run(ctx, { values, positionals }, io) {
    if (values.password !== undefined && values['password-stdin']) throw new UsageError('use either --password or --password-stdin');
    const password = values['password-stdin'] ? await readStdin(io.stdin) : requireString(values, 'password', this.usage);
    const { account, revoked } = await ctx.accounts.setPassword(positionals[0]!, password, 'admin-cli');
    return { ...publicAccount(account), revoked };
  },
  format: ({ login, revoked }) => `password set for ${login}; revoked ${revoked} session(s), grant(s) and token(s) of the account\n`,
});
