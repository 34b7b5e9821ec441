/** `link list`: external links (partner user id → account), optionally of one client or one account. */
import { command, optionalString, table } from '../command.ts';
import type { ExternalLink } from '../../linking/types.ts';

export function publicLink(l: ExternalLink) {
  return {
    client_id: l.clientId,
    service_user_id: l.serviceUserId,
    account_id: l.accountId,
    created_by: l.createdBy,
    created_at: l.createdAt.toISOString(),
  };
}

export const linkColumns = ['client_id', 'service_user_id', 'account_id', 'created_by', 'created_at'] as const;

export const linkList = command({
  name: 'link list',
  summary: 'list links between partner users and accounts',
  usage: 'link list [--client-id <id>] [--user <login or account id>] [--json]',
  examples: ["link list --client-id partner.crm", "link list --user ivan@example.ru --json"],
  options: {
    'client-id': { type: 'string', description: 'only the links of this partner client' },
    user: { type: 'string', description: 'only the links to this account: its login or id' },
  },
  async run(ctx, { values }) {
    const clientId = optionalString(values, 'client-id');
    const user = optionalString(values, 'user');
    const filter: { clientId?: string; accountId?: string } = {};
    if (clientId !== undefined) filter.clientId = (await ctx.clients.get(clientId)).clientId;
    if (user !== undefined) filter.accountId = (await ctx.accounts.resolve(user)).id;
    return (await ctx.links.list(filter)).map(publicLink);
  },
  format: (links) => table(links, linkColumns),
});
