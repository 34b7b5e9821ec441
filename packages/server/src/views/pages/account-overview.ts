/**
 * The account page (`/account`): who is signed in, the applications holding access (revoke each),
 * password change, and sign out everywhere — one card, every form with the session's CSRF token.
 */
import { html } from '../html.ts';
import type { Locale } from '../i18n/locale.ts';
import { t, tHtml } from '../i18n/t.ts';
import { page } from '../layout.ts';
import { card } from '../components/card.ts';
import { notice } from '../components/notice.ts';
import { accountApplicationsSection, type AccountApplication } from './account-applications.ts';
import { accountPasswordSection, type AccountPasswordSectionParams } from './account-password.ts';
import { accountSignOutSection, type AccountSignOutSectionParams } from './account-sign-out.ts';
import { accountTwoStepSection, type FactorSummaryView } from './account-two-step.ts';

/** What the previous POST did (shown once, after its 303). */
export type AccountNotice = 'revoked' | 'password_changed';

export interface AccountPageParams {
  locale: Locale;
  csrfToken: string;
  /** Who is signed in: name and login. */
  accountLabel: string;
  applications: readonly AccountApplication[];
  password: Omit<AccountPasswordSectionParams, 'csrfToken'>;
  signOut: Omit<AccountSignOutSectionParams, 'csrfToken'>;
  /** Two-step verification: what is on, and where it is managed. */
  twoStep?: { summary: FactorSummaryView; href: string } | undefined;
  notice?: AccountNotice | undefined;
  switchLocaleHref?: string | undefined;
}

function doneNotice(locale: Locale, done: AccountNotice | undefined) {
  if (done === 'revoked') return notice({ kind: 'success', body: t(locale, 'account.done.revoked') });
  if (done === 'password_changed') {
    return notice({ kind: 'success', title: t(locale, 'account.done.password_changed.title'), body: t(locale, 'account.done.password_changed') });
  }
  return '';
}

/** Renders the account page. */
export function accountPage(params: AccountPageParams): string {
  const { locale, csrfToken } = params;
  const body = card({
    title: t(locale, 'account.title'),
    body: html`<p class="account-chip">${tHtml(locale, 'account.signedInAs', { account: html`<strong>${params.accountLabel}</strong>` })}</p>
${doneNotice(locale, params.notice)}
${accountApplicationsSection(locale, params.applications)}
${params.twoStep ? accountTwoStepSection(locale, params.twoStep.summary, params.twoStep.href) : ''}
${accountPasswordSection(locale, { ...params.password, csrfToken })}
${accountSignOutSection(locale, { ...params.signOut, csrfToken })}`,
  });
  return page({ locale, title: t(locale, 'account.title'), body, width: 'wide', switchLocaleHref: params.switchLocaleHref });
}
