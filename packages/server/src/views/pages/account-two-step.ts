/**
 * Two-step verification on the account pages: the section of `/account` that says what is on, and
 * the page `/account/two-step` that enrols and removes an authenticator app and passkeys and renews
 * the recovery codes; the password prompt of a sensitive change.
 */
import { html, type SafeHtml } from '../html.ts';
import type { Locale } from '../i18n/locale.ts';
import { t } from '../i18n/t.ts';
import { page } from '../layout.ts';
import { actions } from '../components/actions.ts';
import { button, linkButton } from '../components/button.ts';
import { card } from '../components/card.ts';
import { dataTable } from '../components/data-table.ts';
import { form } from '../components/form.ts';
import { formField } from '../components/form-field.ts';
import { notice } from '../components/notice.ts';
import { waitText } from '../wait.ts';
import { passkeyAddSection, totpSetupSection, type PasskeyCeremony, type TotpSetup } from './second-factor.ts';

const when = (locale: Locale, date: Date): string => new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(date);

export interface FactorSummaryView {
  totp: boolean;
  passkeys: number;
  recoveryCodes: number;
}

function factorsText(locale: Locale, s: FactorSummaryView): string {
  const parts: string[] = [];
  if (s.totp) parts.push(t(locale, 'account.mfa.factor.totp'));
  if (s.passkeys > 0) parts.push(t(locale, 'account.mfa.factor.passkeys', { count: s.passkeys }));
  if (s.recoveryCodes > 0) parts.push(t(locale, 'account.mfa.factor.codes', { count: s.recoveryCodes }));
  return parts.join(', ');
}

/** The section of `/account`: on or off, and the link to manage it. */
export function accountTwoStepSection(locale: Locale, summary: FactorSummaryView, href: string): SafeHtml {
  const on = summary.totp || summary.passkeys > 0;
  return html`<section class="account-section" aria-labelledby="two-step-title" id="two-step">
<h2 class="section-title" id="two-step-title">${t(locale, 'account.mfa.heading')}</h2>
<p class="card__lead" data-two-step="${on ? 'on' : 'off'}">${on ? t(locale, 'account.mfa.on', { factors: factorsText(locale, summary) }) : t(locale, 'account.mfa.off')}</p>
${actions(linkButton({ label: t(locale, 'account.mfa.manage'), href }))}
</section>`;
}

export type TwoStepNotice = 'added' | 'removed' | 'renamed' | 'reauthenticated';

export interface TwoStepPasskeyRow {
  id: string;
  name: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  renameAction: string;
  removeAction: string;
}

export interface AccountTwoStepPageParams {
  locale: Locale;
  csrfToken: string;
  accountLabel: string;
  summary: FactorSummaryView;
  /** The enrolled app, or its setup when there is none. */
  totp: { enrolledAt: Date; lastUsedAt: Date | null; removeAction: string } | TotpSetup;
  passkeys: readonly TwoStepPasskeyRow[];
  passkeyCeremony: PasskeyCeremony;
  passkeyError?: 'passkey' | 'passkeyExists' | 'name' | undefined;
  renewAction: string;
  notice?: TwoStepNotice | undefined;
  backHref: string;
  switchLocaleHref?: string | undefined;
}

