/** Consent page: which application asks, what each requested scope (and claim) means, who is signed in; allow or deny in one form. */
import { html } from '../html.ts';
import type { Locale } from '../i18n/locale.ts';
import { t, tHtml } from '../i18n/t.ts';
import { page } from '../layout.ts';
import { describeClaim, type ScopeInfo } from '../scopes.ts';
import { actions } from '../components/actions.ts';
import { button } from '../components/button.ts';
import { card } from '../components/card.ts';
import { form } from '../components/form.ts';
import { scopeList } from '../components/scope-list.ts';
import { formatUserCode } from '../user-code.ts';

export interface ConsentPageParams {
  locale: Locale;
  action: string;
  csrfToken: string;
  clientName: string;
  /** Requested scopes; descriptions fall back to the given `description`, then to the name. */
  scopes: readonly ScopeInfo[];
  /** Individually requested claims (OIDC `claims` parameter), if any. */
  claims?: readonly string[] | undefined;
  switchLocaleHref?: string | undefined;
  /** Who is signed in (name, login or email), shown so the user can spot the wrong account. */
  accountLabel: string;
  /** "Not you? Use another account": the form's other target (signs in again within this request). */
  switchAccountAction?: string | undefined;
  /** Where the account's applications are managed (the footer links to it). */
  accountHref?: string | undefined;
  /** The host the browser returns to after the decision (from the request's redirect_uri), as GitHub shows it. */
  redirectHost?: string | undefined;
  /** A device flow's approval: the code, and when and from which address the device asked. */
  device?: { userCode: string; requestedAt: Date; ip?: string | undefined } | undefined;
}

/** 24-hour time with its zone named: the server cannot know the reader's zone, so it says UTC. */
const timeOf = (locale: Locale, date: Date) =>
  html`<time datetime="${date.toISOString()}">${new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: 'UTC', timeZoneName: 'short' }).format(date)}</time>`;

/** Renders the consent page. Submits `decision=allow` or `decision=deny` (plus `csrf`). */
export function consentPage(params: ConsentPageParams): string {
  const { locale } = params;
  const claims = params.claims ?? [];
  const device = params.device
    ? html`<figure class="user-code">
<figcaption class="user-code__label">${t(locale, 'consent.device.codeLabel')}</figcaption>
<p class="user-code__value" translate="no">${formatUserCode(params.device.userCode)}</p>
</figure>
<p class="device-request" data-device-request>${
        params.device.ip
          ? tHtml(locale, 'consent.device.requested', { time: timeOf(locale, params.device.requestedAt), ip: params.device.ip })
          : tHtml(locale, 'consent.device.requestedAt', { time: timeOf(locale, params.device.requestedAt) })
      }</p>`
    : '';
  const content = html`<h2 class="section-title" id="scopes-title">${t(locale, 'consent.scopesHeading')}</h2>
${scopeList(locale, params.scopes, 'scopes-title')}
${
  claims.length > 0
    ? html`<h2 class="section-title" id="claims-title">${t(locale, 'consent.claimsHeading')}</h2>
<ul class="scopes" aria-labelledby="claims-title">${claims.map(
        (claim) => html`<li class="scopes__item"><span class="scopes__text">${describeClaim(locale, claim)}</span></li>`,
      )}</ul>`
    : ''
}
${params.redirectHost ? html`<p class="redirect-note" data-redirect-host>${tHtml(locale, 'consent.redirect', { host: html`<strong translate="no">${params.redirectHost}</strong>` })}</p>` : ''}
${actions(
  button({ label: t(locale, 'consent.allow'), name: 'decision', value: 'allow' }),
  button({ label: t(locale, 'consent.deny'), name: 'decision', value: 'deny', variant: 'secondary' }),
)}`;
  const accountChip = html`<p class="account-chip">${tHtml(locale, 'consent.account', {
    account: html`<strong>${params.accountLabel}</strong>`,
  })}${
    params.switchAccountAction
      ? html` <button type="submit" form="consent-form" class="link-button" formaction="${params.switchAccountAction}" formnovalidate data-switch-account>${t(locale, 'consent.switchAccount')}</button>`
      : ''
  }</p>`;
  const note = params.accountHref
    ? tHtml(locale, 'consent.noteLinked', { settings: html`<a href="${params.accountHref}">${t(locale, 'consent.settings')}</a>` })
    : t(locale, 'consent.note');
  const body = card({
    title: t(locale, 'consent.title'),
    lead: tHtml(locale, 'consent.lead', { client: html`<strong class="client-name">${params.clientName}</strong>` }),
    body: html`${device}${accountChip}
${form({ action: params.action, csrfToken: params.csrfToken, body: content, id: 'consent-form' })}`,
    footer: html`<p>${note}</p>`,
  });
  return page({ locale, title: t(locale, 'consent.title'), body, switchLocaleHref: params.switchLocaleHref });
}
