/**
 * `client disable` / `client enable`: a disabled client is refused at every endpoint (token requests
 * get `invalid_client`) on every instance within a second; disabling also revokes every grant, code
 * and token issued to it, so enabling it again does not bring old tokens back (ClientService.disable).
 */
import { command } from '../command.ts';
import { publicClient } from '../../clients/public-view.ts';

const CLIENT_ID = { name: 'client_id', description: 'the client' };

export const clientDisable = command({
  name: 'client disable',
  summary: 'disable a client and revoke every grant and token issued to it',
  usage: 'client disable <client_id> [--json]',
  examples: ["client disable accounting.web"],
  options: {},
  positionals: [CLIENT_ID],
  async run(ctx, { positionals }) {
    const { client, revoked } = await ctx.clients.disable(positionals[0]!, 'admin-cli');
    return { ...publicClient(client), revoked };
  },
  format: ({ client_id, revoked }) => `disabled client ${client_id}; revoked ${revoked} grant(s), code(s) and token(s)\n`,
});

export const clientEnable = command({
  name: 'client enable',
  summary: 'enable a disabled client',
  usage: 'client enable <client_id> [--json]',
  examples: ["client enable accounting.web"],
  options: {},
  positionals: [CLIENT_ID],
  async run(ctx, { positionals }) {
    return publicClient(await ctx.clients.enable(positionals[0]!, 'admin-cli'));
  },
  format: ({ client_id }) => `enabled client ${client_id}\n`,
});
