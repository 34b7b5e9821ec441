/** Error pages of the account routes: refused CSRF token, unreadable form, a grant that is not the account's. */
import type { Context } from 'koa';
import { errorPage, t, type Locale, type MessageKey } from '../../views/index.ts';
import { ACCOUNT_PATH } from './deps.ts';

/** An HTML error page for browsers; a JSON error for clients that prefer JSON (as http/errors.ts does). */
function render(ctx: Context, locale: Locale, status: number, code: string, message: MessageKey): void {
  ctx.status = status;
  if (ctx.accepts('json', 'html') === 'html') {
    ctx.type = 'html';
    ctx.body = errorPage({ locale, status, message: t(locale, message), code, requestId: ctx.state.requestId as string | undefined, homeHref: ACCOUNT_PATH });
  } else {
    ctx.body = { error: code, error_description: t('en', message) };
  }
}

/** 403: the form's CSRF token is missing or not this session's. Nothing was changed. */
export function csrfRefused(ctx: Context, locale: Locale): void {
  render(ctx, locale, 403, 'ERR_CSRF_TOKEN_INVALID', 'account.csrf.message');
}

/** 413/415: the form body is too large or not urlencoded. */
export function formRefused(ctx: Context, locale: Locale, status: number, code: string): void {
  render(ctx, locale, status, code, 'interaction.form.message');
}

/** 404: no application with access to this account by that client id (another account's application is not told apart from a missing one). */
export function applicationNotFound(ctx: Context, locale: Locale): void {
  render(ctx, locale, 404, 'ERR_NOT_FOUND', 'account.revoke.notFound');
}
