/**
 * The one way a request of ours is refused: an HTML error page for a browser (in the page's
 * language: the switch's choice, then `Accept-Language`), a JSON error `{ error, error_description }`
 * for a client that prefers JSON (`error_description` in English, for logs and developers). A page's
 * refusal is HTML unless the client prefers JSON; an API's error is JSON unless it prefers HTML. Both
 * carry the same code, and every refusal of a page is named once in `REFUSALS`, so a code means one
 * thing on every surface. The request id is on the page for support.
 */
import type { Context } from 'koa';
import { errorPage, t, type ErrorPageParams, type Locale, type MessageKey, type MessageParams } from '../../views/index.ts';
import { pageLocale } from './locale.ts';

export interface Refusal {
  status: number;
  /** `error` of the JSON answer, and the code at the bottom of the page. */
  code: string;
  message: MessageKey;
  title?: MessageKey;
}

/** Every named refusal of our pages. */
export const REFUSALS = {
  /** The form token is missing or not this session's (or interaction's, or sign-in binding's). Nothing was changed. */
  formToken: { status: 403, code: 'ERR_CSRF_TOKEN_INVALID', message: 'account.csrf.message' },
  /** The sign-in or consent form's token does not belong to its interaction: the user starts again at the application. */
  interactionFormToken: { status: 403, code: 'ERR_CSRF_TOKEN_INVALID', message: 'interaction.csrf.message' },
  /** The interaction is not (or no longer) there. */
  interactionExpired: { status: 400, code: 'ERR_INTERACTION_EXPIRED', message: 'interaction.expired.message', title: 'interaction.expired.title' },
  /** No application with access to this account by that client id (another account's application is not told apart from a missing one). */
  applicationNotFound: { status: 404, code: 'not_found', message: 'account.revoke.notFound' },
  /** An application that does not exist, or that the account does not own: no hint which. */
  clientNotFound: { status: 404, code: 'not_found', message: 'integrations.notFound.message' },
  invitationUnknown: { status: 404, code: 'ERR_INVITATION_UNKNOWN', message: 'integrations.gone.unknown.message', title: 'integrations.gone.unknown.title' },
  invitationExpired: { status: 410, code: 'ERR_INVITATION_EXPIRED', message: 'integrations.gone.expired.message', title: 'integrations.gone.expired.title' },
  invitationUsed: { status: 410, code: 'ERR_INVITATION_USED', message: 'integrations.gone.used.message', title: 'integrations.gone.used.title' },
  passwordLinkUnknown: { status: 404, code: 'ERR_PASSWORD_LINK_UNKNOWN', message: 'passwordLink.gone.unknown.message', title: 'passwordLink.gone.unknown.title' },
  passwordLinkExpired: { status: 410, code: 'ERR_PASSWORD_LINK_EXPIRED', message: 'passwordLink.gone.expired.message', title: 'passwordLink.gone.expired.title' },
  passwordLinkUsed: { status: 410, code: 'ERR_PASSWORD_LINK_USED', message: 'passwordLink.gone.used.message', title: 'passwordLink.gone.used.title' },
  /** Too many unknown set-password links from this IP address (`minutes` until the next try). */
  tooManyPasswordLinks: { status: 429, code: 'too_many_attempts', message: 'passwordLink.tooMany.message', title: 'passwordLink.tooMany.title' },
  /** The one-time secret of this page was shown and the person has left it, or it is too old. */
  secretShown: { status: 410, code: 'secret_shown', message: 'integrations.secretGone.message', title: 'integrations.secretGone.title' },
  /** The console's sign-in callback without the sign-in this browser started (wrong or missing state, an error from the provider, a failed code exchange). */
  consoleSignIn: { status: 400, code: 'ERR_CONSOLE_SIGN_IN', message: 'console.signInFailed.message', title: 'console.signInFailed.title' },
  /** Too many wrong device codes from this IP address or browser (`minutes` until the next try). */
  tooManyDeviceCodes: { status: 429, code: 'too_many_attempts', message: 'device.tooMany.message', title: 'device.tooMany.title' },
} as const satisfies Record<string, Refusal>;

/** A form body that is too large (413) or not urlencoded (415): its status and code come from the body reader. */
export const formBodyRefusal = (status: number, code: string): Refusal => ({ status, code, message: 'interaction.form.message' });

export interface RefusalOptions {
  /** The page's language, when the surface has already chosen it (e.g. from the client's `ui_locales`). */
  locale?: Locale | undefined;
  params?: MessageParams | undefined;
  /** A "back" link on the page. */
  homeHref?: string | undefined;
  /** Its text, when not "back to the home page". */
  homeLabel?: string | undefined;
}

/** Answers the request with `refusal`. */
export function refuse(ctx: Context, refusal: Refusal, options: RefusalOptions = {}): void {
  const locale = options.locale ?? pageLocale(ctx);
  respond(ctx, 'html', {
    status: refusal.status,
    code: refusal.code,
    locale,
    message: t(locale, refusal.message, options.params),
    description: t('en', refusal.message, options.params),
    title: refusal.title && t(locale, refusal.title, options.params),
    homeHref: options.homeHref,
    homeLabel: options.homeLabel,
  });
}

/** Answers with an error whose text is not a page message (an OAuth-style error of our APIs, an unexpected failure): the page shows the English description. */
export function refuseWithDescription(ctx: Context, status: number, code: string, description: string): void {
  respond(ctx, 'json', { status, code, locale: pageLocale(ctx), message: description, description });
}

/** The error page of a refusal (also for oidc-provider's own HTML errors, provider/errors.ts): the request id is added here. */
export function renderErrorPage(ctx: Context, params: Omit<ErrorPageParams, 'requestId'>): void {
  ctx.type = 'html';
  ctx.body = errorPage({ ...params, requestId: ctx.state.requestId as string | undefined });
}

function respond(
  ctx: Context,
  byDefault: 'html' | 'json',
  r: { status: number; code: string; locale: Locale; message: string; description: string; title?: string | undefined; homeHref?: string | undefined; homeLabel?: string | undefined },
): void {
  ctx.status = r.status;
  const html = byDefault === 'html' ? ctx.accepts('html', 'json') === 'html' : ctx.accepts('json', 'html') === 'html';
  if (html) {
    renderErrorPage(ctx, { locale: r.locale, status: r.status, title: r.title, message: r.message, code: r.code, homeHref: r.homeHref, homeLabel: r.homeLabel });
  } else {
    ctx.body = { error: r.code, error_description: r.description };
  }
}
