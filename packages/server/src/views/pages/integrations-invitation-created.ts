/** Shows an invitation link an owner just created for a colleague, with a copy button (shown once: only its hash is stored). */
import { html } from '../html.ts';
import { t } from '../i18n/t.ts';
import { actions } from '../components/actions.ts';
import { linkButton } from '../components/button.ts';
import { card } from '../components/card.ts';
import { copyButton } from '../components/copy-button.ts';
import { notice } from '../components/notice.ts';
import { formatDate, portalPage, type PortalChrome } from './integrations-common.ts';

export interface IntegrationInvitationCreatedPageParams extends PortalChrome {
  clientName: string;
  url: string;
  email: string | null;
  expiresAt: Date;
  backHref: string;
}

export function integrationInvitationCreatedPage(params: IntegrationInvitationCreatedPageParams): string {
  const { locale } = params;
  const body = card({
    tone: 'success',
    title: t(locale, 'integrations.inviteCreated.title'),
    lead: t(locale, 'integrations.inviteCreated.lead', { expires: formatDate(locale, params.expiresAt) }),
    body: html`<div class="secret-box">
<p class="secret-box__label" id="invitation-url-label">${t(locale, 'integrations.inviteCreated.linkLabel')}</p>
<p class="secret-box__value"><code id="invitation-url" aria-labelledby="invitation-url-label" translate="no">${params.url}</code></p>
${copyButton(locale, 'invitation-url')}
</div>
${params.email ? html`<p>${t(locale, 'integrations.inviteCreated.forEmail', { email: params.email })}</p>` : ''}
${notice({ kind: 'warning', body: t(locale, 'integrations.inviteCreated.warning') })}
${actions(linkButton({ label: t(locale, 'integrations.backToClient'), href: params.backHref, variant: 'primary' }))}`,
  });
  return portalPage(params, { title: t(locale, 'integrations.inviteCreated.title'), body, script: true });
}
