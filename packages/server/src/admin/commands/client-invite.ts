/** `client invite`: a one-time link with which an integrator becomes an owner of the client in the portal and issues api-keys there. */
import { command, optionalString, warnIssuerUnknown } from '../command.ts';
import { parseTtl } from '../../integrations/ttl.ts';
import { invitationUrl, portalPaths } from '../../web/portal/paths.ts';

export const clientInvite = command({
  name: 'client invite',
  summary: 'create a one-time integrator-portal invitation link for a client',
  usage: 'client invite <client_id> [--email <address>] [--ttl 7d] [--allow-signup] [--json]',
  examples: ["client invite accounting.web --email dev@partner.example", "client invite accounting.web --ttl 3d --allow-signup --json"],
  options: {
    email: { type: 'string', description: 'only the account with this login (email) may accept it' },
    ttl: { type: 'string', description: 'how long the link works: `30m`, `12h`, `7d` … (default 7d, at most 90d)' },
    'allow-signup': { type: 'boolean', description: 'the invitee may create a Propusk account on the invitation page' },
  },
  positionals: [{ name: 'client_id', description: 'the client to own' }],
  async run(ctx, { values, positionals }) {
    const ttl = optionalString(values, 'ttl');
    const email = optionalString(values, 'email');
    const { invitation, token } = await ctx.integrations.invite({
      clientId: positionals[0]!,
      email,
      ttlMs: ttl === undefined ? undefined : parseTtl(ttl),
      allowSignup: values['allow-signup'] === true,
      createdBy: 'admin-cli',
    });
    const issuer = await ctx.knownIssuer();
    if (!issuer) warnIssuerUnknown();
    return {
      client_id: invitation.clientId,
      invitation_id: invitation.id,
      url: issuer ? invitationUrl(issuer, token) : portalPaths.invitation(token),
      expires_at: invitation.expiresAt.toISOString(),
    };
  },
  format: (i) => `invitation to client ${i.client_id} (one-time, expires ${i.expires_at}); send this link to the integrator:\n${i.url}\n`,
});
