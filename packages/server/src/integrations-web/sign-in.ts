/**
 * Portal sign-in and sign-out. Sign-in checks the Propusk account with AccountService.authenticate
 * and answers any failure with the same generic message; failures are limited per client IP.
 * Signing in starts a new session id; signing out clears the cookie.
 */
import type { Account } from '../accounts/types.ts';
import { loginPage, t, type LoginError } from '../views/index.ts';
import { portalPaths, safeReturnPath } from './paths.ts';
import { csrfToken, render, seeOther, switchHref, type PortalRequest } from './page.ts';

const loginKind = (login: string): string => (login.includes('@') ? 'email' : /^[\d\s()+-]+$/.test(login) ? 'phone' : 'other');

export type SignInOutcome = { account: Account } | { error: LoginError; status: number };

/** Checks login and password; on success starts the signed-in session. Audits the attempt without what was typed. */
export async function signIn(req: PortalRequest, login: string, password: string): Promise<SignInOutcome> {
  const { deps, ctx } = req;
  if (!login || !password) return { error: 'required', status: 400 };
  if ((await deps.signInLimiter.blockedFor(ctx.ip)) > 0) return { error: 'locked', status: 429 };
  const account = await deps.accounts.authenticate(login, password);
  if (!account) {
    await deps.signInLimiter.recordFailure(ctx.ip);
    await deps.audit.record({ type: 'integration.sign_in', outcome: 'failure', details: { login_kind: loginKind(login), ip: ctx.ip } });
    return { error: 'invalid_credentials', status: 401 };
  }
  req.session = deps.sessions.start(ctx, account.id);
  req.account = account;
  await deps.audit.record({ type: 'integration.sign_in', actor: `account:${account.id}`, accountId: account.id, details: { login_kind: loginKind(login), ip: ctx.ip } });
  return { account };
}

/** The portal's sign-in page (the shared login page, "continue to Integrator portal"). */
export function showSignIn(req: PortalRequest, options: { error?: LoginError; login?: string; status?: number } = {}): void {
  const next = safeReturnPath((req.ctx.query.next as string | undefined) ?? (req.ctx.path === portalPaths.signIn ? undefined : req.ctx.path));
  render(
    req,
    loginPage({
      locale: req.locale,
      action: `${portalPaths.signIn}?next=${encodeURIComponent(next)}`,
      csrfToken: csrfToken(req),
      clientName: t(req.locale, 'integrations.portalName'),
      loginHint: options.login,
      error: options.error,
      switchLocaleHref: switchHref(req),
    }),
    options.status ?? 200,
  );
}

/** GET /integrations/sign-in */
export function signInPage(req: PortalRequest): void {
  if (req.account) return seeOther(req, safeReturnPath(req.ctx.query.next as string | undefined));
  showSignIn(req);
}

/** POST /integrations/sign-in */
export async function submitSignIn(req: PortalRequest): Promise<void> {
  const login = (req.form.get('login') ?? '').trim();
  const outcome = await signIn(req, login, req.form.get('password') ?? '');
  if ('error' in outcome) return showSignIn(req, { error: outcome.error, login, status: outcome.status });
  seeOther(req, safeReturnPath(req.ctx.query.next as string | undefined));
}

/** POST /integrations/sign-out: clears the session; `?next=` may lead back to a portal page (an invitation). */
export async function submitSignOut(req: PortalRequest): Promise<void> {
  if (req.account) await req.deps.audit.record({ type: 'integration.sign_out', actor: `account:${req.account.id}`, accountId: req.account.id });
  req.deps.sessions.clear(req.ctx);
  req.session = undefined;
  req.account = undefined;
  const next = req.ctx.query.next as string | undefined;
  seeOther(req, next ? safeReturnPath(next) : portalPaths.signIn);
}
