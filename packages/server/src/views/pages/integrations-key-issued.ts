/**
 * The only page that ever shows an api-key: right after "Issue key", with a copy button and a
 * warning that it is shown once. The server sends it with `Cache-Control: no-store`.
 */
import { html } from '../html.ts';
import { t, tHtml } from '../i18n/t.ts';
import { actions } from '../components/actions.ts';
import { linkButton } from '../components/button.ts';
import { card } from '../components/card.ts';
import { copyButton } from '../components/copy-button.ts';
import { notice } from '../components/notice.ts';
import { detailList, portalPage, type PortalChrome } from './integrations-common.ts';

export interface IntegrationKeyIssuedPageParams extends PortalChrome {
  clientId: string;
  clientName: string;
  /** The new api-key (GUID), shown here once. */
  apiKey: string;
  apiKeyId: string;
  label: string | null;
  backHref: string;
}

export function integrationKeyIssuedPage(params: IntegrationKeyIssuedPageParams): string {
  const { locale } = params;
  const body = card({
    tone: 'success',
    title: t(locale, 'integrations.keyIssued.title'),
    lead: tHtml(locale, 'integrations.keyIssued.lead', { client: html`<strong class="client-name">${params.clientName}</strong>` }),
    body: html`${notice({ kind: 'warning', title: t(locale, 'integrations.keyIssued.warningTitle'), body: t(locale, 'integrations.keyIssued.warning') })}
<div class="secret-box">
<p class="secret-box__label" id="api-key-label">${t(locale, 'integrations.keyIssued.keyLabel')}</p>
<p class="secret-box__value"><code id="api-key" aria-labelledby="api-key-label" translate="no">${params.apiKey}</code></p>
${copyButton(locale, 'api-key')}
</div>
${detailList([
  [t(locale, 'integrations.col.clientId'), html`<code>${params.clientId}</code>`],
  [t(locale, 'integrations.col.keyId'), html`<code>${params.apiKeyId}</code>`],
  [t(locale, 'integrations.col.label'), params.label ?? t(locale, 'integrations.none')],
])}
${actions(linkButton({ label: t(locale, 'integrations.keyIssued.done'), href: params.backHref, variant: 'primary' }))}`,
  });
  return portalPage(params, { title: t(locale, 'integrations.keyIssued.title'), body, script: true });
}
