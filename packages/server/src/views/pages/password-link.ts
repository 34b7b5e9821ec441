/**
 * The set-password page of a one-time link: the account's login, the new password twice (with the
 * length rule), one error at a time; and the page shown once the password is set, with the way to
 * `/account`. Works without JavaScript.
 */
import { html } from '../html.ts';
import type { Locale } from '../i18n/locale.ts';
import { t, tHtml } from '../i18n/t.ts';
import { page } from '../layout.ts';
import { actions } from '../components/actions.ts';
import { button, linkButton } from '../components/button.ts';
import { card } from '../components/card.ts';
import { form } from '../components/form.ts';
import { formField } from '../components/form-field.ts';
import { notice } from '../components/notice.ts';

/** Why the last submission was refused (the link still works). */
export type PasswordLinkError = 'required' | 'mismatch' | 'rules';

export interface PasswordLinkPageParams {
  locale: Locale;
  /** The login of the account whose password is set. */
  login: string;
  /** POST target: the link's own path. */
  action: string;
  csrfToken: string;
  minLength: number;
  maxLength: number;
  error?: PasswordLinkError | undefined;
  switchLocaleHref?: string | undefined;
}

const ERROR_TEXT = { required: 'passwordLink.error.required', mismatch: 'account.password.error.mismatch', rules: 'account.password.error.rules' } as const;

/** Renders the form. Fields: `new_password`, `confirm_password` (plus `csrf`, and the login as a hidden `username` for password managers). */
export function passwordLinkPage(params: PasswordLinkPageParams): string {
  const { locale, error } = params;
  const errorId = 'password-error';
  const limits = { min: params.minLength, max: params.maxLength };
  const field = (id: string, label: string, invalid: boolean, hint?: string) =>
    formField({ id, name: id.replace(/-/g, '_'), type: 'password', label, autocomplete: 'new-password', required: true, invalid, describedBy: invalid ? [errorId] : [], hint, maxLength: 1024, autofocus: id === 'new-password' });
  const fields = html`${error ? notice({ kind: 'error', id: errorId, body: t(locale, ERROR_TEXT[error], limits) }) : ''}
<input type="hidden" name="username" value="${params.login}" autocomplete="username">
${field('new-password', t(locale, 'account.password.new'), error !== undefined, t(locale, 'account.password.newHint', limits))}
${field('confirm-password', t(locale, 'account.password.confirm'), error === 'mismatch' || error === 'required')}
${actions(button({ label: t(locale, 'passwordLink.submit') }))}`;
  const body = card({
    title: t(locale, 'passwordLink.title'),
    lead: t(locale, 'passwordLink.lead'),
    body: html`<p class="account-chip">${tHtml(locale, 'passwordLink.account', { login: html`<strong>${params.login}</strong>` })}</p>
${form({ action: params.action, csrfToken: params.csrfToken, body: fields, label: t(locale, 'passwordLink.title') })}`,
    footer: t(locale, 'passwordLink.note'),
  });
  return page({ locale, title: t(locale, 'passwordLink.title'), body, switchLocaleHref: params.switchLocaleHref });
}

export interface PasswordLinkDonePageParams {
  locale: Locale;
  /** Where "Go to your account" leads. */
  accountHref: string;
}

/** Renders "password set". */
export function passwordLinkDonePage(params: PasswordLinkDonePageParams): string {
  const { locale } = params;
  const title = t(locale, 'passwordLink.done.title');
  const body = card({ tone: 'success', title, lead: t(locale, 'passwordLink.done.message'), body: actions(linkButton({ label: t(locale, 'passwordLink.done.next'), href: params.accountHref, variant: 'primary' })) });
  return page({ locale, title, body });
}
