/**
 * `partner require-aud`: the partner's trusted-grant JWTs must carry `aud` (the issuer or the
 * token endpoint URL); `--off` makes it optional again (a present `aud` is always checked).
 */
import type { AdminCommand } from '../command.ts';

export const partnerRequireAud: AdminCommand = {
  name: 'partner require-aud',
  summary: "require (or, with --off, no longer require) the aud claim in a partner's trusted-grant JWTs",
  usage: 'partner require-aud <client_id> [--off] [--json]',
  options: { off: { type: 'boolean' } },
  positionals: ['client_id'],
  async run(ctx, { values, positionals }) {
    const clientId = positionals[0]!;
    const required = values.off !== true;
    await ctx.clients.setPartnerRequireAud(clientId, required);
    await ctx.audit.record({ type: 'client.partner_require_aud', actor: 'admin-cli', clientId, details: { require_aud: required } });
    return { client_id: clientId, require_aud: required };
  },
  format: (r) => {
    const { client_id, require_aud } = r as { client_id: string; require_aud: boolean };
    return `${client_id}: trusted-grant JWTs ${require_aud ? 'must carry aud' : 'may omit aud'}\n`;
  },
};
