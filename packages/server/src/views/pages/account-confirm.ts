/**
 * A confirmation before an account change that cannot be undone (revoking an application's access,
 * signing out everywhere): it says what ends, in a list, then one form with the action and a link
 * back. Nothing is focused: the person reads first.
 */
import { html, type HtmlValue } from '../html.ts';
import type { Locale } from '../i18n/locale.ts';
import { t } from '../i18n/t.ts';
import { page } from '../layout.ts';
import { actions } from '../components/actions.ts';
import { button, linkButton } from '../components/button.ts';
import { card } from '../components/card.ts';
import { form } from '../components/form.ts';

export interface AccountConfirmPageParams {
  locale: Locale;
  title: string;
  lead: HtmlValue;
  /** What ends, one item each. */
  consequences: readonly HtmlValue[];
  /** POST target of the confirming form (with the session's CSRF token). */
  action: string;
  csrfToken: string;
  confirmLabel: string;
  /** Where "Cancel" goes (the account page). */
  cancelHref: string;
  switchLocaleHref?: string | undefined;
}

export function accountConfirmPage(params: AccountConfirmPageParams): string {
  const { locale } = params;
  const body = card({
    title: params.title,
    lead: params.lead,
    body: html`<ul class="consequences" data-consequences>${params.consequences.map((c) => html`<li>${c}</li>`)}</ul>
${form({
  action: params.action,
  csrfToken: params.csrfToken,
  body: actions(button({ label: params.confirmLabel, variant: 'danger', name: 'confirm', value: 'yes' }), linkButton({ label: t(locale, 'account.confirm.cancel'), href: params.cancelHref })),
})}`,
  });
  return page({ locale, title: params.title, body, switchLocaleHref: params.switchLocaleHref });
}
