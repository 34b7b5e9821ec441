/** The "Applications with access" section of the account page: one row per application, each with its "Revoke access" link to a confirmation. */
import { html, type SafeHtml } from '../html.ts';
import type { Locale } from '../i18n/locale.ts';
import { t } from '../i18n/t.ts';
import { describeScope, type ScopeInfo } from '../scopes.ts';
import { dataTable } from '../components/data-table.ts';
import { safeUrl } from '../url.ts';

/** One application with access: its remembered consent and the grants of its sessions. */
export interface AccountApplication {
  clientName: string;
  scopes: readonly ScopeInfo[];
  grantedAt: Date | null;
  /** When the application last received a token; null when unknown. */
  lastUsedAt: Date | null;
  /** This row's "Revoke access": the confirmation page that names what ends. */
  revokeHref: string;
}

const DATE_LOCALES: Record<Locale, string> = { ru: 'ru-RU', en: 'en-GB' };

/** A date and time in UTC (the server does not know the reader's time zone), in a `<time>` element. */
export function accountDateTime(locale: Locale, date: Date | null): SafeHtml {
  if (!date) return html`<span class="table-empty">${t(locale, 'account.apps.unknown')}</span>`;
  const text = new Intl.DateTimeFormat(DATE_LOCALES[locale], { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }).format(date);
  return html`<time datetime="${date.toISOString()}">${text} UTC</time>`;
}

/** Renders the section (heading, table or empty state, note). */
export function accountApplicationsSection(locale: Locale, applications: readonly AccountApplication[]): SafeHtml {
  const rows = applications.map((app) => ({
    app: app.clientName,
    scopes: html`<ul class="compact-list">${app.scopes.map((s) => html`<li>${describeScope(locale, s)}</li>`)}</ul>`,
    granted: accountDateTime(locale, app.grantedAt),
    lastUsed: accountDateTime(locale, app.lastUsedAt),
    actions: html`<a class="button button--secondary button--small" href="${safeUrl(app.revokeHref)}" aria-label="${t(locale, 'account.apps.revokeLabel', { client: app.clientName })}">${t(locale, 'account.apps.revoke')}</a>`,
  }));
  const table = dataTable({
    caption: t(locale, 'account.apps.heading'),
    captionHidden: true,
    columns: [
      { key: 'app', label: t(locale, 'account.apps.col.app') },
      { key: 'scopes', label: t(locale, 'account.apps.col.scopes') },
      { key: 'granted', label: t(locale, 'account.apps.col.granted') },
      { key: 'lastUsed', label: t(locale, 'account.apps.col.lastUsed') },
      { key: 'actions', label: t(locale, 'account.apps.col.actions') },
    ],
    rows,
    empty: t(locale, 'account.apps.empty'),
  });
  return html`<section class="account-section" aria-labelledby="apps-title">
<h2 class="section-title" id="apps-title">${t(locale, 'account.apps.heading')}</h2>
${table}
${applications.length > 0 ? html`<p class="table-note">${t(locale, 'account.apps.note')}</p>` : ''}
</section>`;
}
