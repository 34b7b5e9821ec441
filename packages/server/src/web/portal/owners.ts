/**
 * An owner invites another owner: a new one-time invitation link (7 days) for the same client,
 * optionally bound to an email address. Only its hash is stored; the link is shown on the page the
 * POST redirects to, through a one-time-secret cookie (web/shared/one-time-secret.ts), as a new api-key is.
 */
import type { Account } from '../../accounts/types.ts';
import { DomainError } from '../../shared/errors.ts';
import { integrationInvitationCreatedPage } from '../../views/index.ts';
import { ownedClient } from './access.ts';
import { invitationUrl, portalPaths } from './paths.ts';
import { chrome, render, seeOther, type PortalRequest } from './page.ts';
import { secretGone } from './refusals.ts';

/** POST /integrations/clients/:clientId/invitations (`email` optional) */
export async function inviteOwner(req: PortalRequest, account: Account, clientId: string): Promise<void> {
  const client = await ownedClient(req, account, clientId);
  if (!client) return;
  let created;
  try {
    created = await req.deps.integrations.invite({ clientId, email: req.form.get('email') ?? undefined, createdBy: { portalOwner: account.id } });
  } catch (err) {
    // An invalid email: back to the form (the browser's type=email check normally catches it first).
    if (err instanceof DomainError && err.code === 'ERR_INVALID') return seeOther(req, portalPaths.client(clientId));
    throw err;
  }
  const { invitation, token } = created;
  const page = portalPaths.createdInvitation(clientId, invitation.id);
  req.deps.secrets.keep(req.ctx, {
    page,
    sid: req.session!.jti,
    values: { url: invitationUrl(req.deps.issuer, token), email: invitation.email, expiresAt: invitation.expiresAt.toISOString() },
  });
  seeOther(req, page);
}

/** GET /integrations/clients/:clientId/invitations/:invitationId — the new link, shown while its one-time cookie lasts. */
export async function createdInvitationPage(req: PortalRequest, account: Account, clientId: string, invitationId: string): Promise<void> {
  const client = await ownedClient(req, account, clientId);
  if (!client) return;
  const kept = req.deps.secrets.read(req.ctx, portalPaths.createdInvitation(clientId, invitationId), req.session?.jti);
  if (!kept?.url || !kept.expiresAt) return secretGone(req, portalPaths.client(clientId));
  render(
    req,
    integrationInvitationCreatedPage({
      ...chrome(req, account),
      clientName: client.name,
      url: kept.url,
      email: kept.email ?? null,
      expiresAt: new Date(kept.expiresAt),
      backHref: portalPaths.client(clientId),
    }),
  );
}
