/**
 * `user update <login>`: names, phone (normalised, unique among accounts) and `email_verified` of an
 * account, through AccountService.update — audited as `account.updated` with the fields that
 * changed. `--no-<field>` clears a name or the phone; `--no-email-verified` marks the address unverified.
 */
import { command, UsageError, optionalString } from '../command.ts';
import type { AccountChanges } from '../../accounts/service.ts';
import { publicAccount, USER_ARGUMENT } from './user-list.ts';

const NAMES = { 'given-name': 'givenName', 'family-name': 'familyName', 'middle-name': 'middleName' } as const;

export const userUpdate = command({
  name: 'user update',
  summary: "change an account's names, phone number or e-mail verification",
  usage:
    'user update <login or account id> [--given-name <name> | --no-given-name] [--family-name <name> | --no-family-name] [--middle-name <name> | --no-middle-name] [--phone <number> | --no-phone] [--email-verified | --no-email-verified] [--json]',
  examples: ['user update ivan@example.ru --given-name Иван --family-name Петров', 'user update ivan@example.ru --phone 9123456789 --email-verified', 'user update ivan@example.ru --no-phone --no-email-verified'],
  options: {
    'given-name': { type: 'string', description: 'the new given name' },
    'no-given-name': { type: 'boolean', description: 'remove the given name' },
    'family-name': { type: 'string', description: 'the new family name' },
    'no-family-name': { type: 'boolean', description: 'remove the family name' },
    'middle-name': { type: 'string', description: 'the new middle name' },
    'no-middle-name': { type: 'boolean', description: 'remove the middle name' },
    phone: { type: 'string', description: 'the new phone number, in any usual form (+7 912 345-67-89, 8 912 …, 10 digits); unique among accounts' },
    'no-phone': { type: 'boolean', description: 'remove the phone number' },
    'email-verified': { type: 'boolean', description: "the e-mail address is known to be the person's (`email_verified` in ID tokens)" },
    'no-email-verified': { type: 'boolean', description: 'the e-mail address is not verified' },
  },
  positionals: [USER_ARGUMENT],
  async run(ctx, { positionals, values }) {
    const changes: AccountChanges = {};
    for (const [flag, field] of Object.entries(NAMES)) {
      const value = optionalString(values, flag);
      if (value !== undefined && values[`no-${flag}`]) throw new UsageError(`use either --${flag} or --no-${flag}`);
      if (value !== undefined) changes[field] = value;
      else if (values[`no-${flag}`]) changes[field] = null;
    }
    const phone = optionalString(values, 'phone');
    if (phone !== undefined && values['no-phone']) throw new UsageError('use either --phone or --no-phone');
    if (phone !== undefined) changes.phone = phone;
    else if (values['no-phone']) changes.phone = null;
    if (values['email-verified'] && values['no-email-verified']) throw new UsageError('use either --email-verified or --no-email-verified');
    if (values['email-verified']) changes.emailVerified = true;
    else if (values['no-email-verified']) changes.emailVerified = false;
    if (Object.keys(changes).length === 0) throw new UsageError(`nothing to change: give at least one flag (propusk admin user update --help lists them)`);
    return publicAccount(await ctx.accounts.update(positionals[0]!, changes, 'admin-cli'));
  },
  format: (a) =>
    `updated account ${a.login}: ${[a.given_name, a.middle_name, a.family_name].filter(Boolean).join(' ') || '(no name)'}, phone ${a.phone ?? '(none)'}, e-mail ${a.email_verified ? 'verified' : 'not verified'}\n`,
});
