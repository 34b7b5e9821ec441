/**
 * Portal sign-in and sign-out. Sign-in checks the Propusk account with AccountService.authenticate
 * and answers any failure with the same generic message; failures share the brute-force limits of every sign-in form.
 * Signing in starts a new session id; signing out clears the cookie.
 */
import { FORGOT_PASSWORD_PATH } from '../account/deps.ts';
import type { Account } from '../../accounts/types.ts';
import { loginPage, t, type LoginError } from '../../views/index.ts';
import type { SignInMethod } from '../../mfa/types.ts';
import { switchLocaleHref } from '../shared/locale.ts';
import { afterPassword, passwordlessCeremony, pendingAccount, showSecondStep, submitPasswordless, type SecondStepOutcome, type SecondStepSurface } from '../shared/second-step-flow.ts';
import { PORTAL_PATH, portalPaths, safeReturnPath } from './paths.ts';
import { csrfToken, render, seeOther, switchHref, type PortalRequest } from './page.ts';

/** Signed in; on to the second step (the sign-in page shows it); or refused. */
export type SignInOutcome = { account: Account } | { secondStep: true } | { error: LoginError; status: number; retryAfterSeconds?: number };

export const PORTAL_BINDING = 'portal';

/** Where the portal's second step lives (`/integrations/sign-in/...`), returning to `next`. */
export function portalSurface(req: PortalRequest, next: string): SecondStepSurface {
  const { locale } = req;
  const query = `?lang=${locale}&next=${encodeURIComponent(next)}`;
  const action = (p: string) => `${portalPaths.signIn}/${p}${query}`;
  return {
    ctx: req.ctx,
    locale,
    binding: PORTAL_BINDING,
    csrfToken: csrfToken(req),
    actions: { code: action('second-factor'), passkey: action('passkey'), enrolTotp: action('enrol-totp'), enrolPasskey: action('enrol-passkey'), continue: action('continue') },
    methodHref: (method) => `${portalPaths.signIn}${query}&method=${method}`,
    cancel: { action: action('sign-in-again'), label: t(locale, 'mfa.otherAccount') },
    switchLocaleHref: switchLocaleHref(portalPaths.signIn, locale, `next=${encodeURIComponent(next)}`),
    via: 'portal',
    required: false,
  };
}

const nextOf = (req: PortalRequest): string => safeReturnPath((req.ctx.query.next as string | undefined) ?? (req.ctx.path.startsWith(portalPaths.signIn) ? undefined : req.ctx.path));

async function startSession(req: PortalRequest, account: Account, method: SignInMethod): Promise<void> {
  req.session = await req.deps.sessions.start(req.ctx, account.id, method);
  req.account = account;
}

/** Checks login and password; on success starts the signed-in session. Audits the attempt without what was typed. */
export async function signIn(req: PortalRequest, login: string, password: string): Promise<SignInOutcome> {
  const { deps, ctx } = req;
  if (!login || !password) return { error: 'required', status: 400 };
  const result = await deps.passwordSignIn.signIn({ login, password, ip: ctx.ip, via: 'portal', auditType: 'integration.sign_in' });
  if (!result.ok) {
    if (result.error !== 'locked') return { error: result.error, status: result.status };
    ctx.set('Retry-After', String(result.retryAfterSeconds));
    return { error: result.error, status: result.status, retryAfterSeconds: result.retryAfterSeconds };
  }
  const { account } = result;
  const next = await afterPassword(deps.secondFactor, portalSurface(req, nextOf(req)), account);
  if (next.kind !== 'done') return { secondStep: true };
  await startSession(req, account, next.method);
  return { account };
}

