/** `user list`: accounts, without password hashes, with the second factors each has. */
import { command, table, type CommandArgument } from '../command.ts';
import type { Account } from '../../accounts/types.ts';
import { factorNames, type FactorSummary } from '../../mfa/types.ts';
import { factorSummaryOf, publicFactors } from '../../mfa/public-view.ts';

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

/** How many accounts one summaries() query covers (a database bounds the parameters of a statement). */
const SUMMARY_BATCH = 1000;

/** The `<user>` argument of the user commands. */
export const USER_ARGUMENT: CommandArgument = { name: 'user', description: 'the account: its login (email) or its id' };

export const userList = command({
  name: 'user list',
  summary: 'list accounts, with the second factors each has',
  usage: 'user list [--limit N] [--offset N] [--json]',
  examples: ["user list --limit 20", "user list --offset 100 --json"],
  options: {
    limit: { type: 'string', description: 'how many accounts at most (default 1000)' },
    offset: { type: 'string', description: 'how many to skip first (default 0)' },
  },
  async run(ctx, { values }) {
    const limit = values.limit === undefined ? 1000 : Number(values.limit);
    const offset = values.offset === undefined ? 0 : Number(values.offset);
    if (!Number.isInteger(limit) || limit < 1 || !Number.isInteger(offset) || offset < 0) throw new Error('--limit and --offset must be non-negative integers');
    const accounts = await ctx.accounts.list({ limit, offset });
    // One query per batch of accounts (one for the default --limit), not one per account.
    const factors = new Map<string, FactorSummary>();
    for (let i = 0; i < accounts.length; i += SUMMARY_BATCH) {
      for (const [id, s] of await ctx.secondFactors.summaries(accounts.slice(i, i + SUMMARY_BATCH).map((a) => a.id))) factors.set(id, s);
    }
    return accounts.map((a) => ({ ...publicAccount(a), factors: publicFactors(factors.get(a.id)) }));
  },
  format: (accounts) =>
    table(
      accounts.map((a) => {
        const names = factorNames(factorSummaryOf(a.factors));
        return { ...a, '2FA': names.length ? names.join(', ') : '-' };
      }),
      ['id', 'login', 'phone', 'disabled', '2FA', 'created_at'],
    ),
});
