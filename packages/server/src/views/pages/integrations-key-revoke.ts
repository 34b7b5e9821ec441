/** Confirmation step before an api-key is revoked: which key, what happens, Revoke or Cancel. */
import { html } from '../html.ts';
import { t, tHtml } from '../i18n/t.ts';
import { actions } from '../components/actions.ts';
import { button, linkButton } from '../components/button.ts';
import { card } from '../components/card.ts';
import { form } from '../components/form.ts';
import { detailList, formatDate, portalPage, type PortalChrome } from './integrations-common.ts';

export interface IntegrationKeyRevokePageParams extends PortalChrome {
  clientName: string;
  key: { id: string; label: string | null; createdAt: Date; lastUsedAt: Date | null };
  action: string;
  cancelHref: string;
}

/** Renders the confirmation; the form posts `confirm=yes` with `csrf`. */
export function integrationKeyRevokePage(params: IntegrationKeyRevokePageParams): string {
  const { locale, key } = params;
  const body = card({
    tone: 'danger',
    title: t(locale, 'integrations.revoke.title'),
    lead: tHtml(locale, 'integrations.revoke.lead', { client: html`<strong class="client-name">${params.clientName}</strong>` }),
    body: html`${detailList([
      [t(locale, 'integrations.col.keyId'), html`<code>${key.id}</code>`],
      [t(locale, 'integrations.col.label'), key.label ?? t(locale, 'integrations.none')],
      [t(locale, 'integrations.col.created'), formatDate(locale, key.createdAt)],
      [t(locale, 'integrations.col.lastUsed'), key.lastUsedAt ? formatDate(locale, key.lastUsedAt) : t(locale, 'integrations.key.neverUsed')],
    ])}
${form({
  action: params.action,
  csrfToken: params.csrfToken,
  body: actions(
    button({ label: t(locale, 'integrations.revoke.confirm'), variant: 'danger', name: 'confirm', value: 'yes' }),
    linkButton({ label: t(locale, 'integrations.revoke.cancel'), href: params.cancelHref }),
  ),
})}`,
  });
  return portalPage(params, { title: t(locale, 'integrations.revoke.title'), body });
}