/** The portal's sign-in page (the shared login page, "continue to Integrator portal"). */
export async function showSignIn(req: PortalRequest, options: { error?: LoginError; login?: string; status?: number; retryAfterSeconds?: number | undefined } = {}): Promise<void> {
  const next = nextOf(req);
  const surface = portalSurface(req, next);
  const found = options.error ? undefined : await pendingAccount(req.deps.secondFactor, surface);
  if (found) return showSecondStep(req.deps.secondFactor, surface, found.pending, found.account);
  const passkey = await passwordlessCeremony(req.deps.secondFactor, `${PORTAL_PATH}/passkey-sign-in?next=${encodeURIComponent(next)}`, PORTAL_BINDING);
  render(
    req,
    loginPage({
      locale: req.locale,
      action: `${portalPaths.signIn}?next=${encodeURIComponent(next)}`,
      csrfToken: csrfToken(req),
      clientName: t(req.locale, 'integrations.portalName'),
      loginHint: options.login,
      error: options.error,
      retryAfterSeconds: options.retryAfterSeconds,
      switchLocaleHref: switchHref(req),
      forgotHref: req.deps.recoveryAvailable ? `${FORGOT_PASSWORD_PATH}?lang=${req.locale}` : undefined,
      passkey,
    }),
    options.status ?? 200,
  );
}

/** GET /integrations/sign-in: the form, or the second step of a pending sign-in. */
export async function signInPage(req: PortalRequest): Promise<void> {
  if (req.account) return seeOther(req, safeReturnPath(req.ctx.query.next as string | undefined));
  await showSignIn(req);
}

/** Answers a form of the second step (`/integrations/sign-in/<step>`). */
export async function concludeSecondStep(req: PortalRequest, outcome: SecondStepOutcome): Promise<void> {
  const next = nextOf(req);
  if (outcome.kind === 'done') {
    const account = await req.deps.accountRepository.findById(outcome.accountId);
    if (account) await startSession(req, account, outcome.method);
    return seeOther(req, next);
  }
  if (outcome.kind === 'redirect') return seeOther(req, `${portalPaths.signIn}?next=${encodeURIComponent(next)}`);
}

/** POST /integrations/sign-in/passkey-sign-in */
export async function submitPortalPasskeySignIn(req: PortalRequest): Promise<void> {
  const result = await submitPasswordless(req.deps.secondFactor, { ctx: req.ctx, binding: PORTAL_BINDING, via: 'portal' }, req.form);
  if (!result.ok) return showSignIn(req, result.status === 429 ? { error: 'locked', status: 429, retryAfterSeconds: result.retryAfterSeconds } : { error: 'passkey', status: result.status });
  await concludeSecondStep(req, { kind: 'done', accountId: result.accountId, method: result.method });
}

/** POST /integrations/sign-in/sign-in-again: forgets the pending sign-in. */
export function signInAgain(req: PortalRequest): void {
  req.deps.secondFactor.pendings.clear(req.ctx);
  seeOther(req, `${portalPaths.signIn}?next=${encodeURIComponent(nextOf(req))}`);
}

/** POST /integrations/sign-in */
export async function submitSignIn(req: PortalRequest): Promise<void> {
  const login = (req.form.get('login') ?? '').trim();
  const outcome = await signIn(req, login, req.form.get('password') ?? '');
  if ('error' in outcome) return showSignIn(req, { error: outcome.error, login, status: outcome.status, retryAfterSeconds: outcome.retryAfterSeconds });
  if ('secondStep' in outcome) return seeOther(req, `${portalPaths.signIn}?next=${encodeURIComponent(nextOf(req))}`);
  seeOther(req, safeReturnPath(req.ctx.query.next as string | undefined));
}

/** POST /integrations/sign-out: clears the session; `?next=` may lead back to a portal page (an invitation). */
export async function submitSignOut(req: PortalRequest): Promise<void> {
  if (req.account) await req.deps.audit.record({ type: 'integration.sign_out', actor: `account:${req.account.id}`, accountId: req.account.id });
  if (req.session) await req.deps.sessions.end(req.ctx, req.session);
  req.session = undefined;
  req.account = undefined;
  const next = req.ctx.query.next as string | undefined;
  seeOther(req, next ? safeReturnPath(next) : portalPaths.signIn);
}
