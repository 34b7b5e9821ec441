/** `link create`: support links a partner's user (the trusted JWT's `sub`) to an account by hand. Repeating it is harmless. */
import { command, requireString } from '../command.ts';
import { publicLink } from './link-list.ts';

export const linkCreate = command({
  name: 'link create',
  summary: "link a partner's user id to an account",
  usage: 'link create --client-id <id> --service-user-id <partner user id> --user <login or account id> [--json]',
  examples: ["link create --client-id partner.crm --service-user-id 73151 --user ivan@example.ru"],
  options: {
    'client-id': { type: 'string', description: 'the partner client (required)' },
    'service-user-id': { type: 'string', description: "the partner's user id, the trusted JWT's `sub` (required)" },
    user: { type: 'string', description: 'the account: its login or id (required)' },
  },
  async run(ctx, { values }) {
    const clientId = requireString(values, 'client-id', this.usage);
    const serviceUserId = requireString(values, 'service-user-id', this.usage);
    const account = await ctx.accounts.resolve(requireString(values, 'user', this.usage));
    const { outcome, link } = await ctx.links.createBySupport(clientId, serviceUserId, account.id, 'admin-cli');
    return { ...publicLink(link), created: outcome === 'created' };
  },
  format: (l) => `${l.created ? 'linked' : 'already linked:'} ${l.client_id} user ${l.service_user_id} → account ${l.account_id}\n`,
});
