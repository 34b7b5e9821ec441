/**
 * The pages of the second factor: the sign-in's second step (a code from the authenticator app, a
 * passkey or a recovery code), enrolment where a sign-in needs a factor the account does not have
 * yet, and the recovery codes shown once. Passkey forms are hidden until `/assets/passkeys.js` finds
 * WebAuthn in the browser; everything else works without JavaScript.
 */
import { html, type HtmlValue, type SafeHtml } from '../html.ts';
import { attributes } from '../attributes.ts';
import type { Locale } from '../i18n/locale.ts';
import { t, tHtml } from '../i18n/t.ts';
import { page } from '../layout.ts';
import { actions } from '../components/actions.ts';
import { button } from '../components/button.ts';
import { card } from '../components/card.ts';
import { form } from '../components/form.ts';
import { formField } from '../components/form-field.ts';
import { hiddenField } from '../components/hidden-field.ts';
import { notice } from '../components/notice.ts';
import { copyButton } from '../components/copy-button.ts';
import { safeUrl } from '../url.ts';
import { waitText } from '../wait.ts';

export type SecondStepMethod = 'totp' | 'passkey' | 'recovery';
export type SecondStepError = 'invalid' | 'replayed' | 'recovery' | 'passkey' | 'locked' | 'required';

/** A WebAuthn ceremony a form starts: its options (JSON for the browser) and its sealed state. */
export interface PasskeyCeremony {
  action: string;
  /** `PublicKeyCredentialCreationOptionsJSON` or `…RequestOptionsJSON`. */
  options: unknown;
  /** Sealed challenge, posted back with the browser's answer. */
  state: string;
}

/**
 * A passkey form: hidden until the script finds WebAuthn; on submit the script runs the ceremony
 * and posts the browser's answer in `credential` (with `state` and the CSRF token).
 */
export function passkeyForm(params: { locale: Locale; csrfToken: string; ceremony: PasskeyCeremony; mode: 'register' | 'authenticate'; label: string; variant?: 'primary' | 'secondary'; nameField?: HtmlValue; id?: string }): SafeHtml {
  const attrs = attributes({
    class: 'form passkey-form',
    method: 'post',
    action: safeUrl(params.ceremony.action),
    id: params.id,
    hidden: true,
    'data-passkey': params.mode,
    'data-passkey-options': JSON.stringify(params.ceremony.options),
    'data-passkey-error': t(params.locale, params.mode === 'register' ? 'account.mfa.error.passkey' : 'mfa.error.passkey'),
  });
  return html`<form${attrs}>
${hiddenField('csrf', params.csrfToken)}${hiddenField('state', params.ceremony.state)}${hiddenField('credential', '')}
${params.nameField ?? ''}<p class="passkey-form__error field__error" role="alert" hidden></p>
${actions(button({ label: params.label, variant: params.variant ?? 'secondary' }))}
</form>`;
}

export interface SecondStepPageParams {
  locale: Locale;
  method: SecondStepMethod;
  /** Who is signing in (login), shown so the person knows which account's factor is asked. */
  accountLabel: string;
  /** Set for a step-up: an application asked for the second factor on a session that had only the password. */
  stepUpClient?: string | undefined;
  csrfToken: string;
  /** POST target of the code (`totp`) and recovery code (`recovery`) forms. */
  codeAction: string;
  /** Links to the other methods (GET), by method; only those the account has. */
  methodHrefs: Partial<Record<SecondStepMethod, string>>;
  /** The passkey ceremony, when the account has a passkey. */
  passkey?: PasskeyCeremony | undefined;
  error?: SecondStepError | undefined;
  retryAfterSeconds?: number | undefined;
  /** "Cancel" (abort the sign-in) or "sign in with another account": a POST with the CSRF token. */
  cancel?: { action: string; label: string } | undefined;
  switchLocaleHref?: string | undefined;
}

const errorText = (locale: Locale, error: SecondStepError, retryAfterSeconds: number | undefined): string =>
  t(locale, `mfa.error.${error}`, { wait: waitText(locale, retryAfterSeconds ?? 60) });

