/** The console's audit log: filters, the events (also a user's recent events on their page), paging. */
import { html, type HtmlValue, type SafeHtml } from '../html.ts';
import type { Locale } from '../i18n/locale.ts';
import { t } from '../i18n/t.ts';
import { card } from '../components/card.ts';
import { dataTable } from '../components/data-table.ts';
import { safeUrl } from '../url.ts';
import { formField } from '../components/form-field.ts';
import { consoleDate, consolePage, pager, problemNotice, searchForm, type ConsoleChrome, type ConsoleProblem } from './console-common.ts';

/** An audit event as the management API answers it. */
export interface ConsoleAuditEvent {
  at: string;
  type: string;
  actor: string | null;
  client_id: string | null;
  account_id: string | null;
  outcome: string;
  details?: Record<string, unknown> | null | undefined;
  source_ip?: string | null | undefined;
  count?: number | undefined;
}

function detailsOf(e: ConsoleAuditEvent): HtmlValue {
  const entries = Object.entries(e.details ?? {});
  if (e.source_ip) entries.push(['ip', e.source_ip]);
  if (e.count && e.count > 1) entries.push(['count', e.count]);
  if (entries.length === 0) return '';
  return html`<ul class="compact-list">${entries.map(([k, v]) => html`<li><code>${k}</code>: ${typeof v === 'string' ? v : JSON.stringify(v)}</li>`)}</ul>`;
}

/** The events as a table (stacked cards on a phone). */
export function auditTable(locale: Locale, events: readonly ConsoleAuditEvent[], caption: string): SafeHtml {
  return dataTable({
    caption,
    captionHidden: true,
    empty: t(locale, 'console.audit.empty'),
    columns: [
      { key: 'at', label: t(locale, 'console.audit.at') },
      { key: 'type', label: t(locale, 'console.audit.type') },
      { key: 'actor', label: t(locale, 'console.audit.actor') },
      { key: 'subject', label: t(locale, 'console.audit.subject') },
      { key: 'details', label: t(locale, 'console.audit.details') },
    ],
    rows: events.map((e) => ({
      at: consoleDate(locale, e.at),
      type: html`<code>${e.type}</code>${e.outcome === 'failure' ? html` <span class="status status--danger">${t(locale, 'console.audit.failure')}</span>` : ''}`,
      actor: e.actor ? html`<code>${e.actor}</code>` : t(locale, 'console.none'),
      subject: html`${e.client_id ? html`<code>client:${e.client_id}</code>` : ''}${e.client_id && e.account_id ? html`<br>` : ''}${e.account_id ? html`<code>account:${e.account_id}</code>` : ''}`,
      details: detailsOf(e),
    })),
  });
}

export const AUDIT_FILTERS = ['type', 'actor', 'client_id', 'account_id', 'since', 'until'] as const;

export interface ConsoleAuditPageParams extends ConsoleChrome {
  events: readonly ConsoleAuditEvent[];
  filters: Readonly<Record<string, string>>;
  action: string;
  next?: string | undefined;
  first?: string | undefined;
  /** The NDJSON download of the filtered events. */
  exportHref?: string | undefined;
  problem?: ConsoleProblem | undefined;
}

export function consoleAuditPage(params: ConsoleAuditPageParams): string {
  const { locale } = params;
  const title = t(locale, 'console.audit.title');
  const f = params.filters;
  const field = (name: (typeof AUDIT_FILTERS)[number], label: string, hint?: string) =>
    formField({ id: `audit-${name}`, name, label, hint, value: f[name], autocapitalize: 'none', spellcheck: false, maxLength: 200 });
  const filters = searchForm({
    action: params.action,
    label: t(locale, 'console.audit.filters'),
    submit: t(locale, 'console.audit.apply'),
    fields: html`${field('type', t(locale, 'console.audit.type'), t(locale, 'console.audit.typeHint'))}
${field('actor', t(locale, 'console.audit.actor'), t(locale, 'console.audit.actorHint'))}
${field('client_id', t(locale, 'console.col.clientId'))}
${field('account_id', t(locale, 'console.audit.accountId'))}
${field('since', t(locale, 'console.audit.since'), t(locale, 'console.audit.dateHint'))}
${field('until', t(locale, 'console.audit.until'), t(locale, 'console.audit.dateHint'))}`,
  });
  const body = card({
    title,
    lead: t(locale, 'console.audit.lead'),
    body: html`${filters}${problemNotice(locale, params.problem)}${auditTable(locale, params.events, title)}${pager(locale, { first: params.first, next: params.next })}${
      params.exportHref ? html`<p><a href="${safeUrl(params.exportHref)}" download>${t(locale, 'console.audit.export')}</a></p>` : ''
    }`,
  });
  return consolePage(params, { title, body });
}
