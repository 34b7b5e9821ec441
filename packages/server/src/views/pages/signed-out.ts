/**
 * Shown after logout when no post-logout redirect applies: the session has ended, the window may be
 * closed; "Sign in again" leads to the account's sign-in, and the account page (applications with
 * access, password, two-step verification) is named as what comes after it.
 */
import { html } from '../html.ts';
import type { Locale } from '../i18n/locale.ts';
import { t, tHtml } from '../i18n/t.ts';
import { page } from '../layout.ts';
import { actions } from '../components/actions.ts';
import { linkButton } from '../components/button.ts';
import { card } from '../components/card.ts';
import { safeUrl } from '../url.ts';

export interface SignedOutPageParams {
  locale: Locale;
  /** The account pages (`/account`): sign in again there, then see the account. */
  accountHref?: string | undefined;
  switchLocaleHref?: string | undefined;
}

/** Renders the "you have signed out" page. */
export function signedOutPage(params: SignedOutPageParams): string {
  const { locale } = params;
  const next = params.accountHref
    ? html`${actions(linkButton({ label: t(locale, 'signedOut.signIn'), href: params.accountHref, variant: 'primary' }))}
<p class="card__note">${tHtml(locale, 'signedOut.account', { account: html`<a href="${safeUrl(params.accountHref)}">${t(locale, 'signedOut.accountLink')}</a>` })}</p>`
    : '';
  const body = card({ tone: 'success', title: t(locale, 'signedOut.title'), lead: t(locale, 'signedOut.message'), body: next });
  return page({ locale, title: t(locale, 'signedOut.title'), body, switchLocaleHref: params.switchLocaleHref });
}
