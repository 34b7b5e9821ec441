/** The console's signing keys: the list (public facts only) and a way to the rotation's confirmation. */
import { html } from '../html.ts';
import { t } from '../i18n/t.ts';
import { card } from '../components/card.ts';
import { dataTable } from '../components/data-table.ts';
import { actions } from '../components/actions.ts';
import { linkButton } from '../components/button.ts';
import { consoleDate, consolePage, doneNotice, pager, type ConsoleChrome } from './console-common.ts';

export interface ConsoleSigningKey {
  kid: string;
  alg: string;
  signing: boolean;
  created_at: string;
  retired_at: string | null;
}

export interface ConsoleSigningKeysPageParams extends ConsoleChrome {
  keys: readonly ConsoleSigningKey[];
  next?: string | undefined;
  first?: string | undefined;
  /** The rotation's confirmation page, when the operator may rotate. */
  rotateHref?: string | undefined;
  /** After a rotation: the new key ids, comma-separated (one per algorithm in use). */
  rotated?: string | undefined;
}

export function consoleSigningKeysPage(params: ConsoleSigningKeysPageParams): string {
  const { locale } = params;
  const title = t(locale, 'console.keys.title');
  const table = dataTable({
    caption: title,
    captionHidden: true,
    empty: t(locale, 'console.keys.empty'),
    columns: [
      { key: 'kid', label: t(locale, 'console.keys.col.kid') },
      { key: 'alg', label: t(locale, 'console.keys.col.alg') },
      { key: 'state', label: t(locale, 'console.keys.col.state') },
      { key: 'created', label: t(locale, 'console.col.created') },
    ],
    rows: params.keys.map((k) => ({
      kid: html`<code>${k.kid}</code>`,
      alg: k.alg,
      state: k.signing ? html`<strong>${t(locale, 'console.keys.signing')}</strong>` : html`${t(locale, 'console.keys.retired')} ${consoleDate(locale, k.retired_at)}`,
      created: consoleDate(locale, k.created_at),
    })),
  });
  const body = card({
    title,
    lead: t(locale, 'console.keys.lead'),
    body: html`${params.rotated ? doneNotice(locale, params.rotated.includes(',') ? 'console.keys.done.rotatedMany' : 'console.keys.done.rotated', { kid: params.rotated }) : ''}
${table}
${pager(locale, { first: params.first, next: params.next })}
${params.rotateHref ? actions(linkButton({ label: t(locale, 'console.keys.rotate'), href: params.rotateHref, variant: 'secondary' })) : ''}`,
  });
  return consolePage(params, { title, body });
}
