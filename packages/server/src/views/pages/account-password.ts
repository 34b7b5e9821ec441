/** The "Change password" section of the account page: current password, the new one twice; errors inline. */
import { html, type SafeHtml } from '../html.ts';
import type { Locale } from '../i18n/locale.ts';
import { t } from '../i18n/t.ts';
import { actions } from '../components/actions.ts';
import { button } from '../components/button.ts';
import { form } from '../components/form.ts';
import { formField } from '../components/form-field.ts';
import { notice } from '../components/notice.ts';
import { waitText } from '../wait.ts';

/** Why the last attempt failed; `rules` is the length rule (`min`..`max`). */
export type PasswordChangeError = 'required' | 'incorrect' | 'mismatch' | 'rules' | 'unchanged' | 'locked';

export interface AccountPasswordSectionParams {
  action: string;
  csrfToken: string;
  minLength: number;
  maxLength: number;
  error?: PasswordChangeError | undefined;
  /** With `error: 'locked'`: seconds until the next attempt (the Retry-After sent). */
  retryAfterSeconds?: number | undefined;
}

/** Renders the section. Fields: `current_password`, `new_password`, `confirm_password` (plus `csrf`). */
export function accountPasswordSection(locale: Locale, params: AccountPasswordSectionParams): SafeHtml {
  const { error } = params;
  const errorId = 'password-error';
  const limits = { min: params.minLength, max: params.maxLength };
  const focusId = error === 'incorrect' || error === 'required' || error === 'locked' ? 'current-password' : 'new-password';
  const field = (id: string, label: string, autocomplete: string, invalid: boolean, hint?: string) =>
    formField({ id, name: id.replace(/-/g, '_'), type: 'password', label, autocomplete, required: true, invalid, describedBy: invalid ? [errorId] : [], hint, maxLength: 1024, autofocus: error !== undefined && invalid && id === focusId });
  const body = html`${error ? notice({ kind: 'error', id: errorId, body: t(locale, `account.password.error.${error}`, { ...limits, wait: waitText(locale, params.retryAfterSeconds ?? 60) }) }) : ''}
${field('current-password', t(locale, 'account.password.current'), 'current-password', error === 'incorrect' || error === 'required')}
${field('new-password', t(locale, 'account.password.new'), 'new-password', error === 'rules' || error === 'mismatch' || error === 'unchanged' || error === 'required', t(locale, 'account.password.newHint', limits))}
${field('confirm-password', t(locale, 'account.password.confirm'), 'new-password', error === 'mismatch' || error === 'required')}
${actions(button({ label: t(locale, 'account.password.submit') }))}`;
  return html`<section class="account-section" aria-labelledby="password-title" id="password">
<h2 class="section-title" id="password-title">${t(locale, 'account.password.heading')}</h2>
<p class="card__lead">${t(locale, 'account.password.lead')}</p>
${form({ action: params.action, csrfToken: params.csrfToken, body, label: t(locale, 'account.password.heading') })}
</section>`;
}
