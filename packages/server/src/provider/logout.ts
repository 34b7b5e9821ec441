/**
 * RP-initiated logout pages (`/connect/endsession`): the "Sign out?" confirmation and the
 * signed-out page, rendered from views. oidc-provider checks the form's `xsrf` secret and the
 * registered post_logout_redirect_uri; the confirmation also carries it as our usual `csrf` field.
 */
import type { Middleware } from 'koa';
import type { KoaContextWithOIDC } from 'oidc-provider';
import { logoutConfirmPage, signedOutPage } from '../views/index.ts';
import { pageLocale, switchLocaleHref } from '../web/shared/locale.ts';
import { xsrfSecret } from './seam/session.ts';
import { ACCOUNT_PATH } from '../web/account/deps.ts';

export async function logoutSource(ctx: KoaContextWithOIDC, _form: string): Promise<void> {
  const secret = xsrfSecret(ctx);
  const locale = pageLocale(ctx, ctx.oidc.params?.ui_locales as string | undefined);
  const client = ctx.oidc.client;
  ctx.type = 'html';
  ctx.body = logoutConfirmPage({
    locale,
    action: ctx.oidc.urlFor('end_session_confirm'),
    csrfToken: secret,
    clientName: client ? (client.clientName ?? client.clientId) : undefined,
    hiddenFields: { xsrf: secret },
    // A GET request can be repeated in the other language (a POST cannot: no link then).
    switchLocaleHref: ctx.method === 'GET' ? switchLocaleHref(ctx.path, locale, ctx.querystring) : undefined,
  });
}

export async function postLogoutSuccessSource(ctx: KoaContextWithOIDC): Promise<void> {
  const locale = pageLocale(ctx);
  ctx.type = 'html';
  ctx.body = signedOutPage({
    locale,
    accountHref: `${ACCOUNT_PATH}?lang=${locale}`,
    // The page is a GET of its own (end_session_success): it can be opened in the other language.
    switchLocaleHref: ctx.method === 'GET' ? switchLocaleHref(ctx.path, locale) : undefined,
  });
}

/**
 * Without a session, oidc-provider answers /connect/endsession with a page that submits itself
 * through an inline script — which our Content-Security-Policy blocks, leaving a blank page. We
 * show the same confirmation page instead (one click, no script needed).
 */
export function logoutWithoutSession(endSessionPath: string): Middleware {
  return async (ctx, next) => {
    await next();
    const oidcCtx = ctx as unknown as KoaContextWithOIDC;
    if (ctx.path !== endSessionPath || ctx.status !== 200 || !ctx.response.is('html')) return;
    if (!oidcCtx.oidc?.session || oidcCtx.oidc.session.accountId) return;
    await logoutSource(oidcCtx, '');
  };
}
