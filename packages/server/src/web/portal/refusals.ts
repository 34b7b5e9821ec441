/** The portal's refusals (web/shared/refusal.ts), with a way back to the portal: unknown (or not owned) application, unusable invitation link, a one-time secret already shown. */
import { InvitationErrorCode } from '../../integrations/errors.ts';
import { REFUSALS, refuse, type Refusal } from '../shared/refusal.ts';
import { PORTAL_PATH } from './paths.ts';
import type { PortalRequest } from './page.ts';

const refusePortal = (req: PortalRequest, refusal: Refusal, homeHref = PORTAL_PATH): void => refuse(req.ctx, refusal, { locale: req.locale, homeHref });

/** 404 for an application that does not exist and for one the account does not own alike: no hint which. */
export function clientNotFound(req: PortalRequest): void {
  refusePortal(req, REFUSALS.clientNotFound);
}

/** 404 (unknown link) or 410 (expired or used) for an invitation that cannot be accepted. */
export function invitationGone(req: PortalRequest, reason: InvitationErrorCode): void {
  if (reason === InvitationErrorCode.EXPIRED) return refusePortal(req, REFUSALS.invitationExpired);
  if (reason === InvitationErrorCode.USED) return refusePortal(req, REFUSALS.invitationUsed);
  refusePortal(req, REFUSALS.invitationUnknown);
}

/** 410: the secret of this page was shown and the person has left it, or it is too old. */
export function secretGone(req: PortalRequest, backHref: string): void {
  refusePortal(req, REFUSALS.secretShown, backHref);
}
