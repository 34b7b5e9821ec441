/** `client list`: registered clients (never their keys). */
import { command, table } from '../command.ts';
import { publicClient } from '../../clients/public-view.ts';

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
