/**
 * Routes of the account pages (`/account`): GET shows the account (or the sign-in form); every
 * change is a POST with an urlencoded, bounded body and the session's CSRF token, answered with 303.
 * The page of a one-time set-password link (`/account/set-password/<token>`) needs no session: its
 * form carries the sign-in form's token. Every response is `Cache-Control: no-store`
 * (http/cache-control.ts): the pages carry personal data.
 */
import Router from '@koa/router';
import type { Context } from 'koa';
import { readForm, FormBodyError } from '../shared/form-body.ts';
import { pageLocale } from '../shared/locale.ts';
import { REFUSALS, formBodyRefusal, refuse } from '../shared/refusal.ts';
import type { SignedIn } from '../shared/browser-session.ts';
import { accountSurface, concludeSecondStep, showSignInOrSecondStep, signInAgain, submitPasskeySignIn, submitSignIn } from './sign-in.ts';
import { submitCode, submitContinue, submitEnrolPasskey, submitEnrolTotp, submitPasskey, type SecondStepOutcome, type SecondStepServices, type SecondStepSurface } from '../shared/second-step-flow.ts';
import { addPasskey, confirmPassword, confirmTotp, removePasskey, removeTotp, renamePasskey, renewRecoveryCodes, showRecoveryCodes, showTwoStep } from './two-step.ts';
import { TWO_STEP_PATH } from './two-step-paths.ts';
import { showAccount } from './overview.ts';
import { confirmRevokeApplication, revokeApplication } from './revoke-application.ts';
import { changePassword } from './change-password.ts';
import { FORGOT_PASSWORD_PATH, showForgotPassword, showForgotPasswordSent, submitForgotPassword } from './forgot-password.ts';
import { confirmSignOutEverywhere, signOutEverywhere } from './sign-out-everywhere.ts';
import { signOut } from './sign-out.ts';
import { showPasswordLink, submitPasswordLink } from './password-link.ts';
import { PASSWORD_LINK_PATH } from '../../accounts/password-links.ts';
import { ACCOUNT_PATH, redirectToAccount, type AccountPortalDeps, type AccountRequest } from './deps.ts';

export type { AccountPortalDeps } from './deps.ts';

/** Reads the form; answers 413/415 itself and returns undefined when it cannot be read. */
async function form(req: AccountRequest): Promise<URLSearchParams | undefined> {
  try {
    return await readForm(req.ctx);
  } catch (err) {
    if (err instanceof FormBodyError) {
      refuse(req.ctx, formBodyRefusal(err.status, err.code), { locale: req.locale, homeHref: ACCOUNT_PATH });
      return undefined;
    }
    throw err;
  }
}

type SignedInHandler = (req: AccountRequest, signedIn: SignedIn, form: URLSearchParams) => Promise<void>;

