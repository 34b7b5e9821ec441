/** The "Sign out everywhere" section of the account page, and the quieter "sign out on this device". */
import { html, type SafeHtml } from '../html.ts';
import type { Locale } from '../i18n/locale.ts';
import { t } from '../i18n/t.ts';
import { actions } from '../components/actions.ts';
import { button, linkButton } from '../components/button.ts';
import { form } from '../components/form.ts';

export interface AccountSignOutSectionParams {
  csrfToken: string;
  /** "Sign out everywhere": its confirmation page, which says what ends. */
  everywhereHref: string;
  /** POST target of "Sign out on this device". */
  signOutAction: string;
}

/** Renders the section. */
export function accountSignOutSection(locale: Locale, params: AccountSignOutSectionParams): SafeHtml {
  return html`<section class="account-section" aria-labelledby="everywhere-title">
<h2 class="section-title" id="everywhere-title">${t(locale, 'account.everywhere.heading')}</h2>
<p class="card__lead">${t(locale, 'account.everywhere.lead')}</p>
${actions(linkButton({ label: t(locale, 'account.everywhere.submit'), href: params.everywhereHref, variant: 'danger' }))}
${form({ action: params.signOutAction, csrfToken: params.csrfToken, className: 'form--secondary', label: t(locale, 'account.signOut'), body: actions(button({ label: t(locale, 'account.signOut'), variant: 'quiet' })) })}
</section>`;
}
