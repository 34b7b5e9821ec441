/**
 * The page an invitation link opens: which application, for whom, until when; then either
 * "Accept invitation" (signed in) or a sign-in form and — when the invitation allows it — a
 * sign-up form. Errors are generic for sign-in (never whether an account exists).
 */
import { html } from '../html.ts';
import type { Locale } from '../i18n/locale.ts';
import { t, tHtml } from '../i18n/t.ts';
import { page } from '../layout.ts';
import { actions } from '../components/actions.ts';
import { button } from '../components/button.ts';
import { card } from '../components/card.ts';
import { form } from '../components/form.ts';
import { formField } from '../components/form-field.ts';
import { notice } from '../components/notice.ts';
import { loginErrorText, type LoginError } from './login.ts';
import { detailList, formatDate, portalHeader } from './integrations-common.ts';

export type SignUpError = 'email' | 'password' | 'exists' | 'wrongEmail';

export interface IntegrationInvitationPageParams {
  locale: Locale;
  csrfToken: string;
  switchLocaleHref?: string | undefined;
  clientName: string;
  clientId: string;
  /** Who the invitation is for; null when anyone with the link may accept it. */
  email: string | null;
  expiresAt: Date;
  /** The signed-in account's login; absent when nobody is signed in. */
  account?: string | undefined;
  /** False when the signed-in account is not the one the invitation names. */
  accountMatches?: boolean | undefined;
  acceptAction: string;
  signInAction: string;
  /** Present only when the invitation allows creating an account. */
  signUpAction?: string | undefined;
  /** Signs out and comes back here ("Use another account"). */
  switchAccountAction: string;
  signInError?: LoginError | undefined;
  /** With `signInError: 'locked'`: seconds until the next attempt. */
  signInRetryAfterSeconds?: number | undefined;
  login?: string | undefined;
  signUpError?: SignUpError | undefined;
  signUpEmail?: string | undefined;
  minPasswordLength: number;
}

export function integrationInvitationPage(params: IntegrationInvitationPageParams): string {
  const { locale } = params;
  const facts = detailList([
    [t(locale, 'integrations.col.clientId'), html`<code>${params.clientId}</code>`],
    [t(locale, 'integrations.invitation.for'), params.email ?? t(locale, 'integrations.invitation.anyone')],
    [t(locale, 'integrations.invitation.expires'), formatDate(locale, params.expiresAt)],
  ]);
  const switchAccount = form({
    action: params.switchAccountAction,
    csrfToken: params.csrfToken,
    className: 'form--secondary',
    body: actions(button({ label: t(locale, 'integrations.invitation.otherAccount'), variant: 'quiet' })),
  });

  let content;
  if (params.account !== undefined) {
    content = html`<p class="account-chip">${tHtml(locale, 'integrations.signedInAs', { account: html`<strong>${params.account}</strong>` })}</p>
${
  params.accountMatches === false
    ? notice({ kind: 'error', body: t(locale, 'integrations.invitation.wrongAccount', { email: params.email ?? '' }) })
    : form({ action: params.acceptAction, csrfToken: params.csrfToken, body: actions(button({ label: t(locale, 'integrations.invitation.accept'), autofocus: true })) })
}
${switchAccount}`;
  } else {
    const signInErrorId = 'signin-error';
    const signInInvalid = params.signInError === 'invalid_credentials' || params.signInError === 'required';
    const signIn = html`<h2 class="section-title">${t(locale, 'integrations.invitation.signInHeading')}</h2>
${form({
  action: params.signInAction,
  csrfToken: params.csrfToken,
  label: t(locale, 'integrations.invitation.signInHeading'),
  body: html`${params.signInError ? notice({ kind: 'error', id: signInErrorId, body: loginErrorText(locale, params.signInError, params.signInRetryAfterSeconds) }) : ''}
${formField({ id: 'login', name: 'login', label: t(locale, 'login.field.login'), value: params.login ?? params.email ?? undefined, autocomplete: 'username', autocapitalize: 'none', spellcheck: false, required: true, invalid: signInInvalid, describedBy: params.signInError ? [signInErrorId] : [], maxLength: 254 })}
${formField({ id: 'password', name: 'password', type: 'password', label: t(locale, 'login.field.password'), autocomplete: 'current-password', required: true, invalid: signInInvalid, describedBy: params.signInError ? [signInErrorId] : [], maxLength: 1024 })}
${actions(button({ label: t(locale, 'login.submit') }))}`,
})}`;
    const signUpErrorText = params.signUpError
      ? params.signUpError === 'password'
        ? t(locale, 'integrations.signUp.error.password', { min: params.minPasswordLength })
        : t(locale, `integrations.signUp.error.${params.signUpError}`)
      : undefined;
    const signUp = params.signUpAction
      ? html`<h2 class="section-title">${t(locale, 'integrations.invitation.signUpHeading')}</h2>
${form({
  action: params.signUpAction,
  csrfToken: params.csrfToken,
  label: t(locale, 'integrations.invitation.signUpHeading'),
  body: html`${signUpErrorText ? notice({ kind: 'error', id: 'signup-error', body: signUpErrorText }) : ''}
${formField({ id: 'signup-email', name: 'email', type: 'email', label: t(locale, 'integrations.invitation.signUpEmail'), value: params.signUpEmail ?? params.email ?? undefined, autocomplete: 'email', autocapitalize: 'none', spellcheck: false, required: true, invalid: params.signUpError === 'email' || params.signUpError === 'exists' || params.signUpError === 'wrongEmail', describedBy: signUpErrorText ? ['signup-error'] : [], maxLength: 254 })}
${formField({ id: 'signup-password', name: 'password', type: 'password', label: t(locale, 'integrations.invitation.signUpPassword'), hint: t(locale, 'integrations.invitation.signUpPasswordHint', { min: params.minPasswordLength }), autocomplete: 'new-password', required: true, minLength: params.minPasswordLength, invalid: params.signUpError === 'password', describedBy: signUpErrorText ? ['signup-error'] : [], maxLength: 256 })}
${actions(button({ label: t(locale, 'integrations.invitation.signUp'), variant: 'secondary' }))}`,
})}`
      : '';
    content = html`${signIn}
${signUp}`;
  }

  const body = card({
    tone: 'info',
    title: t(locale, 'integrations.invitation.title'),
    lead: tHtml(locale, 'integrations.invitation.lead', { client: html`<strong class="client-name">${params.clientName}</strong>` }),
    body: html`${facts}
${content}`,
  });
  return page({
    locale,
    title: t(locale, 'integrations.invitation.title'),
    body,
    switchLocaleHref: params.switchLocaleHref,
    headerExtra: params.account !== undefined ? portalHeader({ locale, account: params.account, csrfToken: params.csrfToken }) : undefined,
  });
}
