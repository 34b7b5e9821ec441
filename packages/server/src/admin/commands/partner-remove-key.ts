/** `partner remove-key`: JWTs signed with the key stop being accepted within a second, on every instance. */
import { command } from '../command.ts';
import { publicPartnerKey } from './partner-list-keys.ts';

export const partnerRemoveKey = command({
  name: 'partner remove-key',
  summary: "remove one of a partner client's trusted-grant keys (by key id or kid)",
  usage: 'partner remove-key <client_id> <key_id or kid> [--json]',
  examples: ["partner remove-key partner.crm 2024-signing-key"],
  options: {},
  positionals: [
    { name: 'client_id', description: 'the partner client' },
    { name: 'key_id', description: 'the key: its id or its kid (`partner list-keys` shows both)' },
  ],
  async run(ctx, { positionals }) {
    const [clientId, keyId] = positionals as [string, string];
    const key = await ctx.partnerKeys.remove(clientId, keyId, 'admin-cli');
    return { ...publicPartnerKey(key), removed: true as const };
  },
  format: ({ key_id }) => `removed partner key ${key_id}\n`,
});
