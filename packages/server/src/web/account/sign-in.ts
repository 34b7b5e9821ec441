/**
 * Sign-in on the account pages (when the browser has no session): the same page and the same
 * generic failure message as the authorize flow's; success starts a provider session and 303s to
 * `/account`. The audit log records the attempt without the login or password typed.
 */
import { loginPage, t, type LoginError } from '../../views/index.ts';
import { switchLocaleHref } from '../shared/locale.ts';
import { ACCOUNT_PATH, redirectToAccount, type AccountRequest } from './deps.ts';

/** Confirmations shown on the sign-in page after a 303 (`?done=`). */
const SIGNED_OUT_NOTICES = { signed_out_everywhere: 'account.done.signed_out_everywhere', signed_out: 'account.done.signed_out' } as const;

export function showSignIn(req: AccountRequest, options: { error?: LoginError; loginHint?: string; status?: number; retryAfterSeconds?: number } = {}): void {
  const { ctx, deps, locale } = req;
  const done = ctx.query.done;
  const notice = typeof done === 'string' && Object.hasOwn(SIGNED_OUT_NOTICES, done) ? SIGNED_OUT_NOTICES[done as keyof typeof SIGNED_OUT_NOTICES] : undefined;
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
  });
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
  await deps.sessions.start(ctx, result.account.id);
  redirectToAccount(ctx);
}
