/** `client revoke-tokens`: every grant, code and token issued to a client (client_credentials tokens too) stops working at once. */
import type { AdminCommand } from '../command.ts';

export const clientRevokeTokens: AdminCommand = {
  name: 'client revoke-tokens',
  summary: 'revoke every grant, code and token issued to a client',
  usage: 'client revoke-tokens <client_id> [--json]',
  options: {},
  positionals: ['client_id'],
  async run(ctx, { positionals }) {
    const client = await ctx.clients.get(positionals[0]!);
    const revoked = await ctx.revocation.revokeClient(client.clientId, { actor: 'admin-cli', reason: 'operator' });
    return { client_id: client.clientId, revoked };
  },
  format: (r) => {
    const { client_id: clientId, revoked } = r as { client_id: string; revoked: number };
    return `revoked ${revoked} grant(s), code(s) and token(s) of client ${clientId}\n`;
  },
};
