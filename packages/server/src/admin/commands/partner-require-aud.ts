/**
 * `partner require-aud`: the partner's trusted-grant JWTs must carry `aud` (the issuer or the
 * token endpoint URL); `--off` makes it optional again (a present `aud` is always checked).
 */
import { command } from '../command.ts';

export const partnerRequireAud = command({
  name: 'partner require-aud',
  summary: "require (or, with --off, no longer require) the aud claim in a partner's trusted-grant JWTs",
  usage: 'partner require-aud <client_id> [--off] [--json]',
  examples: ["partner require-aud partner.crm", "partner require-aud partner.crm --off"],
  options: { off: { type: 'boolean', description: 'no longer require it (a present `aud` is still checked)' } },
  positionals: [{ name: 'client_id', description: 'the partner client' }],
  async run(ctx, { values, positionals }) {
    const clientId = positionals[0]!;
    const required = values.off !== true;
    await ctx.clients.setPartnerRequireAud(clientId, required, 'admin-cli');
    return { client_id: clientId, require_aud: required };
  },
  format: ({ client_id, require_aud }) => `${client_id}: trusted-grant JWTs ${require_aud ? 'must carry aud' : 'may omit aud'}\n`,
});
