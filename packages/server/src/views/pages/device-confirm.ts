/**
 * Device flow, opened from a link with the code: show the code large so the person checks it matches
 * the device (anti-phishing), and the application. The permissions are shown once, on the approval
 * page that follows (the consent page). Neither button is focused: the person reads, then decides.
 */
import { html } from '../html.ts';
import type { Locale } from '../i18n/locale.ts';
import { t, tHtml } from '../i18n/t.ts';
import { page } from '../layout.ts';
import { formatUserCode } from '../user-code.ts';
import { actions } from '../components/actions.ts';
import { button } from '../components/button.ts';
import { card } from '../components/card.ts';
import { form } from '../components/form.ts';
import { hiddenField } from '../components/hidden-field.ts';
import { notice } from '../components/notice.ts';

export interface DeviceConfirmPageParams {
  locale: Locale;
  action: string;
  csrfToken: string;
  clientName: string;
  userCode: string;
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
<p>${tHtml(locale, 'device.confirm.requests', {
    client: html`<strong class="client-name">${params.clientName}</strong>`,
  })}</p>
${notice({ kind: 'warning', body: t(locale, 'device.confirm.warning') })}
${actions(
  button({ label: t(locale, 'device.confirm.continue'), name: 'confirm', value: 'yes' }),
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
