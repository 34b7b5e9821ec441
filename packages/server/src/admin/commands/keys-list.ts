/** `keys list`: signing keys with their algorithm and state (public facts only); `signing` marks the current key of each algorithm. */
import { command, table } from '../command.ts';

export const keysList = command({
  name: 'keys list',
  summary: 'list signing keys with their algorithm, and which key of each algorithm signs',
  usage: 'keys list [--json]',
  examples: ["keys list"],
  options: {},
  async run(ctx) {
    return (await ctx.keys.list()).map((k) => ({ kid: k.kid, alg: k.alg, created_at: k.createdAt.toISOString(), retired_at: k.retiredAt?.toISOString() ?? null, signing: k.signing }));
  },
  format: (keys) => table(keys, ['kid', 'alg', 'signing', 'created_at', 'retired_at']),
});
