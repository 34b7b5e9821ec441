/** The portal's error pages: unknown (or not owned) application, refused CSRF token, unusable invitation link. */
import { errorPage, t } from '../../views/index.ts';
import { InvitationErrorCode } from '../../integrations/errors.ts';
import { PORTAL_PATH } from './paths.ts';
import { render, type PortalRequest } from './page.ts';

function errorHtml(req: PortalRequest, status: number, code: string, message: string, title?: string): void {
  if (req.ctx.accepts('json', 'html') === 'json') {
    req.ctx.status = status;
    req.ctx.body = { error: code, error_description: message };
    return;
  }
  render(req, errorPage({ locale: req.locale, status, title, message, code, requestId: req.ctx.state.requestId as string | undefined, homeHref: PORTAL_PATH }), status);
}

/** 404 for an application that does not exist and for one the account does not own alike: no hint which. */
export function clientNotFound(req: PortalRequest): void {
  errorHtml(req, 404, 'not_found', t(req.locale, 'integrations.notFound.message'));
}

/** 403: the form's CSRF token is missing or not this session's. */
export function csrfRefused(req: PortalRequest): void {
  errorHtml(req, 403, 'ERR_CSRF_TOKEN_INVALID', t(req.locale, 'integrations.csrf.message'));
}

/** 404 (unknown link) or 410 (expired or used) for an invitation that cannot be accepted. */
export function invitationGone(req: PortalRequest, reason: InvitationErrorCode): void {
  if (reason === InvitationErrorCode.EXPIRED) {
    return errorHtml(req, 410, reason, t(req.locale, 'integrations.gone.expired.message'), t(req.locale, 'integrations.gone.expired.title'));
  }
  if (reason === InvitationErrorCode.USED) {
    return errorHtml(req, 410, reason, t(req.locale, 'integrations.gone.used.message'), t(req.locale, 'integrations.gone.used.title'));
  }
  errorHtml(req, 404, InvitationErrorCode.UNKNOWN, t(req.locale, 'integrations.gone.unknown.message'), t(req.locale, 'integrations.gone.unknown.title'));
}
