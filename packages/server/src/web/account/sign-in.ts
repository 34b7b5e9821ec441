/**
 * Sign-in on the account pages (when the browser has no session): the same page and the same
 * generic failure message as the authorize flow's, a passkey alone where the browser supports it,
 * and the same second step (web/shared/second-step-flow.ts) when the account has a second factor;
 * success starts a provider session (with the sign-in's `acr` and `amr`) and 303s to `/account`.
 * The audit log records the attempt without the login or password typed.
 */
import { loginPage, t, type LoginError } from '../../views/index.ts';
import { switchLocaleHref } from '../shared/locale.ts';
import { afterPassword, passwordlessCeremony, pendingAccount, showSecondStep, submitPasswordless, type SecondStepOutcome, type SecondStepSurface } from '../shared/second-step-flow.ts';
import type { SignInMethod } from '../../mfa/types.ts';
import { ACCOUNT_PATH, redirectToAccount, type AccountRequest } from './deps.ts';
import { FORGOT_PASSWORD_PATH } from './forgot-password.ts';

/** Confirmations shown on the sign-in page after a 303 (`?done=`). */
const SIGNED_OUT_NOTICES = { signed_out_everywhere: 'account.done.signed_out_everywhere', signed_out: 'account.done.signed_out' } as const;

export const ACCOUNT_BINDING = 'account';

export async function showSignIn(req: AccountRequest, options: { error?: LoginError; loginHint?: string; status?: number; retryAfterSeconds?: number } = {}): Promise<void> {
  const { ctx, deps, locale } = req;
  const done = ctx.query.done;
  const notice = typeof done === 'string' && Object.hasOwn(SIGNED_OUT_NOTICES, done) ? SIGNED_OUT_NOTICES[done as keyof typeof SIGNED_OUT_NOTICES] : undefined;
  const passkey = await passwordlessCeremony(deps.secondFactor, `${ACCOUNT_PATH}/passkey-sign-in?lang=${locale}`, ACCOUNT_BINDING);
  ctx.status = options.status ?? 200;
  ctx.type = 'html';
  ctx.body = loginPage({
    locale,
    action: `${ACCOUNT_PATH}/sign-in?lang=${locale}`,
    csrfToken: deps.formTokens.forSignIn(ctx),
    clientName: t(locale, 'account.title'),
    lead: t(locale, 'account.signIn.lead'),
    loginHint: options.loginHint,
    error: options.error,
    retryAfterSeconds: options.retryAfterSeconds,
    message: notice && !options.error ? { kind: 'success', text: t(locale, notice) } : undefined,
    switchLocaleHref: switchLocaleHref(ACCOUNT_PATH, locale),
    forgotHref: deps.recovery.available ? `${FORGOT_PASSWORD_PATH}?lang=${locale}` : undefined,
    passkey,
  });
}

/** The second step of the account pages' sign-in. */
export function accountSurface(req: AccountRequest): SecondStepSurface {
  const { ctx, deps, locale } = req;
  const action = (p: string) => `${ACCOUNT_PATH}/${p}?lang=${locale}`;
  return {
    ctx,
    locale,
    binding: ACCOUNT_BINDING,
    csrfToken: deps.formTokens.forSignIn(ctx),
    actions: { code: action('second-factor'), passkey: action('passkey'), enrolTotp: action('enrol-totp'), enrolPasskey: action('enrol-passkey'), continue: action('continue') },
    methodHref: (method) => `${ACCOUNT_PATH}?lang=${locale}&method=${method}`,
    cancel: { action: action('sign-in-again'), label: t(locale, 'mfa.otherAccount') },
    switchLocaleHref: switchLocaleHref(ACCOUNT_PATH, locale),
    via: 'account',
    required: false,
  };
}

/** GET /account without a session: the second step of a pending sign-in, else the sign-in form. */
export async function showSignInOrSecondStep(req: AccountRequest): Promise<void> {
  const surface = accountSurface(req);
  const found = await pendingAccount(req.deps.secondFactor, surface);
  if (found) return showSecondStep(req.deps.secondFactor, surface, found.pending, found.account);
  return showSignIn(req);
}

async function startSession(req: AccountRequest, accountId: string, method: SignInMethod): Promise<void> {
  await req.deps.sessions.start(req.ctx, accountId, method);
  redirectToAccount(req.ctx);
}

/** Answers a form of the second step. */
export async function concludeSecondStep(req: AccountRequest, outcome: SecondStepOutcome): Promise<void> {
  if (outcome.kind === 'done') return startSession(req, outcome.accountId, outcome.method);
  if (outcome.kind === 'redirect') redirectToAccount(req.ctx);
}

export async function submitSignIn(req: AccountRequest, form: URLSearchParams): Promise<void> {
  const { ctx, deps } = req;
  const login = (form.get('login') ?? '').trim();
  const password = form.get('password') ?? '';
  if (!login || !password) return showSignIn(req, { error: 'required', loginHint: login, status: 400 });
  const result = await deps.passwordSignIn.signIn({ login, password, ip: ctx.ip, via: 'account' });
  if (!result.ok) {
    if (result.error === 'locked') {
      ctx.set('Retry-After', String(result.retryAfterSeconds));
      return showSignIn(req, { error: result.error, loginHint: login, status: result.status, retryAfterSeconds: result.retryAfterSeconds });
    }
    return showSignIn(req, { error: result.error, loginHint: login, status: result.status });
  }
  await concludeSecondStep(req, await afterPassword(deps.secondFactor, accountSurface(req), result.account));
}

/** "Sign in with a passkey" on the account pages' sign-in form. */
export async function submitPasskeySignIn(req: AccountRequest, form: URLSearchParams): Promise<void> {
  const result = await submitPasswordless(req.deps.secondFactor, { ctx: req.ctx, binding: ACCOUNT_BINDING, via: 'account' }, form);
  if (!result.ok) return showSignIn(req, result.status === 429 ? { error: 'locked', status: 429, retryAfterSeconds: result.retryAfterSeconds } : { error: 'passkey', status: result.status });
  await startSession(req, result.accountId, result.method);
}

/** "Sign in with another account" on the second step: forgets the pending sign-in. */
export function signInAgain(req: AccountRequest): void {
  req.deps.secondFactor.pendings.clear(req.ctx);
  redirectToAccount(req.ctx);
}
