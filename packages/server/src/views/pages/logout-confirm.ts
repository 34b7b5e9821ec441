/** RP-initiated logout confirmation ("Sign out?"): yes/no in one form that also carries the provider's hidden fields. */
import { html } from '../html.ts';
import type { Locale } from '../i18n/locale.ts';
import { t, tHtml } from '../i18n/t.ts';
import { page } from '../layout.ts';
import { actions } from '../components/actions.ts';
import { button } from '../components/button.ts';
import { card } from '../components/card.ts';
import { form } from '../components/form.ts';
import { hiddenField } from '../components/hidden-field.ts';

export interface LogoutConfirmPageParams {
  locale: Locale;
  action: string;
  csrfToken: string;
  /** The application asking to end the session, when known. */
  clientName?: string | undefined;
  /** Rendered as hidden inputs (e.g. oidc-provider's `xsrf`). */
  hiddenFields: Readonly<Record<string, string>>;
  switchLocaleHref?: string | undefined;
}

/**
 * Renders the logout confirmation. "Yes" submits `logout=yes`; "No" submits without a `logout` field
 * (oidc-provider's convention: any `logout` value means sign out).
 */
export function logoutConfirmPage(params: LogoutConfirmPageParams): string {
  const { locale } = params;
  const hidden = Object.entries(params.hiddenFields).map(([name, value]) => hiddenField(name, value));
  const lead = params.clientName
    ? tHtml(locale, 'logout.leadClient', { client: html`<strong class="client-name">${params.clientName}</strong>` })
    : t(locale, 'logout.lead');
  const body = card({
    title: t(locale, 'logout.title'),
    lead,
    body: form({
      action: params.action,
      csrfToken: params.csrfToken,
      body: html`${hidden}
${actions(
  button({ label: t(locale, 'logout.yes'), name: 'logout', value: 'yes', autofocus: true }),
  button({ label: t(locale, 'logout.no'), variant: 'secondary' }),
)}`,
    }),
  });
  return page({ locale, title: t(locale, 'logout.title'), body, switchLocaleHref: params.switchLocaleHref });
}
