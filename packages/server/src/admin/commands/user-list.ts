/** `user list`: accounts, without password hashes. */
import { command, table, type CommandArgument } from '../command.ts';
import type { Account } from '../../accounts/types.ts';

export function publicAccount(a: Account) {
  return {
    id: a.id,
    login: a.login,
    phone: a.phone,
    given_name: a.givenName,
    family_name: a.familyName,
    middle_name: a.middleName,
    email_verified: a.emailVerified,
    disabled: a.disabled,
    created_at: a.createdAt.toISOString(),
  };
}

/** The `<user>` argument of the user commands. */
export const USER_ARGUMENT: CommandArgument = { name: 'user', description: 'the account: its login (email) or its id' };

export const userList = command({
  name: 'user list',
  summary: 'list accounts',
  usage: 'user list [--limit N] [--offset N] [--json]',
  options: {
    limit: { type: 'string', description: 'how many accounts at most (default 1000)' },
    offset: { type: 'string', description: 'how many to skip first (default 0)' },
  },
  async run(ctx, { values }) {
    const limit = values.limit === undefined ? 1000 : Number(values.limit);
    const offset = values.offset === undefined ? 0 : Number(values.offset);
    if (!Number.isInteger(limit) || limit < 1 || !Number.isInteger(offset) || offset < 0) throw new Error('--limit and --offset must be non-negative integers');
    return (await ctx.accounts.list({ limit, offset })).map(publicAccount);
  },
  format: (accounts) => table(accounts, ['id', 'login', 'phone', 'disabled', 'created_at']),
});
