/**
 * Portal sign-in and sign-out. Sign-in checks the Propusk account with AccountService.authenticate
 * and answers any failure with the same generic message; failures share the brute-force limits of every sign-in form.
 * Signing in starts a new session id; signing out clears the cookie.
 */
import type { Account } from '../../accounts/types.ts';
import { loginPage, t, type LoginError } from '../../views/index.ts';
import { portalPaths, safeReturnPath } from './paths.ts';
import { csrfToken, render, seeOther, switchHref, type PortalRequest } from './page.ts';

export type SignInOutcome = { account: Account } | { error: LoginError; status: number; retryAfterSeconds?: number };

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
  req.session = await deps.sessions.start(ctx, account.id);
  req.account = account;
  return { account };
}

/** The portal's sign-in page (the shared login page, "continue to Integrator portal"). */
export function showSignIn(req: PortalRequest, options: { error?: LoginError; login?: string; status?: number; retryAfterSeconds?: number | undefined } = {}): void {
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
      retryAfterSeconds: options.retryAfterSeconds,
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
  if ('error' in outcome) return showSignIn(req, { error: outcome.error, login, status: outcome.status, retryAfterSeconds: outcome.retryAfterSeconds });
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
