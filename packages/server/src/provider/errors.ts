/**
 * Error pages for browsers (JSON errors are oidc-provider's standard OAuth error bodies). The person
 * reads one plain sentence in their language and a way on (their Propusk account); what
 * oidc-provider says in English, with the client id and the rejected redirect_uri, goes in a
 * collapsed block for the application's developers. Everything is escaped by the templates.
 */
import type { KoaContextWithOIDC, ErrorOut } from 'oidc-provider';
import { errorPage, isMessageKey, negotiateLocale, t, type Locale } from '../views/index.ts';
import { ACCOUNT_PATH } from '../account/deps.ts';

/** Longest parameter value shown to developers (the rest is cut). */
const MAX_SHOWN = 500;
const shown = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? (value.length > MAX_SHOWN ? `${value.slice(0, MAX_SHOWN)}…` : value) : undefined);

function text(locale: Locale, error: string, part: 'title' | 'message'): string | undefined {
  const key = `error.oauth.${error}.${part}`;
  if (isMessageKey(key)) return t(locale, key);
  return part === 'message' ? t(locale, 'error.oauth.default.message') : undefined;
}

export async function renderError(ctx: KoaContextWithOIDC, out: ErrorOut, _error: Error): Promise<void> {
  const params = (ctx.oidc?.params ?? {}) as Record<string, unknown>;
  const locale = negotiateLocale({ uiLocales: params.ui_locales as string | undefined, acceptLanguage: ctx.get('accept-language') });
  const details = [
    { label: t(locale, 'error.detail.error'), value: out.error },
    ...(out.error_description ? [{ label: t(locale, 'error.detail.description'), value: out.error_description }] : []),
    ...(shown(params.client_id) ? [{ label: t(locale, 'error.detail.clientId'), value: shown(params.client_id)! }] : []),
    ...(shown(params.redirect_uri) ? [{ label: t(locale, 'error.detail.redirectUri'), value: shown(params.redirect_uri)! }] : []),
  ];
  ctx.type = 'html';
  ctx.body = errorPage({
    locale,
    status: ctx.status,
    title: text(locale, out.error, 'title'),
    message: text(locale, out.error, 'message')!,
    code: out.error,
    requestId: (ctx.state as { requestId?: string }).requestId,
    homeHref: ACCOUNT_PATH,
    homeLabel: t(locale, 'error.oauth.account'),
    developerDetails: details,
  });
}
