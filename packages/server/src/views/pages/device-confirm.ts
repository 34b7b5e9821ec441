/** Device flow, step 2: show the code large so the user checks it matches the device (anti-phishing), the application and its scopes. */
import { html } from '../html.ts';
import type { Locale } from '../i18n/locale.ts';
import { t, tHtml } from '../i18n/t.ts';
import { page } from '../layout.ts';
import type { ScopeInfo } from '../scopes.ts';
import { formatUserCode } from '../user-code.ts';
import { actions } from '../components/actions.ts';
import { button } from '../components/button.ts';
import { card } from '../components/card.ts';
import { form } from '../components/form.ts';
import { hiddenField } from '../components/hidden-field.ts';
import { notice } from '../components/notice.ts';
import { scopeList } from '../components/scope-list.ts';

export interface DeviceConfirmPageParams {
  locale: Locale;
  action: string;
  csrfToken: string;
  clientName: string;
  userCode: string;
  scopes: readonly ScopeInfo[];
  /** Rendered as hidden inputs (e.g. oidc-provider's `xsrf`). */
  hiddenFields?: Readonly<Record<string, string>> | undefined;
  switchLocaleHref?: string | undefined;
}

/**
 * Renders the confirmation. Submits `confirm=yes` or `abort=yes` (oidc-provider's device-flow
 * fields), plus `user_code`, `csrf` and the hidden fields.
 */
export function deviceConfirmPage(params: DeviceConfirmPageParams): string {
  const { locale } = params;
  const code = formatUserCode(params.userCode);
  const hidden = Object.entries(params.hiddenFields ?? {}).map(([name, value]) => hiddenField(name, value));
  const content = html`${hidden}${hiddenField('user_code', code)}
<h2 class="section-title" id="scopes-title">${tHtml(locale, 'device.confirm.requests', {
    client: html`<strong class="client-name">${params.clientName}</strong>`,
  })}</h2>
${scopeList(locale, params.scopes, 'scopes-title')}
${notice({ kind: 'warning', body: t(locale, 'device.confirm.warning') })}
${actions(
  button({ label: t(locale, 'device.confirm.continue'), name: 'confirm', value: 'yes', autofocus: true }),
  button({ label: t(locale, 'device.confirm.cancel'), name: 'abort', value: 'yes', variant: 'secondary' }),
)}`;
  const body = card({
    title: t(locale, 'device.confirm.title'),
    lead: t(locale, 'device.confirm.lead'),
    body: html`<figure class="user-code">
<figcaption class="user-code__label">${t(locale, 'device.confirm.codeLabel')}</figcaption>
<p class="user-code__value" translate="no">${code}</p>
</figure>
${form({ action: params.action, csrfToken: params.csrfToken, body: content })}`,
  });
  return page({ locale, title: t(locale, 'device.confirm.title'), body, switchLocaleHref: params.switchLocaleHref });
}
