/** `client list-keys`: a client's api-keys — id, label, created, last used, revoked; never the key. */
import { command, table } from '../command.ts';

export const clientListKeys = command({
  name: 'client list-keys',
  summary: "list a client's api-keys",
  usage: 'client list-keys <client_id> [--json]',
  examples: ["client list-keys accounting.web"],
  options: {},
  positionals: [{ name: 'client_id', description: 'the client' }],
  async run(ctx, { positionals }) {
    await ctx.clients.get(positionals[0]!);
    return (await ctx.clients.listKeys(positionals[0]!)).map((k) => ({
      api_key_id: k.id,
      label: k.label,
      created_at: k.createdAt.toISOString(),
      last_used_at: k.lastUsedAt?.toISOString() ?? null,
      revoked_at: k.revokedAt?.toISOString() ?? null,
    }));
  },
  format: (keys) => table(keys, ['api_key_id', 'label', 'created_at', 'last_used_at', 'revoked_at']),
});