/** The second step of a sign-in. Fields: `code` (with `method=totp|recovery`), or the passkey form. */
export function secondStepPage(p: SecondStepPageParams): string {
  const { locale } = p;
  const errorId = 'second-step-error';
  const errorNotice = p.error ? notice({ kind: 'error', id: errorId, body: errorText(locale, p.error, p.retryAfterSeconds) }) : '';
  const invalid = p.error !== undefined && p.error !== 'locked' && p.error !== 'passkey';
  let main: HtmlValue;
  if (p.method === 'totp') {
    main = form({
      action: p.codeAction,
      csrfToken: p.csrfToken,
      label: t(locale, 'mfa.field.code'),
      body: html`${hiddenField('method', 'totp')}${formField({
        id: 'code',
        name: 'code',
        label: t(locale, 'mfa.field.code'),
        hint: t(locale, 'mfa.field.codeHint'),
        autocomplete: 'one-time-code',
        inputMode: 'numeric',
        autofocus: true,
        required: true,
        maxLength: 8,
        size: 8,
        inputClass: 'input--code',
        invalid,
        describedBy: p.error ? [errorId] : [],
      })}
${actions(button({ label: t(locale, 'mfa.submit') }))}`,
    });
  } else if (p.method === 'recovery') {
    main = form({
      action: p.codeAction,
      csrfToken: p.csrfToken,
      label: t(locale, 'mfa.field.recovery'),
      body: html`${hiddenField('method', 'recovery')}${formField({
        id: 'code',
        name: 'code',
        label: t(locale, 'mfa.field.recovery'),
        hint: t(locale, 'mfa.field.recoveryHint'),
        autocomplete: 'off',
        autocapitalize: 'characters',
        spellcheck: false,
        autofocus: true,
        required: true,
        maxLength: 32,
        inputClass: 'input--code',
        invalid,
        describedBy: p.error ? [errorId] : [],
      })}
${actions(button({ label: t(locale, 'mfa.submit') }))}`,
    });
  } else {
    main = html`<p class="passkey-fallback" data-passkey-fallback>${t(locale, 'mfa.passkeyNeedsScript')}</p>`;
  }
  const passkey =
    p.passkey && (p.method === 'passkey' || p.method === 'totp')
      ? passkeyForm({ locale, csrfToken: p.csrfToken, ceremony: p.passkey, mode: 'authenticate', label: t(locale, 'mfa.usePasskey'), variant: p.method === 'passkey' ? 'primary' : 'secondary', id: 'passkey-form' })
      : '';
  const links: SafeHtml[] = [];
  if (p.method !== 'totp' && p.methodHrefs.totp) links.push(html`<li><a href="${safeUrl(p.methodHrefs.totp)}">${t(locale, 'mfa.useTotp')}</a></li>`);
  if (p.method === 'recovery' && p.methodHrefs.passkey) links.push(html`<li><a href="${safeUrl(p.methodHrefs.passkey)}">${t(locale, 'mfa.usePasskey')}</a></li>`);
  if (p.method !== 'recovery' && p.methodHrefs.recovery) links.push(html`<li><a href="${safeUrl(p.methodHrefs.recovery)}">${t(locale, 'mfa.useRecovery')}</a></li>`);
  const cancel = p.cancel
    ? form({ action: p.cancel.action, csrfToken: p.csrfToken, className: 'form--secondary', body: actions(button({ label: p.cancel.label, variant: 'quiet', name: 'cancel', value: 'true', formNoValidate: true })) })
    : '';
  const lead = p.stepUpClient
    ? tHtml(locale, 'mfa.lead.stepUp', { client: html`<strong class="client-name">${p.stepUpClient}</strong>` })
    : t(locale, `mfa.lead.${p.method}`);
  const body = card({
    title: t(locale, 'mfa.title'),
    lead,
    body: html`<p class="account-chip">${tHtml(locale, 'mfa.account', { account: html`<strong>${p.accountLabel}</strong>` })}</p>
${errorNotice}${main}${passkey}${links.length ? html`<ul class="link-list">${links}</ul>` : ''}${cancel}`,
  });
  return page({ locale, title: t(locale, 'mfa.title'), body, switchLocaleHref: p.switchLocaleHref, passkeys: Boolean(p.passkey) });
}

export interface TotpSetup {
  /** The secret in base32, as people type it. */
  secret: string;
  /** `otpauth://` URI drawn as the QR code. */
  qrDataUri: string;
  action: string;
  error?: 'invalid' | 'replayed' | undefined;
}

/** The authenticator-app setup: QR code, the secret as selectable text (`data-totp-secret`), the code that confirms it. */
export function totpSetupSection(locale: Locale, csrfToken: string, setup: TotpSetup, options: { headingLevel?: 2 | 3 } = {}): SafeHtml {
  const errorId = 'totp-error';
  const grouped = setup.secret.replace(/(.{4})(?=.)/g, '$1 ');
  const heading = options.headingLevel === 3 ? html`<h3 class="section-title" id="totp-title">${t(locale, 'mfa.totp.heading')}</h3>` : html`<h2 class="section-title" id="totp-title">${t(locale, 'mfa.totp.heading')}</h2>`;
  return html`<section class="account-section totp-setup" aria-labelledby="totp-title" id="totp">
${heading}
<ol class="steps">
<li>${t(locale, 'mfa.totp.step1')}<img class="totp-qr" src="${setup.qrDataUri}" alt="${t(locale, 'mfa.totp.qrAlt')}" width="200" height="200"></li>
<li>${t(locale, 'mfa.totp.step2')} <code class="totp-secret" id="totp-secret" data-totp-secret="${setup.secret}">${grouped}</code> ${copyButton(locale, 'totp-secret')}</li>
<li>${t(locale, 'mfa.totp.step3')}</li>
</ol>
${setup.error ? notice({ kind: 'error', id: errorId, body: t(locale, setup.error === 'replayed' ? 'mfa.error.replayed' : 'account.mfa.error.code') }) : ''}
${form({
  action: setup.action,
  csrfToken,
  label: t(locale, 'mfa.totp.heading'),
  body: html`${formField({ id: 'totp-code', name: 'code', label: t(locale, 'mfa.field.code'), autocomplete: 'one-time-code', inputMode: 'numeric', required: true, maxLength: 8, size: 8, inputClass: 'input--code', invalid: Boolean(setup.error), describedBy: setup.error ? [errorId] : [], autofocus: Boolean(setup.error) })}
${actions(button({ label: t(locale, 'mfa.totp.submit') }))}`,
})}
</section>`;
}