export function accountRoutes(deps: AccountPortalDeps): Router {
  const router = new Router({ prefix: ACCOUNT_PATH });
  const request = (ctx: Context): AccountRequest => ({ ctx, deps, locale: pageLocale(ctx) });

  // Leaving the page of new recovery codes for any other account page forgets them.
  router.use(async (ctx, next) => {
    if (ctx.method === 'GET' && ctx.path !== `${TWO_STEP_PATH}/recovery-codes`) deps.secrets.forget(ctx);
    await next();
  });

  router.get('/', async (ctx) => {
    const req = request(ctx);
    const signedIn = await deps.sessions.signedIn(ctx);
    if (signedIn) await showAccount(req, signedIn);
    else await showSignInOrSecondStep(req);
  });

  // Confirmations before what cannot be undone: signed in only.
  const signedInGet = (path: string, handler: (req: AccountRequest, signedIn: SignedIn) => Promise<void>) =>
    router.get(path, async (ctx) => {
      const signedIn = await deps.sessions.signedIn(ctx);
      if (!signedIn) return redirectToAccount(ctx);
      await handler(request(ctx), signedIn);
    });
  signedInGet('/applications/:clientId/revoke', (req, signedIn) => confirmRevokeApplication(req, signedIn, req.ctx.params.clientId!));
  signedInGet('/sign-out-everywhere', confirmSignOutEverywhere);

  // Two-step verification (two-step.ts): signed in only; without a session, the sign-in.
  const twoStepPrefix = TWO_STEP_PATH.slice(ACCOUNT_PATH.length);
  router.get(twoStepPrefix, async (ctx) => {
    const req = request(ctx);
    const signedIn = await deps.sessions.signedIn(ctx);
    if (!signedIn) return redirectToAccount(ctx);
    await showTwoStep(req, signedIn);
  });
  router.get(`${twoStepPrefix}/recovery-codes`, async (ctx) => {
    const req = request(ctx);
    const signedIn = await deps.sessions.signedIn(ctx);
    if (!signedIn) return redirectToAccount(ctx);
    showRecoveryCodes(req, signedIn);
  });

  /** A POST of the sign-in forms (no session yet): the sign-in form's token. */
  const signInPost = (path: string, handler: (req: AccountRequest, form: URLSearchParams) => Promise<void> | void) =>
    router.post(path, async (ctx) => {
      const req = request(ctx);
      const body = await form(req);
      if (!body) return;
      if (!deps.formTokens.verifySignIn(ctx, body.get('csrf'))) return refuse(ctx, REFUSALS.formToken, { locale: req.locale, homeHref: ACCOUNT_PATH });
      await handler(req, body);
    });
  signInPost('/sign-in', submitSignIn);
  // "Forgot password?" (forgot-password.ts): no session needed; the sign-in form's token.
  const forgot = FORGOT_PASSWORD_PATH.slice(ACCOUNT_PATH.length);
  router.get(forgot, (ctx) => showForgotPassword(request(ctx)));
  router.get(`${forgot}/sent`, (ctx) => showForgotPasswordSent(request(ctx)));
  signInPost(forgot, submitForgotPassword);
  signInPost('/passkey-sign-in', submitPasskeySignIn);
  signInPost('/sign-in-again', (req) => signInAgain(req));
  const secondStep = (path: string, handle: (svc: SecondStepServices, surface: SecondStepSurface, form: URLSearchParams) => Promise<SecondStepOutcome>) =>
    signInPost(path, async (req, body) => concludeSecondStep(req, await handle(deps.secondFactor, accountSurface(req), body)));
  secondStep('/second-factor', submitCode);
  secondStep('/passkey', submitPasskey);
  secondStep('/enrol-totp', submitEnrolTotp);
  secondStep('/enrol-passkey', submitEnrolPasskey);
  secondStep('/continue', (svc, surface) => submitContinue(svc, surface));

  /** A POST of a signed-in page: without a session it goes back to the sign-in form; without this session's token it is refused. */
  const signedInPost = (path: string, handler: SignedInHandler) =>
    router.post(path, async (ctx) => {
      const req = request(ctx);
      const body = await form(req);
      if (!body) return;
      const signedIn = await deps.sessions.signedIn(ctx);
      if (!signedIn) return redirectToAccount(ctx);
      if (!deps.formTokens.verify('session', signedIn.session.jti, body.get('csrf'))) return refuse(ctx, REFUSALS.formToken, { locale: req.locale, homeHref: ACCOUNT_PATH });
      await handler(req, signedIn, body);
    });

  // A one-time set-password link: no session, the sign-in form's token.
  const linkRoute = `${PASSWORD_LINK_PATH.slice(ACCOUNT_PATH.length)}/:token`;
  router.get(linkRoute, (ctx) => showPasswordLink(request(ctx), ctx.params.token!));
  router.post(linkRoute, async (ctx) => {
    const req = request(ctx);
    const body = await form(req);
    if (!body) return;
    if (!deps.formTokens.verifySignIn(ctx, body.get('csrf'))) return refuse(ctx, REFUSALS.formToken, { locale: req.locale, homeHref: ACCOUNT_PATH });
    await submitPasswordLink(req, ctx.params.token!, body);
  });

  signedInPost('/applications/:clientId/revoke', (req, signedIn) => revokeApplication(req, signedIn, req.ctx.params.clientId!));
  signedInPost('/password', changePassword);
  signedInPost('/sign-out-everywhere', (req, signedIn) => signOutEverywhere(req, signedIn));
  signedInPost('/sign-out', (req, signedIn) => signOut(req, signedIn));
  signedInPost(`${twoStepPrefix}/totp`, confirmTotp);
  signedInPost(`${twoStepPrefix}/totp/remove`, (req, signedIn) => removeTotp(req, signedIn));
  signedInPost(`${twoStepPrefix}/passkeys`, addPasskey);
  signedInPost(`${twoStepPrefix}/passkeys/:id/rename`, (req, signedIn, body) => renamePasskey(req, signedIn, req.ctx.params.id!, body));
  signedInPost(`${twoStepPrefix}/passkeys/:id/remove`, (req, signedIn) => removePasskey(req, signedIn, req.ctx.params.id!));
  signedInPost(`${twoStepPrefix}/recovery-codes`, (req, signedIn) => renewRecoveryCodes(req, signedIn));
  signedInPost(`${twoStepPrefix}/confirm-password`, confirmPassword);
  return router;
}
