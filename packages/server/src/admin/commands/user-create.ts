/** `user create`: a new account with an argon2id password hash. */
import { type AdminCommand, UsageError, optionalString, readStdin, requireString } from '../command.ts';
import { publicAccount } from './user-list.ts';

export const userCreate: AdminCommand = {
  name: 'user create',
  summary: 'create an account',
  usage: 'user create --login <email> (--password <pw> | --password-stdin) [--phone <10 digits>] [--given-name ..] [--family-name ..] [--middle-name ..] [--json]',
  options: {
    login: { type: 'string' },
    password: { type: 'string' },
    'password-stdin': { type: 'boolean' },
    phone: { type: 'string' },
    'given-name': { type: 'string' },
    'family-name': { type: 'string' },
    'middle-name': { type: 'string' },
    'email-verified': { type: 'boolean' },
  },
  async run(ctx, { values }, io) {
    const login = requireString(values, 'login', this.usage);
    if (values.password !== undefined && values['password-stdin']) throw new UsageError('use either --password or --password-stdin');
    const password = values['password-stdin'] ? await readStdin(io.stdin) : requireString(values, 'password', this.usage);
    const account = await ctx.accounts.create({
      login,
      password,
      phone: optionalString(values, 'phone'),
      givenName: optionalString(values, 'given-name'),
      familyName: optionalString(values, 'family-name'),
      middleName: optionalString(values, 'middle-name'),
      emailVerified: values['email-verified'] === true,
    });
    await ctx.audit.record({ type: 'account.created', actor: 'admin-cli', accountId: account.id });
    return publicAccount(account);
  },
  format: (r) => `created account ${(r as { id: string }).id} (${(r as { login: string }).login})\n`,
};
