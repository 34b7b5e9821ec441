/** `link remove`: the partner can no longer sign this user in with the trusted grant (tokens already issued stay valid until revoked). */
import { type AdminCommand, requireString } from '../command.ts';
import { publicLink } from './link-list.ts';

export const linkRemove: AdminCommand = {
  name: 'link remove',
  summary: "remove the link of a partner's user id",
  usage: 'link remove --client-id <id> --service-user-id <partner user id> [--json]',
  options: { 'client-id': { type: 'string' }, 'service-user-id': { type: 'string' } },
  async run(ctx, { values }) {
    const clientId = requireString(values, 'client-id', this.usage);
    const serviceUserId = requireString(values, 'service-user-id', this.usage);
    const link = await ctx.links.remove(clientId, serviceUserId);
    await ctx.audit.record({ type: 'link.removed', actor: 'admin-cli', clientId, accountId: link.accountId, details: { service_user_id: serviceUserId } });
    return { ...publicLink(link), removed: true };
  },
  format: (r) => `removed link of ${(r as { client_id: string }).client_id} user ${(r as { service_user_id: string }).service_user_id}\n`,
};
