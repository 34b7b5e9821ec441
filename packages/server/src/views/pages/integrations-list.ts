/** Integrator portal home: the applications the signed-in owner manages, with client_id, name, grant types and redirect URIs. */
import { html } from '../html.ts';
import { t } from '../i18n/t.ts';
import { card } from '../components/card.ts';
import { dataTable } from '../components/data-table.ts';
import { safeUrl } from '../url.ts';
import { portalPage, type PortalChrome } from './integrations-common.ts';

export interface IntegrationListItem {
  clientId: string;
  name: string;
  grantTypes: readonly string[];
  redirectUris: readonly string[];
  /** Link to the application's page. */
  href: string;
}

export interface IntegrationsListPageParams extends PortalChrome {
  clients: readonly IntegrationListItem[];
}

const lines = (values: readonly string[], none: string) =>
  values.length === 0 ? none : html`${values.map((v, i) => html`${i > 0 ? html`<br>` : ''}<code>${v}</code>`)}`;

/** Renders the list (or an empty state that says how to get access). */
export function integrationsListPage(params: IntegrationsListPageParams): string {
  const { locale } = params;
  const none = t(locale, 'integrations.none');
  const table = dataTable({
    caption: t(locale, 'integrations.list.caption'),
    captionHidden: true,
    empty: t(locale, 'integrations.list.empty'),
    columns: [
      { key: 'clientId', label: t(locale, 'integrations.col.clientId') },
      { key: 'name', label: t(locale, 'integrations.col.name') },
      { key: 'grantTypes', label: t(locale, 'integrations.col.grantTypes') },
      { key: 'redirectUris', label: t(locale, 'integrations.col.redirectUris') },
    ],
    rows: params.clients.map((c) => ({
      clientId: html`<a href="${safeUrl(c.href)}"><code>${c.clientId}</code></a>`,
      name: c.name,
      grantTypes: lines(c.grantTypes, none),
      redirectUris: lines(c.redirectUris, none),
    })),
  });
  const body = card({ title: t(locale, 'integrations.list.title'), lead: t(locale, 'integrations.list.lead'), body: table });
  return portalPage(params, { title: t(locale, 'integrations.list.title'), body });
}
