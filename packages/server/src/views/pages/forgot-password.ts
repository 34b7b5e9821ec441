/**
 * "Forgot password?" (`/account/forgot-password`): one field, the login the person signs in with;
 * then a page that says the same whether or not such an account exists. Without a mail transport
 * the form is replaced by who to ask.
 */
import { html } from '../html.ts';
import type { Locale } from '../i18n/locale.ts';
import { t } from '../i18n/t.ts';
import { page } from '../layout.ts';
import { actions } from '../components/actions.ts';
import { button, linkButton } from '../components/button.ts';
import { card } from '../components/card.ts';
import { form } from '../components/form.ts';
import { formField } from '../components/form-field.ts';
import { notice } from '../components/notice.ts';
import { waitText } from '../wait.ts';

export interface ForgotPasswordPageParams {
  locale: Locale;
  /** POST target; undefined when recovery by e-mail is not available. */
  action?: string | undefined;
  csrfToken: string;
  /** Where "Back to sign-in" leads. */
  signInHref: string;
  login?: string | undefined;
  error?: 'required' | 'locked' | undefined;
  retryAfterSeconds?: number | undefined;
  switchLocaleHref?: string | undefined;
}

export function forgotPasswordPage(params: ForgotPasswordPageParams): string {
  const { locale } = params;
  const back = linkButton({ label: t(locale, 'forgot.backToSignIn'), href: params.signInHref, variant: 'quiet' });
  if (!params.action) {
    const body = card({ title: t(locale, 'forgot.title'), lead: t(locale, 'forgot.unavailable'), body: actions(back) });
    return page({ locale, title: t(locale, 'forgot.title'), body, switchLocaleHref: params.switchLocaleHref });
  }
  const errorId = 'forgot-error';
  const message = params.error === 'locked' ? t(locale, 'forgot.locked', { wait: waitText(locale, params.retryAfterSeconds ?? 60) }) : params.error === 'required' ? t(locale, 'forgot.required') : undefined;
  const fields = html`${message ? notice({ kind: 'error', id: errorId, body: message }) : ''}
${formField({
  id: 'login',
  name: 'login',
  label: t(locale, 'login.field.login'),
  hint: t(locale, 'login.field.loginHint'),
  value: params.login,
  autocomplete: 'username',
  autocapitalize: 'none',
  spellcheck: false,
  required: true,
  invalid: Boolean(params.error),
  describedBy: message ? [errorId] : [],
  maxLength: 254,
})}
${actions(button({ label: t(locale, 'forgot.submit') }), back)}`;
  const body = card({ title: t(locale, 'forgot.title'), lead: t(locale, 'forgot.lead'), body: form({ action: params.action, csrfToken: params.csrfToken, body: fields }) });
  return page({ locale, title: t(locale, 'forgot.title'), body, switchLocaleHref: params.switchLocaleHref });
}

export function forgotPasswordSentPage(params: { locale: Locale; ttl: string; signInHref: string; switchLocaleHref?: string | undefined }): string {
  const { locale } = params;
  const body = card({
    tone: 'success',
    title: t(locale, 'forgot.sent.title'),
    lead: t(locale, 'forgot.sent.message', { ttl: params.ttl }),
    body: actions(linkButton({ label: t(locale, 'forgot.backToSignIn'), href: params.signInHref })),
  });
  return page({ locale, title: t(locale, 'forgot.sent.title'), body, switchLocaleHref: params.switchLocaleHref });
}