export function accountTwoStepPage(p: AccountTwoStepPageParams): string {
  const { locale, csrfToken } = p;
  const totp =
    'enrolledAt' in p.totp
      ? html`<section class="account-section" aria-labelledby="totp-title" id="totp">
<h2 class="section-title" id="totp-title">${t(locale, 'mfa.totp.heading')}</h2>
<p data-totp-enrolled>${t(locale, 'account.mfa.totp.enrolled', { date: when(locale, p.totp.enrolledAt), used: p.totp.lastUsedAt ? when(locale, p.totp.lastUsedAt) : t(locale, 'account.mfa.passkeys.never') })}</p>
${form({ action: p.totp.removeAction, csrfToken, className: 'form--inline', body: actions(button({ label: t(locale, 'account.mfa.totp.remove'), variant: 'danger' })) })}
</section>`
      : totpSetupSection(locale, csrfToken, p.totp);
  const rows = p.passkeys.map((k) => ({
    name: html`<span data-passkey-name>${k.name}</span>`,
    added: when(locale, k.createdAt),
    used: k.lastUsedAt ? when(locale, k.lastUsedAt) : t(locale, 'account.mfa.passkeys.never'),
    actions: html`${form({
      action: k.renameAction,
      csrfToken,
      className: 'form--inline',
      label: t(locale, 'account.mfa.passkeys.renameLabel', { name: k.name }),
      body: html`<label class="visually-hidden" for="rename-${k.id}">${t(locale, 'account.mfa.passkeys.renameLabel', { name: k.name })}</label><input class="input input--small" id="rename-${k.id}" name="name" value="${k.name}" maxlength="60" required>${button({ label: t(locale, 'account.mfa.passkeys.rename'), variant: 'secondary' })}`,
    })}${form({
      action: k.removeAction,
      csrfToken,
      className: 'form--inline',
      label: t(locale, 'account.mfa.passkeys.removeLabel', { name: k.name }),
      body: button({ label: t(locale, 'account.mfa.passkeys.remove'), variant: 'danger', extra: { 'aria-label': t(locale, 'account.mfa.passkeys.removeLabel', { name: k.name }) } }),
    })}`,
  }));
  const passkeys = html`<section class="account-section" aria-labelledby="passkeys-title" id="passkeys">
<h2 class="section-title" id="passkeys-title">${t(locale, 'account.mfa.passkeys.caption')}</h2>
${dataTable({
  caption: t(locale, 'account.mfa.passkeys.caption'),
  captionHidden: true,
  columns: [
    { key: 'name', label: t(locale, 'account.mfa.passkeys.col.name') },
    { key: 'added', label: t(locale, 'account.mfa.passkeys.col.added') },
    { key: 'used', label: t(locale, 'account.mfa.passkeys.col.used') },
    { key: 'actions', label: t(locale, 'account.mfa.passkeys.col.actions') },
  ],
  rows,
  empty: t(locale, 'account.mfa.passkeys.empty'),
})}
${passkeyAddSection(locale, csrfToken, p.passkeyCeremony, { error: p.passkeyError, headingLevel: 3 })}
</section>`;
  const on = p.summary.totp || p.summary.passkeys > 0;
  const codes = html`<section class="account-section" aria-labelledby="codes-title" id="recovery">
<h2 class="section-title" id="codes-title">${t(locale, 'account.mfa.codes.heading')}</h2>
<p data-recovery-left="${p.summary.recoveryCodes}">${on ? t(locale, 'account.mfa.codes.left', { count: p.summary.recoveryCodes }) : t(locale, 'account.mfa.codes.none')}</p>
${on ? form({ action: p.renewAction, csrfToken, body: html`<p class="field__hint">${t(locale, 'account.mfa.codes.renewHint')}</p>${actions(button({ label: t(locale, 'account.mfa.codes.renew'), variant: 'secondary' }))}` }) : ''}
</section>`;
  const done = p.notice ? notice({ kind: 'success', body: t(locale, `account.mfa.done.${p.notice}`) }) : '';
  const body = card({
    title: t(locale, 'account.mfa.heading'),
    body: html`<p class="account-chip">${p.accountLabel}</p>
${done}${totp}${passkeys}${codes}
<p><a href="${p.backHref}">${t(locale, 'account.back')}</a></p>`,
  });
  return page({ locale, title: t(locale, 'account.mfa.heading'), body, width: 'wide', switchLocaleHref: p.switchLocaleHref, passkeys: true, script: true });
}

/** The password prompt before a sensitive change. Field: `password`. */
export function accountReauthPage(p: { locale: Locale; csrfToken: string; action: string; error?: 'incorrect' | 'locked' | undefined; retryAfterSeconds?: number | undefined; backHref: string; switchLocaleHref?: string | undefined }): string {
  const { locale } = p;
  const errorId = 'reauth-error';
  const error = p.error ? notice({ kind: 'error', id: errorId, body: p.error === 'locked' ? t(locale, 'account.mfa.reauth.locked', { wait: waitText(locale, p.retryAfterSeconds ?? 60) }) : t(locale, 'account.mfa.reauth.error') }) : '';
  const body = card({
    title: t(locale, 'account.mfa.reauth.title'),
    lead: t(locale, 'account.mfa.reauth.lead'),
    body: html`${error}${form({
      action: p.action,
      csrfToken: p.csrfToken,
      body: html`${formField({ id: 'password', name: 'password', type: 'password', label: t(locale, 'login.field.password'), autocomplete: 'current-password', required: true, autofocus: true, invalid: Boolean(p.error), describedBy: p.error ? [errorId] : [], maxLength: 1024 })}
${actions(button({ label: t(locale, 'account.mfa.reauth.submit') }))}`,
    })}
<p><a href="${p.backHref}">${t(locale, 'account.back')}</a></p>`,
  });
  return page({ locale, title: t(locale, 'account.mfa.reauth.title'), body, switchLocaleHref: p.switchLocaleHref });
}