/** "Add a passkey": name field and the registration ceremony. */
export function passkeyAddSection(locale: Locale, csrfToken: string, ceremony: PasskeyCeremony, options: { error?: 'passkey' | 'passkeyExists' | 'name' | undefined; headingLevel?: 2 | 3 } = {}): SafeHtml {
  const heading = options.headingLevel === 3 ? html`<h3 class="section-title" id="passkey-title">${t(locale, 'mfa.passkey.heading')}</h3>` : html`<h2 class="section-title" id="passkey-title">${t(locale, 'mfa.passkey.heading')}</h2>`;
  return html`<section class="account-section" aria-labelledby="passkey-title" id="passkeys-add">
${heading}
<p class="card__lead">${t(locale, 'mfa.passkey.lead')}</p>
${options.error ? notice({ kind: 'error', body: t(locale, `account.mfa.error.${options.error}`) }) : ''}
<p class="passkey-fallback" data-passkey-fallback>${t(locale, 'mfa.passkeyNeedsScript')}</p>
${passkeyForm({
  locale,
  csrfToken,
  ceremony,
  mode: 'register',
  label: t(locale, 'mfa.passkey.add'),
  id: 'passkey-add-form',
  nameField: formField({ id: 'passkey-name', name: 'name', label: t(locale, 'mfa.passkey.name'), hint: t(locale, 'mfa.passkey.nameHint'), required: true, maxLength: 60, autocomplete: 'off' }),
})}
</section>`;
}

export interface EnrolPageParams {
  locale: Locale;
  accountLabel: string;
  csrfToken: string;
  totp: TotpSetup;
  passkey: PasskeyCeremony;
  passkeyError?: 'passkey' | 'passkeyExists' | 'name' | undefined;
  cancel?: { action: string; label: string } | undefined;
  switchLocaleHref?: string | undefined;
}

/** Enrolment in the middle of a sign-in that needs a second factor the account does not have. */
export function enrolPage(p: EnrolPageParams): string {
  const { locale } = p;
  const cancel = p.cancel
    ? form({ action: p.cancel.action, csrfToken: p.csrfToken, className: 'form--secondary', body: actions(button({ label: p.cancel.label, variant: 'quiet', name: 'cancel', value: 'true', formNoValidate: true })) })
    : '';
  const body = card({
    title: t(locale, 'mfa.enrol.title'),
    lead: t(locale, 'mfa.enrol.lead'),
    body: html`<p class="account-chip">${tHtml(locale, 'mfa.account', { account: html`<strong>${p.accountLabel}</strong>` })}</p>
${totpSetupSection(locale, p.csrfToken, p.totp)}
${passkeyAddSection(locale, p.csrfToken, p.passkey, { error: p.passkeyError })}
${cancel}`,
  });
  return page({ locale, title: t(locale, 'mfa.enrol.title'), body, switchLocaleHref: p.switchLocaleHref, passkeys: true, script: true });
}

export interface RecoveryCodesPageParams {
  locale: Locale;
  /** The codes; undefined when they were already shown. */
  codes: readonly string[] | undefined;
  /** Where "continue" goes: a POST form (sign-in) or a link. */
  next: { action: string; csrfToken: string } | { href: string };
  switchLocaleHref?: string | undefined;
}

/** The recovery codes, shown once, each in an element with `data-recovery-code`. */
export function recoveryCodesPage(p: RecoveryCodesPageParams): string {
  const { locale } = p;
  const list = p.codes
    ? html`<ol class="recovery-codes" id="recovery-codes" aria-label="${t(locale, 'mfa.recovery.listLabel')}">${p.codes.map((c) => html`<li><code data-recovery-code>${c}</code></li>`)}</ol>
<p>${copyButton(locale, 'recovery-codes')}</p>`
    : notice({ kind: 'info', body: t(locale, 'mfa.recovery.gone') });
  const next =
    'href' in p.next
      ? actions(html`<a class="button button--primary" href="${safeUrl(p.next.href)}">${t(locale, 'mfa.recovery.continue')}</a>`)
      : form({ action: p.next.action, csrfToken: p.next.csrfToken, body: actions(button({ label: t(locale, 'mfa.recovery.continue') })) });
  const body = card({ title: t(locale, 'mfa.recovery.title'), lead: t(locale, 'mfa.recovery.lead'), body: html`${list}${next}` });
  return page({ locale, title: t(locale, 'mfa.recovery.title'), body, switchLocaleHref: p.switchLocaleHref, script: true });
}
