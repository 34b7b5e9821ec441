/** `client list`: registered clients (never their keys). */
import { command, table } from '../command.ts';
import type { Client } from '../../clients/types.ts';

export function publicClient(c: Client) {
  return {
    client_id: c.clientId,
    name: c.name,
    grant_types: c.grantTypes,
    redirect_uris: c.redirectUris,
    post_logout_redirect_uris: c.postLogoutRedirectUris,
    scopes: c.scopes,
    public: c.public,
    application_type: c.applicationType,
    require_dpop: c.requireDpop === true,
    permissions: c.permissions,
    disabled: c.disabled,
    created_at: c.createdAt.toISOString(),
  };
}

export const clientList = command({
  name: 'client list',
  summary: 'list clients',
  usage: 'client list [--json]',
  options: {},
  async run(ctx) {
    return (await ctx.clients.list()).map(publicClient);
  },
  format: (clients) => table(clients, ['client_id', 'name', 'grant_types', 'scopes', 'public', 'application_type', 'disabled']),
});
