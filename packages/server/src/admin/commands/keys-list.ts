/** `keys list`: signing keys with their state (public facts only). */
import { type AdminCommand, table } from '../command.ts';

export const keysList: AdminCommand = {
  name: 'keys list',
  summary: 'list signing keys',
  usage: 'keys list [--json]',
  options: {},
  async run(ctx) {
    return (await ctx.keys.list()).map((k) => ({ kid: k.kid, alg: k.alg, created_at: k.createdAt.toISOString(), retired_at: k.retiredAt?.toISOString() ?? null, signing: k.retiredAt === null }));
  },
  format: (r) => table(r as Record<string, unknown>[], ['kid', 'alg', 'signing', 'created_at', 'retired_at']),
};
