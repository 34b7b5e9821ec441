/** `client revoke-key`: the key stops working for token requests within a second, on every instance. */
import { command } from '../command.ts';

export const clientRevokeKey = command({
  name: 'client revoke-key',
  summary: 'revoke one api-key of a client',
  usage: 'client revoke-key <client_id> <api_key_id> [--json]',
  examples: ["client revoke-key accounting.web 01J9Z3M5Q7R8S9T0V1W2X3Y4Z5"],
  options: {},
  positionals: [
    { name: 'client_id', description: 'the client' },
    { name: 'api_key_id', description: 'the key (`client list-keys` shows the ids)' },
  ],
  async run(ctx, { positionals }) {
    const [clientId, apiKeyId] = positionals as [string, string];
    await ctx.clients.revokeKey(clientId, apiKeyId, 'admin-cli');
    return { client_id: clientId, api_key_id: apiKeyId, revoked: true as const };
  },
  format: ({ api_key_id }) => `revoked api-key ${api_key_id}\n`,
});
