/** `client grant-permission` / `client revoke-permission`: the `trusted` grant and self-service `link-by-phone` linking. */
import type { AdminCommand } from '../command.ts';
import { PERMISSIONS } from '../../clients/types.ts';
import { validatePermission } from '../../clients/validation.ts';
import { publicClient } from './client-list.ts';

export const permissionCommand = (granted: boolean): AdminCommand => {
  const verb = granted ? 'grant-permission' : 'revoke-permission';
  return {
    name: `client ${verb}`,
    summary: granted ? `allow a client to use ${PERMISSIONS.join(' or ')}` : `withdraw a client's ${PERMISSIONS.join(' or ')} permission`,
    usage: `client ${verb} <client_id> ${PERMISSIONS.join('|')} [--json]`,
    options: {},
    positionals: ['client_id', 'permission'],
    async run(ctx, { positionals }) {
      const [clientId, value] = positionals as [string, string];
      const permission = validatePermission(value);
      const client = await ctx.clients.setPermission(clientId, permission, granted);
      await ctx.audit.record({ type: granted ? 'client.permission_granted' : 'client.permission_revoked', actor: 'admin-cli', clientId, details: { permission } });
      return publicClient(client);
    },
    format: (r) => {
      const c = r as { client_id: string; permissions: string[] };
      return `client ${c.client_id} permissions: ${c.permissions.length ? c.permissions.join(', ') : '(none)'}\n`;
    },
  };
};

export const clientGrantPermission = permissionCommand(true);
