/**
 * Error pages for browsers (JSON errors are oidc-provider's standard OAuth error bodies), drawn by the
 * one refusal renderer (web/shared/refusal.ts) in the page language. When the
 * request cannot be sent back to the application (unknown client, unregistered redirect or
 * post-logout redirect URI), the person gets one plain sentence in their language and a way back;
 * the client id and the rejected URI go into a collapsed block for the application's developers.
 */
import type { KoaContextWithOIDC, ErrorOut } from 'oidc-provider';
import { ACCOUNT_PATH } from '../web/account/deps.ts';
import { t } from '../views/index.ts';
import { pageLocale } from '../web/shared/locale.ts';
import { renderErrorPage } from '../web/shared/refusal.ts';
import type { Locale } from '../views/i18n/locale.ts';

/** Errors after which nothing can be sent to the application, with the sentence the person reads. */
const UNDELIVERABLE = {
  invalid_client: 'error.authorize.invalid_client',
  invalid_redirect_uri: 'error.authorize.invalid_redirect_uri',
} as const;

function isUndeliverable(code: string): code is keyof typeof UNDELIVERABLE {
  return Object.hasOwn(UNDELIVERABLE, code);
}

function param(ctx: KoaContextWithOIDC, name: string): string | undefined {
  const value: unknown = ctx.oidc?.params?.[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function developerDetails(ctx: KoaContextWithOIDC, locale: Locale): Array<{ label: string; value: string }> {
  const rows: Array<{ label: string; value: string }> = [];
  const clientId = param(ctx, 'client_id');
  if (clientId) rows.push({ label: t(locale, 'error.clientId'), value: clientId });
  const uri = param(ctx, 'redirect_uri') ?? param(ctx, 'post_logout_redirect_uri');
  if (uri) rows.push({ label: t(locale, 'error.redirectUri'), value: uri });
  return rows;
}

/** Sign-out refused because its post_logout_redirect_uri is not one the (known) client registered: an unregistered redirect, too. */
function unregisteredPostLogoutUri(ctx: KoaContextWithOIDC, code: string): boolean {
  const uri = param(ctx, 'post_logout_redirect_uri');
  const client = ctx.oidc?.client;
  return code === 'invalid_request' && ctx.oidc?.route === 'end_session' && uri !== undefined && client !== undefined && !client.postLogoutRedirectUriAllowed(uri);
}

export async function renderError(ctx: KoaContextWithOIDC, out: ErrorOut, _error: Error): Promise<void> {
  const locale = pageLocale(ctx, param(ctx, 'ui_locales'));
  const reason = isUndeliverable(out.error) ? out.error : unregisteredPostLogoutUri(ctx, out.error) ? 'invalid_redirect_uri' : undefined;
  if (reason) {
    renderErrorPage(ctx, {
      locale,
      status: ctx.status,
      title: t(locale, 'error.authorize.title'),
      message: t(locale, UNDELIVERABLE[reason]),
      code: out.error,
      homeHref: ACCOUNT_PATH,
      developerDetails: developerDetails(ctx, locale),
    });
    return;
  }
  renderErrorPage(ctx, { locale, status: ctx.status, message: out.error_description ?? out.error, code: out.error });
}
