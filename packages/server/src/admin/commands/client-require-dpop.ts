/**
 * `client require-dpop`: the client's token requests must carry a DPoP proof (RFC 9449), so every
 * access token it gets is DPoP-bound; `--off` makes DPoP the client's choice again.
 */
import { command } from '../command.ts';

export const clientRequireDpop = command({
  name: 'client require-dpop',
  summary: 'require (or, with --off, no longer require) DPoP-bound access tokens for a client',
  usage: 'client require-dpop <client_id> [--off] [--json]',
  examples: ["client require-dpop accounting.web", "client require-dpop accounting.web --off"],
  options: { off: { type: 'boolean', description: 'no longer require it (the client may still use DPoP)' } },
  positionals: [{ name: 'client_id', description: 'the client' }],
  async run(ctx, { values, positionals }) {
    const clientId = positionals[0]!;
    const required = values.off !== true;
    await ctx.clients.setRequireDpop(clientId, required, 'admin-cli');
    return { client_id: clientId, require_dpop: required };
  },
  format: ({ client_id, require_dpop }) =>
    `${client_id}: token requests ${require_dpop ? 'must carry a DPoP proof (DPoP-bound access tokens only)' : 'may use DPoP or not'}\n`,
});
