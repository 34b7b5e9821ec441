/** Login page of the authorization flow: login (login, email or phone) + password, a generic error that never reveals whether an account exists. */
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
import { waitText } from '../wait.ts';
import { safeUrl } from '../url.ts';
import { passkeyForm, type PasskeyCeremony } from './second-factor.ts';

/** Why the previous attempt failed: wrong credentials (generic), rate-limited, or a field left empty. */
export type LoginError = 'invalid_credentials' | 'locked' | 'required' | 'passkey';

export interface LoginPageParams {
  locale: Locale;
  /** POST target of the sign-in form. */
  action: string;
  csrfToken: string;
  /** Name of the application the user signs in to. */
  clientName: string;
  /** Prefills the login field (OIDC `login_hint` or the previous attempt). */
  loginHint?: string | undefined;
  error?: LoginError | undefined;
  /** With `error: 'locked'`: seconds until the next attempt is allowed (the Retry-After sent). */
  retryAfterSeconds?: number | undefined;
  switchLocaleHref?: string | undefined;
  /** When given, a separate "Cancel" form posts here (with the CSRF token) to abort the interaction. */
  cancelAction?: string | undefined;
  /** Replaces the "continue to {client}" lead (pages that are not part of a client's sign-in, e.g. the account pages). */
  lead?: string | undefined;
  /** A confirmation shown above the form (e.g. "you have signed out on all devices"). */
  message?: { kind: 'success' | 'info'; text: string } | undefined;
  /** "Forgot password?": where a person asks for a set-password link by e-mail (absent: not offered). */
  forgotHref?: string | undefined;
  /** "Sign in with a passkey" (without a password), shown where the browser supports WebAuthn. */
  passkey?: PasskeyCeremony | undefined;
}

/** The message of a failed sign-in; a lock says how long it lasts. */
export function loginErrorText(locale: Locale, error: LoginError, retryAfterSeconds: number | undefined): string {
  if (error === 'passkey') return t(locale, 'mfa.error.passkey');
  return t(locale, `login.error.${error}`, { wait: waitText(locale, retryAfterSeconds ?? 60) });
}

/** Renders the sign-in page. Fields: `login`, `password`, plus hidden `csrf`. Focus goes to the first empty field. */
export function loginPage(params: LoginPageParams): string {
  const { locale } = params;
  const errorId = 'login-error';
  const describedBy = params.error ? [errorId] : [];
  const hasLogin = Boolean(params.loginHint);
  const fields = html`${params.message && !params.error ? notice({ kind: params.message.kind, body: params.message.text }) : ''}${params.error ? notice({ kind: 'error', id: errorId, body: loginErrorText(locale, params.error, params.retryAfterSeconds) }) : ''}
${formField({
  id: 'login',
  name: 'login',
  label: t(locale, 'login.field.login'),
  hint: t(locale, 'login.field.loginHint'),
  value: params.loginHint,
  autocomplete: 'username',
  autocapitalize: 'none',
  spellcheck: false,
  required: true,
  autofocus: !hasLogin,
  invalid: params.error === 'invalid_credentials' || params.error === 'required',
  describedBy,
  maxLength: 254,
})}
${formField({
  id: 'password',
  name: 'password',
  type: 'password',
  label: t(locale, 'login.field.password'),
  autocomplete: 'current-password',
  required: true,
  autofocus: hasLogin,
  reveal: { show: t(locale, 'login.password.show'), hide: t(locale, 'login.password.hide') },
  invalid: params.error === 'invalid_credentials' || params.error === 'required',
  describedBy,
  maxLength: 1024,
})}
${params.forgotHref ? html`<p class="field-aside"><a href="${safeUrl(params.forgotHref)}" data-forgot-password>${t(locale, 'login.forgot')}</a></p>` : ''}
${actions(button({ label: t(locale, 'login.submit') }))}`;
  const cancel = params.cancelAction
    ? form({
        action: params.cancelAction,
        csrfToken: params.csrfToken,
        className: 'form--secondary',
        body: actions(button({ label: t(locale, 'login.cancel'), variant: 'quiet', name: 'cancel', value: 'true' })),
      })
    : '';
  const body = card({
    title: t(locale, 'login.title'),
    lead: params.lead ?? tHtml(locale, 'login.lead', { client: html`<strong class="client-name">${params.clientName}</strong>` }),
    body: html`${form({ action: params.action, csrfToken: params.csrfToken, body: fields })}${
      params.passkey
        ? passkeyForm({ locale, csrfToken: params.csrfToken, ceremony: params.passkey, mode: 'authenticate', label: t(locale, 'mfa.passkey.signIn'), id: 'passkey-sign-in' })
        : ''
    }${cancel}`,
  });
  return page({ locale, title: t(locale, 'login.title'), body, switchLocaleHref: params.switchLocaleHref, passkeys: Boolean(params.passkey), script: true });
}
