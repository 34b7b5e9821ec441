/** `client revoke-tokens`: every grant, code and token issued to a client (client_credentials tokens too) stops working at once. */
import { command } from '../command.ts';

export const clientRevokeTokens = command({
  name: 'client revoke-tokens',
  summary: 'revoke every grant, code and token issued to a client',
  usage: 'client revoke-tokens <client_id> [--json]',
  examples: ["client revoke-tokens accounting.web"],
  options: {},
  positionals: [{ name: 'client_id', description: 'the client' }],
  async run(ctx, { positionals }) {
    const { client, revoked } = await ctx.clients.revokeTokens(positionals[0]!, 'admin-cli');
    return { client_id: client.clientId, revoked };
  },
  format: ({ client_id, revoked }) => `revoked ${revoked} grant(s), code(s) and token(s) of client ${client_id}\n`,
});
