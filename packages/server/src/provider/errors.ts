/** Error pages for browsers (JSON errors are oidc-provider's standard OAuth error bodies). */
import type { KoaContextWithOIDC, ErrorOut } from 'oidc-provider';
import { errorPage, negotiateLocale } from '../views/index.ts';

export async function renderError(ctx: KoaContextWithOIDC, out: ErrorOut, _error: Error): Promise<void> {
  const locale = negotiateLocale({ uiLocales: ctx.oidc?.params?.ui_locales as string | undefined, acceptLanguage: ctx.get('accept-language') });
  ctx.type = 'html';
  ctx.body = errorPage({
    locale,
    status: ctx.status,
    message: out.error_description ?? out.error,
    code: out.error,
    requestId: (ctx.state as { requestId?: string }).requestId,
  });
}
