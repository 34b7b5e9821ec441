/** The interaction routes' error pages: expired or unknown interaction, refused CSRF token, unreadable form. */
import type { Context } from 'koa';
import { errorPage, t, type Locale } from '../../views/index.ts';

/** An HTML error page for browsers; a JSON error for clients that prefer JSON (as http/errors.ts does). */
function render(ctx: Context, locale: Locale, status: number, code: string, message: string, title?: string): void {
  ctx.status = status;
  if (ctx.accepts('json', 'html') === 'html') {
    ctx.type = 'html';
    ctx.body = errorPage({ locale, status, title, message, code, requestId: ctx.state.requestId as string | undefined });
  } else {
    ctx.body = { error: code, error_description: message };
  }
}

/** 400: the interaction is not (or no longer) there; the user has to start again at the application. */
export function interactionExpired(ctx: Context, locale: Locale): void {
  render(ctx, locale, 400, 'ERR_INTERACTION_EXPIRED', t(locale, 'interaction.expired.message'), t(locale, 'interaction.expired.title'));
}

/** 403: the form's CSRF token is missing or does not belong to this interaction. */
export function csrfRefused(ctx: Context, locale: Locale): void {
  render(ctx, locale, 403, 'ERR_CSRF_TOKEN_INVALID', t(locale, 'interaction.csrf.message'));
}

/** 413/415: the form body is too large or not urlencoded. */
export function formRefused(ctx: Context, locale: Locale, status: number, code: string): void {
  render(ctx, locale, status, code, t(locale, 'interaction.form.message'));
}
