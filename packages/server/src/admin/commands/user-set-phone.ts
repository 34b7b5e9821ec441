/**
 * `user set-phone <login> (--phone <10 digits> | --clear)`: gives an account another phone number
 * (normalised; refused when another account has it), or none. How an operator resolves accounts
 * that share a phone from before phones were unique.
 */
import { command, UsageError, optionalString } from '../command.ts';
import { publicAccount, USER_ARGUMENT } from './user-list.ts';

export const userSetPhone = command({
  name: 'user set-phone',
  summary: "set or clear an account's phone number (10 digits without country code; unique among accounts)",
  usage: 'user set-phone <login or account id> (--phone <10 digits> | --clear) [--json]',
  examples: ["user set-phone ivan@example.ru --phone '+7 912 345-67-89'", "user set-phone ivan@example.ru --clear"],
  options: {
    phone: { type: 'string', description: 'the new phone number: 10 digits without country code' },
    clear: { type: 'boolean', description: 'remove the phone number' },
  },
  positionals: [USER_ARGUMENT],
  async run(ctx, { positionals, values }) {
    const phone = optionalString(values, 'phone');
    const clear = values.clear === true;
    if ((phone === undefined) === !clear) throw new UsageError('give exactly one of --phone <10 digits> or --clear');
    return publicAccount(await ctx.accounts.setPhone(positionals[0]!, clear ? null : phone!, 'admin-cli'));
  },
  format: ({ login, phone }) => (phone ? `account ${login} now has phone ${phone}\n` : `account ${login} has no phone now\n`),
});
