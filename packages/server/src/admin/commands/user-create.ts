/** `user create`: a new account with an argon2id password hash. */
import { command, UsageError, optionalString, readStdin, requireString } from '../command.ts';
import { publicAccount } from './user-list.ts';

export const userCreate = command({
  name: 'user create',
  summary: 'create an account',
  usage: 'user create --login <email> (--password <pw> | --password-stdin) [--phone <10 digits>] [--given-name ..] [--family-name ..] [--middle-name ..] [--email-verified] [--json]',
  examples: ["user create --login ivan@example.ru --password-stdin --phone 9123456789 --given-name Иван --family-name Петров --email-verified"],
  options: {
    login: { type: 'string', description: 'the email address the person signs in with (required)' },
    password: { type: 'string', description: 'the password (at least 10 characters); prefer --password-stdin, which keeps it out of the shell history' },
    'password-stdin': { type: 'boolean', description: 'read the password from standard input' },
    phone: { type: 'string', description: '10 digits without country code; unique among accounts' },
    'given-name': { type: 'string', description: 'given name' },
    'family-name': { type: 'string', description: 'family name' },
    'middle-name': { type: 'string', description: 'middle name' },
    'email-verified': { type: 'boolean', description: 'the email address is known to be the person\'s (`email_verified` in ID tokens)' },
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
    }, 'admin-cli');
    return publicAccount(account);
  },
  format: ({ id, login }) => `created account ${id} (${login})\n`,
});
