/** `client revoke-key`: the key stops working for token requests within a second, on every instance. */
import type { AdminCommand } from '../command.ts';

export const clientRevokeKey: AdminCommand = {
  name: 'client revoke-key',
  summary: 'revoke one api-key of a client',
  usage: 'client revoke-key <client_id> <api_key_id> [--json]',
  options: {},
  positionals: ['client_id', 'api_key_id'],
  async run(ctx, { positionals }) {
    const [clientId, apiKeyId] = positionals as [string, string];
    await ctx.clients.revokeKey(clientId, apiKeyId);
    await ctx.audit.record({ type: 'api_key.revoked', actor: 'admin-cli', clientId, details: { api_key_id: apiKeyId } });
    return { client_id: clientId, api_key_id: apiKeyId, revoked: true };
  },
  format: (r) => `revoked api-key ${(r as { api_key_id: string }).api_key_id}\n`,
};
