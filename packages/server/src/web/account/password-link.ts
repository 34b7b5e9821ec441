/**
 * The page of a one-time set-password link, `/account/set-password/<token>` (the use case is
 * PasswordLinkService, accounts/password-links.ts): GET shows the account's login and the form, POST
 * sets the password and answers a page that says so. A password the rules refuse re-renders the
 * form (400) and the link keeps working; an unknown link is 404, an expired or used one 410. The
 * form is shown before any sign-in, so its token is the `sign-in` binding (web/shared/form-tokens.ts).
 *
 * The token is in the path: these answers are `no-store` and send no referrer, and the access log
 * prints the path without it (http/access-log.ts). Unknown links are counted per client IP address;
 * past the limit the page answers 429 before any lookup.
 */
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from '../../accounts/passwords.ts';
import { passwordLinkPath, type PasswordLinkRefusal } from '../../accounts/password-links.ts';
import { passwordLinkDonePage, passwordLinkPage, type PasswordLinkError } from '../../views/index.ts';
import { switchLocaleHref } from '../shared/locale.ts';
import { REFUSALS, refuse } from '../shared/refusal.ts';
import { ACCOUNT_PATH, type AccountRequest } from './deps.ts';

/** Unknown set-password links accepted from one client IP address per window (the limit of guessing). */
export const PASSWORD_LINK_GUESSES = { name: 'password-link-ip', attempts: 20, windowSeconds: 900 } as const;

const GONE = { unknown: REFUSALS.passwordLinkUnknown, expired: REFUSALS.passwordLinkExpired, used: REFUSALS.passwordLinkUsed } as const;

/** False after answering 429 when this client IP address has opened too many unknown links. */
async function underGuessLimit(req: AccountRequest): Promise<boolean> {
  const { ctx, deps, locale } = req;
  ctx.set('Cache-Control', 'no-store');
  ctx.set('Referrer-Policy', 'no-referrer');
  const wait = await deps.passwordLinkGuesses.blockedFor(ctx.ip);
  if (wait === 0) return true;
  ctx.set('Retry-After', String(wait));
  refuse(ctx, REFUSALS.tooManyPasswordLinks, { locale, params: { minutes: Math.max(1, Math.ceil(wait / 60)) } });
  return false;
}

/** Answers why the link cannot be used; an unknown one counts against the client IP address. */
async function gone(req: AccountRequest, refusal: PasswordLinkRefusal): Promise<void> {
  if (refusal === 'unknown') await req.deps.passwordLinkGuesses.recordFailure(req.ctx.ip);
  refuse(req.ctx, GONE[refusal], { locale: req.locale, homeHref: ACCOUNT_PATH });
}

function show(req: AccountRequest, token: string, login: string, error?: PasswordLinkError): void {
  const { ctx, deps, locale } = req;
  const path = passwordLinkPath(token);
  ctx.status = error ? 400 : 200;
  ctx.type = 'html';
  ctx.body = passwordLinkPage({
    locale,
    login,
    action: `${path}?lang=${locale}`,
    csrfToken: deps.formTokens.forSignIn(ctx),
    minLength: MIN_PASSWORD_LENGTH,
    maxLength: MAX_PASSWORD_LENGTH,
    error,
    switchLocaleHref: switchLocaleHref(path, locale),
  });
}

/** GET /account/set-password/:token */
export async function showPasswordLink(req: AccountRequest, token: string): Promise<void> {
  if (!(await underGuessLimit(req))) return;
  const found = await req.deps.passwordLinks.inspect(token);
  if (!found.ok) return gone(req, found.refusal);
  show(req, token, found.login);
}

/** POST /account/set-password/:token (its form token already checked). */
export async function submitPasswordLink(req: AccountRequest, token: string, form: URLSearchParams): Promise<void> {
  if (!(await underGuessLimit(req))) return;
  const outcome = await req.deps.passwordLinks.consume(token, form.get('new_password') ?? '', form.get('confirm_password') ?? '');
  if (outcome.ok) {
    req.ctx.status = 200;
    req.ctx.type = 'html';
    req.ctx.body = passwordLinkDonePage({ locale: req.locale, accountHref: ACCOUNT_PATH });
    return;
  }
  if ('login' in outcome) return show(req, token, outcome.login, outcome.refusal);
  return gone(req, outcome.refusal);
}
