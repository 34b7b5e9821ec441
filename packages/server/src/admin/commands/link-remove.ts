/** `link remove`: the partner can no longer sign this user in with the trusted grant (tokens already issued stay valid until revoked). */
import { command, requireString } from '../command.ts';
import { publicLink } from './link-list.ts';

export const linkRemove = command({
  name: 'link remove',
  summary: "remove the link of a partner's user id",
  usage: 'link remove --client-id <id> --service-user-id <partner user id> [--json]',
  examples: ["link remove --client-id partner.crm --service-user-id 73151"],
  options: {
    'client-id': { type: 'string', description: 'the partner client (required)' },
    'service-user-id': { type: 'string', description: "the partner's user id (required)" },
  },
  async run(ctx, { values }) {
    const clientId = requireString(values, 'client-id', this.usage);
    const serviceUserId = requireString(values, 'service-user-id', this.usage);
    const link = await ctx.links.remove(clientId, serviceUserId, 'admin-cli');
    return { ...publicLink(link), removed: true as const };
  },
  format: (l) => `removed link of ${l.client_id} user ${l.service_user_id}\n`,
});
