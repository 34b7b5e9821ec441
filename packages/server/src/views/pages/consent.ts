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
}

/** Renders the consent page. Submits `decision=allow` or `decision=deny` (plus `csrf`). */
export function consentPage(params: ConsentPageParams): string {
  const { locale } = params;
  const claims = params.claims ?? [];
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
${actions(
  button({ label: t(locale, 'consent.allow'), name: 'decision', value: 'allow', autofocus: true }),
  button({ label: t(locale, 'consent.deny'), name: 'decision', value: 'deny', variant: 'secondary' }),
)}`;
  const body = card({
    title: t(locale, 'consent.title'),
    lead: tHtml(locale, 'consent.lead', { client: html`<strong class="client-name">${params.clientName}</strong>` }),
    body: html`<p class="account-chip">${tHtml(locale, 'consent.account', {
      account: html`<strong>${params.accountLabel}</strong>`,
    })}</p>
${form({ action: params.action, csrfToken: params.csrfToken, body: content })}`,
    footer: html`<p>${t(locale, 'consent.note')}</p>`,
  });
  return page({ locale, title: t(locale, 'consent.title'), body, switchLocaleHref: params.switchLocaleHref });
}
