/** `client grant-permission` / `client revoke-permission`: the `trusted` grant and self-service `link-by-phone` linking. */
import { command } from '../command.ts';
import { PERMISSIONS } from '../../clients/types.ts';
import { validatePermission } from '../../clients/validation.ts';
import { publicClient } from '../../clients/public-view.ts';

export const permissionCommand = (granted: boolean) => {
  const verb = granted ? 'grant-permission' : 'revoke-permission';
  return command({
    name: `client ${verb}`,
    summary: granted ? `allow a client to use ${PERMISSIONS.join(' or ')}` : `withdraw a client's ${PERMISSIONS.join(' or ')} permission`,
    usage: `client ${verb} <client_id> ${PERMISSIONS.join('|')} [--json]`,
    examples: [granted ? `client ${verb} partner.crm trusted` : `client ${verb} partner.crm link-by-phone`],
    options: {},
    positionals: [
      { name: 'client_id', description: 'the client' },
      { name: 'permission', description: PERMISSIONS.map((p) => `\`${p}\``).join(' or ') },
    ],
    async run(ctx, { positionals }) {
      const [clientId, value] = positionals as [string, string];
      const permission = validatePermission(value);
      return publicClient(await ctx.clients.setPermission(clientId, permission, granted, 'admin-cli'));
    },
    format: (c) => `client ${c.client_id} permissions: ${c.permissions.length ? c.permissions.join(', ') : '(none)'}\n`,
  });
};

export const clientGrantPermission = permissionCommand(true);
