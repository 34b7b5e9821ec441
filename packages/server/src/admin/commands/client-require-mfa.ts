/**
 * `client require-mfa`: every sign-in for the client takes a second factor (acr
 * `urn:propusk:acr:mfa`); a person without one enrols it at the client's next authorization
 * request. `--off` leaves the second factor to the person's own choice again.
 */
import { command } from '../command.ts';

export const clientRequireMfa = command({
  name: 'client require-mfa',
  summary: 'require (or, with --off, no longer require) two-step verification at every sign-in for a client',
  usage: 'client require-mfa <client_id> [--off] [--json]',
  examples: ["client require-mfa accounting.web", "client require-mfa accounting.web --off"],
  options: { off: { type: 'boolean', description: 'no longer require it (people who have a second factor still use it)' } },
  positionals: [{ name: 'client_id', description: 'the client' }],
  async run(ctx, { values, positionals }) {
    const clientId = positionals[0]!;
    const required = values.off !== true;
    await ctx.clients.setRequireMfa(clientId, required, 'admin-cli');
    return { client_id: clientId, require_mfa: required };
  },
  format: ({ client_id, require_mfa }) =>
    `${client_id}: sign-ins ${require_mfa ? 'must use a second factor (two-step verification)' : 'take a second factor only when the account has one'}\n`,
});
