/** What every signed-in page of the integrator portal shares: the wide layout with the account and a sign-out form in the header, and date formatting. */
import { html, type HtmlValue, type SafeHtml } from '../html.ts';
import type { Locale } from '../i18n/locale.ts';
import { t } from '../i18n/t.ts';
import { page } from '../layout.ts';
import { button } from '../components/button.ts';
import { form } from '../components/form.ts';

/** Sign-out target of the header form. */
export const PORTAL_SIGN_OUT_ACTION = '/integrations/sign-out';

/** The signed-in owner and the per-session CSRF token every portal form carries. */
export interface PortalChrome {
  locale: Locale;
  /** Who is signed in (login). */
  account: string;
  csrfToken: string;
  switchLocaleHref?: string | undefined;
}

/** Header content: "Signed in as …" and a Sign out button (a POST form with the CSRF token). */
export function portalHeader(chrome: PortalChrome): SafeHtml {
  return form({
    action: PORTAL_SIGN_OUT_ACTION,
    csrfToken: chrome.csrfToken,
    className: 'portal-user',
    label: t(chrome.locale, 'integrations.signOut'),
    body: html`<span class="portal-user__name" title="${t(chrome.locale, 'integrations.signedInAs', { account: chrome.account })}">${chrome.account}</span>
${button({ label: t(chrome.locale, 'integrations.signOut'), variant: 'quiet', extra: { class: 'button button--quiet button--small' } })}`,
  });
}

/** A full portal document (wide layout, header with the account). */
export function portalPage(chrome: PortalChrome, options: { title: string; body: HtmlValue; script?: boolean }): string {
  return page({
    locale: chrome.locale,
    title: options.title,
    body: options.body,
    width: 'wide',
    script: options.script ?? false,
    switchLocaleHref: chrome.switchLocaleHref,
    headerExtra: portalHeader(chrome),
  });
}

/** A date and time in UTC, in the page's language, e.g. `12 мар. 2026 г., 14:05 (UTC)`. */
export function formatDate(locale: Locale, date: Date): string {
  const text = new Intl.DateTimeFormat(locale === 'ru' ? 'ru-RU' : 'en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }).format(date);
  return t(locale, 'integrations.dateUtc', { date: text });
}

/** A definition list of label/value rows (the error page's `.details` look, full size). */
export function detailList(rows: readonly (readonly [label: string, value: HtmlValue])[]): SafeHtml {
  return html`<dl class="details details--portal">${rows.map(([label, value]) => html`<div class="details__row"><dt>${label}</dt><dd>${value}</dd></div>`)}</dl>`;
}
