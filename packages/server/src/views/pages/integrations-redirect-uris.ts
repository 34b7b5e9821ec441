/** Editing an application's redirect URIs: one per line in a textarea, with the rules and an inline error. */
import { html } from '../html.ts';
import { attributes } from '../attributes.ts';
import { t, tHtml } from '../i18n/t.ts';
import { actions } from '../components/actions.ts';
import { button, linkButton } from '../components/button.ts';
import { card } from '../components/card.ts';
import { form } from '../components/form.ts';
import { portalPage, type PortalChrome } from './integrations-common.ts';

export interface IntegrationRedirectUrisPageParams extends PortalChrome {
  clientName: string;
  /** Textarea content (the current list, or what was submitted). */
  value: string;
  /** Why the submitted list was refused (localized text). */
  error?: string | undefined;
  action: string;
  cancelHref: string;
}

/** Renders the editor; the form posts `redirect_uris` (newline-separated) with `csrf`. */
export function integrationRedirectUrisPage(params: IntegrationRedirectUrisPageParams): string {
  const { locale } = params;
  const textarea = attributes({
    class: 'input input--multiline',
    id: 'redirect-uris',
    name: 'redirect_uris',
    rows: 6,
    required: true,
    spellcheck: 'false',
    autocapitalize: 'none',
    maxlength: 50_000,
    'aria-invalid': params.error ? 'true' : undefined,
    'aria-describedby': params.error ? 'redirect-uris-hint redirect-uris-error' : 'redirect-uris-hint',
  });
  const field = html`<div class="field${params.error ? ' field--invalid' : ''}">
<label class="field__label" for="redirect-uris">${t(locale, 'integrations.redirectUris.field')}</label>
<p class="field__hint" id="redirect-uris-hint">${t(locale, 'integrations.redirectUris.hint')}</p><textarea${textarea}>${params.value}</textarea>
${params.error ? html`<p class="field__error" id="redirect-uris-error" role="alert">${params.error}</p>` : ''}</div>`;
  const body = card({
    title: t(locale, 'integrations.redirectUris.title'),
    lead: tHtml(locale, 'integrations.redirectUris.lead', { client: html`<strong class="client-name">${params.clientName}</strong>` }),
    body: form({
      action: params.action,
      csrfToken: params.csrfToken,
      body: html`${field}
${actions(button({ label: t(locale, 'integrations.redirectUris.save') }), linkButton({ label: t(locale, 'integrations.redirectUris.cancel'), href: params.cancelHref }))}`,
    }),
  });
  return portalPage(params, { title: t(locale, 'integrations.redirectUris.title'), body });
}
