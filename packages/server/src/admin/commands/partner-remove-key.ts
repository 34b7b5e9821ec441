/** `partner remove-key`: JWTs signed with the key stop being accepted within a second, on every instance. */
import type { AdminCommand } from '../command.ts';
import { publicPartnerKey } from './partner-list-keys.ts';

export const partnerRemoveKey: AdminCommand = {
  name: 'partner remove-key',
  summary: "remove one of a partner client's trusted-grant keys (by key id or kid)",
  usage: 'partner remove-key <client_id> <key_id or kid> [--json]',
  options: {},
  positionals: ['client_id', 'key_id'],
  async run(ctx, { positionals }) {
    const [clientId, keyId] = positionals as [string, string];
    const key = await ctx.partnerKeys.remove(clientId, keyId);
    await ctx.audit.record({ type: 'partner_key.removed', actor: 'admin-cli', clientId, details: { partner_key_id: key.id, kid: key.kid } });
    return { ...publicPartnerKey(key), removed: true };
  },
  format: (r) => `removed partner key ${(r as { key_id: string }).key_id}\n`,
};
