/**
 * The integrator portal's routes under `/integrations`: invitation links, sign-in and sign-out,
 * the owner's applications, api-keys, redirect URIs and owner invitations. Every answer is
 * `no-store` (http/cache-control.ts); every POST is a bounded urlencoded form whose form token
 * (web/shared/form-tokens.ts) is checked here, before any handler runs; a successful POST answers
 * 303 (except "Issue key" and "invite", whose answer page shows a one-time secret).
 */
import Router from '@koa/router';
import type { Context } from 'koa';
import type { Account } from '../../accounts/types.ts';
import { readForm, FormBodyError } from '../shared/form-body.ts';
import { PORTAL_PATH, portalPaths } from './paths.ts';
import { csrfValid, openRequest, portalRequest, seeOther, type PortalDeps, type PortalRequest } from './page.ts';
import { REFUSALS, formBodyRefusal, refuse } from '../shared/refusal.ts';
import { concludeSecondStep, portalSurface, showSignIn, signInAgain, signInPage, submitPortalPasskeySignIn, submitSignIn, submitSignOut } from './sign-in.ts';
import { submitCode, submitContinue, submitEnrolPasskey, submitEnrolTotp, submitPasskey, type SecondStepOutcome, type SecondStepServices, type SecondStepSurface } from '../shared/second-step-flow.ts';
import { safeReturnPath } from './paths.ts';
import { acceptInvitation, invitationPage, signInAndAccept, signUpAndAccept } from './invitation.ts';
import { clientListPage, clientPage } from './clients.ts';
import { issueKey, issuedKeyPage, revokeKey, revokeKeyPage } from './keys.ts';
import { redirectUrisPage, saveRedirectUris } from './redirect-uris.ts';
import { createdInvitationPage, inviteOwner } from './owners.ts';

export type { PortalDeps } from './page.ts';
export { OneTimeSecrets } from '../shared/one-time-secret.ts';

const INVITATION_PATH = /^(\/integrations\/invitations\/)[^/]+/;
/** The pages that show a one-time secret (a new api-key, a new invitation link). */
const SECRET_PAGE = /^\/integrations\/clients\/[^/]+\/(keys|invitations)\/[^/]+$/;

type Params = Record<string, string>;

/** Runs `handler` for a signed-in account; anyone else gets the sign-in page (GET) or is sent to it (POST). */
const signedIn =
  (handler: (req: PortalRequest, account: Account, params: Params) => Promise<void>) =>
  async (ctx: Context): Promise<void> => {
    const req = portalRequest(ctx);
    if (!req.account) {
      if (ctx.method === 'GET' || ctx.method === 'HEAD') return showSignIn(req);
      return seeOther(req, portalPaths.signIn);
    }
    await handler(req, req.account, ctx.params as Params);
  };

const anyone =
  (handler: (req: PortalRequest, params: Params) => Promise<void> | void) =>
  async (ctx: Context): Promise<void> => {
    await handler(portalRequest(ctx), ctx.params as Params);
  };

export function integrationRoutes(deps: PortalDeps): Router {
  const router = new Router({ prefix: PORTAL_PATH });

  router.use(async (ctx, next) => {
    const req = await openRequest(ctx, deps);
    ctx.state.portal = req;
    // Leaving the page of a one-time secret for any other portal page forgets the secret.
    if (ctx.method === 'GET' && !SECRET_PAGE.test(ctx.path)) deps.secrets.forget(ctx);
    try {
      if (ctx.method === 'POST') {
        try {
          req.form = await readForm(ctx);
        } catch (err) {
          if (err instanceof FormBodyError) return refuse(ctx, formBodyRefusal(err.status, err.code), { locale: req.locale, homeHref: PORTAL_PATH });
          throw err;
        }
        if (!csrfValid(req)) return refuse(ctx, REFUSALS.formToken, { locale: req.locale, homeHref: PORTAL_PATH });
      }
      await next();
    } finally {
      // The invitation token is a secret: keep it out of the access log, which logs the path.
      if (INVITATION_PATH.test(ctx.path)) ctx.path = ctx.path.replace(INVITATION_PATH, '$1[token]');
    }
  });

  router.get('/', signedIn(clientListPage));
  router.get('/sign-in', anyone(signInPage));
  router.post('/sign-in', anyone(submitSignIn));
  router.post('/passkey-sign-in', anyone(submitPortalPasskeySignIn));
  router.post('/sign-in/sign-in-again', anyone(signInAgain));
  const secondStep = (step: string, handle: (svc: SecondStepServices, surface: SecondStepSurface, form: URLSearchParams) => Promise<SecondStepOutcome>) =>
    router.post(
      `/sign-in/${step}`,
      anyone(async (req) => concludeSecondStep(req, await handle(deps.secondFactor, portalSurface(req, safeReturnPath(req.ctx.query.next as string | undefined)), req.form))),
    );
  secondStep('second-factor', submitCode);
  secondStep('passkey', submitPasskey);
  secondStep('enrol-totp', submitEnrolTotp);
  secondStep('enrol-passkey', submitEnrolPasskey);
  secondStep('continue', (svc, surface) => submitContinue(svc, surface));
  router.post('/sign-out', anyone(submitSignOut));

  router.get('/invitations/:token', anyone((req, p) => invitationPage(req, p.token!)));
  router.post('/invitations/:token/accept', anyone((req, p) => acceptInvitation(req, p.token!)));
  router.post('/invitations/:token/sign-in', anyone((req, p) => signInAndAccept(req, p.token!)));
  router.post('/invitations/:token/sign-up', anyone((req, p) => signUpAndAccept(req, p.token!)));

  router.get('/clients/:clientId', signedIn((req, account, p) => clientPage(req, account, p.clientId!)));
  router.post('/clients/:clientId/keys', signedIn((req, account, p) => issueKey(req, account, p.clientId!)));
  router.get('/clients/:clientId/keys/:keyId', signedIn((req, account, p) => issuedKeyPage(req, account, p.clientId!, p.keyId!)));
  router.get('/clients/:clientId/keys/:keyId/revoke', signedIn((req, account, p) => revokeKeyPage(req, account, p.clientId!, p.keyId!)));
  router.post('/clients/:clientId/keys/:keyId/revoke', signedIn((req, account, p) => revokeKey(req, account, p.clientId!, p.keyId!)));
  router.get('/clients/:clientId/redirect-uris', signedIn((req, account, p) => redirectUrisPage(req, account, p.clientId!)));
  router.post('/clients/:clientId/redirect-uris', signedIn((req, account, p) => saveRedirectUris(req, account, p.clientId!)));
  router.post('/clients/:clientId/invitations', signedIn((req, account, p) => inviteOwner(req, account, p.clientId!)));
  router.get('/clients/:clientId/invitations/:invitationId', signedIn((req, account, p) => createdInvitationPage(req, account, p.clientId!, p.invitationId!)));

  return router;
}
