/**
 * "Forgot password?" pages (accounts/password-recovery.ts does the work): GET shows the form, POST
 * (with the sign-in form's token) answers with a 303 to the "check your e-mail" page — the same
 * for every login, so that a reload never sends a second message and the answer says nothing about
 * the account. Without a mail transport the page says whom to ask instead.
 */
import { forgotPasswordPage, forgotPasswordSentPage, lifetimeText } from '../../views/index.ts';
import { switchLocaleHref } from '../shared/locale.ts';
import { ACCOUNT_PATH, FORGOT_PASSWORD_PATH, type AccountRequest } from './deps.ts';

export { FORGOT_PASSWORD_PATH };
const SENT_PATH = `${FORGOT_PASSWORD_PATH}/sent`;

function render(req: AccountRequest, options: { status?: number; login?: string; error?: 'required' | 'locked'; retryAfterSeconds?: number } = {}): void {
  const { ctx, deps, locale } = req;
  ctx.status = options.status ?? 200;
  ctx.type = 'html';
  ctx.body = forgotPasswordPage({
    locale,
    action: deps.recovery.available ? `${FORGOT_PASSWORD_PATH}?lang=${locale}` : undefined,
    csrfToken: deps.formTokens.forSignIn(ctx),
    signInHref: `${ACCOUNT_PATH}?lang=${locale}`,
    login: options.login,
    error: options.error,
    retryAfterSeconds: options.retryAfterSeconds,
    switchLocaleHref: switchLocaleHref(FORGOT_PASSWORD_PATH, locale),
  });
}

export function showForgotPassword(req: AccountRequest): void {
  render(req);
}

export async function submitForgotPassword(req: AccountRequest, form: URLSearchParams): Promise<void> {
  const { ctx, deps, locale } = req;
  if (!deps.recovery.available) return render(req, { status: 404 });
  const login = (form.get('login') ?? '').trim().slice(0, 254);
  if (!login) return render(req, { status: 400, error: 'required' });
  const answer = await deps.recovery.request({ login, ip: ctx.ip, locale });
  if (!answer.ok) {
    ctx.set('Retry-After', String(answer.retryAfterSeconds));
    return render(req, { status: 429, login, error: 'locked', retryAfterSeconds: answer.retryAfterSeconds });
  }
  ctx.status = 303;
  ctx.redirect(`${SENT_PATH}?lang=${locale}`);
}

export function showForgotPasswordSent(req: AccountRequest): void {
  const { ctx, deps, locale } = req;
  ctx.type = 'html';
  ctx.body = forgotPasswordSentPage({
    locale,
    ttl: lifetimeText(locale, deps.passwordLinkTtlSeconds),
    signInHref: `${ACCOUNT_PATH}?lang=${locale}`,
    switchLocaleHref: switchLocaleHref(SENT_PATH, locale),
  });
}
