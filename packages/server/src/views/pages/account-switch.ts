/**
 * "Use another account", second half: a different account has signed in during an authorization
 * request, so the account signed in to this browser until now is signed out before the request goes
 * on. One button submits oidc-provider's sign-out form (with its hidden fields), no script needed.
 */
import { html } from '../html.ts';
import type { Locale } from '../i18n/locale.ts';
import { t, tHtml } from '../i18n/t.ts';
import { page } from '../layout.ts';
import { actions } from '../components/actions.ts';
import { button } from '../components/button.ts';
import { card } from '../components/card.ts';
import { form } from '../components/form.ts';
import { hiddenField } from '../components/hidden-field.ts';

export interface AccountSwitchPageParams {
  locale: Locale;
  action: string;
  csrfToken: string;
  /** The account being signed out (its label), when known. */
  previousAccount?: string | undefined;
  /** oidc-provider's fields of the sign-out form (`xsrf`, `logout`). */
  hiddenFields: Readonly<Record<string, string>>;
}

export function accountSwitchPage(params: AccountSwitchPageParams): string {
  const { locale } = params;
  const hidden = Object.entries(params.hiddenFields).map(([name, value]) => hiddenField(name, value));
  const lead = params.previousAccount
    ? tHtml(locale, 'switch.leadAccount', { account: html`<strong>${params.previousAccount}</strong>` })
    : t(locale, 'switch.lead');
  const body = card({
    title: t(locale, 'switch.title'),
    lead,
    body: form({
      action: params.action,
      csrfToken: params.csrfToken,
      body: html`${hidden}
${actions(button({ label: t(locale, 'switch.continue') }))}`,
    }),
  });
  return page({ locale, title: t(locale, 'switch.title'), body });
}
