/**
 * When a different account signs in during an authorization request ("Not you? Use another
 * account" on the consent page), oidc-provider's resume step first ends the browser's current
 * session: it answers with a page that submits the sign-out form (`end_session_confirm`,
 * `logout=yes`) by an inline script and comes back to the request afterwards. Our pages carry a
 * Content-Security-Policy without inline scripts, so we answer with our own page: the same form,
 * one button, saying which account is signed out.
 */
import type { Middleware } from 'koa';
import type { KoaContextWithOIDC } from 'oidc-provider';
import { accountSwitchPage } from '../views/index.ts';
import { pageLocale } from '../web/shared/locale.ts';
import { accountLabel } from '../accounts/label.ts';
import type { AccountRepository } from '../accounts/types.ts';
import { xsrfSecret } from './seam/session.ts';

interface SwitchState {
  state?: { secret?: unknown; postLogoutRedirectUri?: unknown };
}

export function accountSwitchPageOnResume(accounts: Pick<AccountRepository, 'findById'>): Middleware {
  return async (ctx, next) => {
    await next();
    const oidcCtx = ctx as unknown as KoaContextWithOIDC;
    const oidc = oidcCtx.oidc;
    if (oidc?.route !== 'resume' || ctx.status !== 200 || !ctx.response.is('html')) return;
    const session = oidc.session as unknown as (SwitchState & { accountId?: string }) | undefined;
    if (!session?.accountId || typeof session.state?.postLogoutRedirectUri !== 'string') return;
    const account = await accounts.findById(session.accountId);
    const secret = xsrfSecret(oidcCtx);
    ctx.body = accountSwitchPage({
      locale: pageLocale(ctx, oidc.params?.ui_locales as string | undefined),
      action: oidc.urlFor('end_session_confirm'),
      csrfToken: secret,
      previousAccount: account ? accountLabel(account) : undefined,
      hiddenFields: { xsrf: secret, logout: 'yes' },
    });
  };
}
