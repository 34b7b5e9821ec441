/** Device flow, step 1 (`/device`): the user types the code their device shows; case and dashes do not matter. */
import { html } from '../html.ts';
import type { Locale } from '../i18n/locale.ts';
import { t } from '../i18n/t.ts';
import { page } from '../layout.ts';
import { formatUserCode } from '../user-code.ts';
import { actions } from '../components/actions.ts';
import { button } from '../components/button.ts';
import { card } from '../components/card.ts';
import { form } from '../components/form.ts';
import { formField } from '../components/form-field.ts';
import { hiddenField } from '../components/hidden-field.ts';

/** Why the entered code was rejected. */
export type DeviceEntryError = 'invalid' | 'expired' | 'used' | 'too_many' | 'session';

export interface DeviceEntryPageParams {
  locale: Locale;
  action: string;
  csrfToken: string;
  /** Prefill (e.g. from `?user-code=` or the previous attempt); shown formatted as ABCD-EFGH. */
  userCode?: string | undefined;
  error?: DeviceEntryError | undefined;
  /** Rendered as hidden inputs (e.g. oidc-provider's `xsrf`). */
  hiddenFields?: Readonly<Record<string, string>> | undefined;
  switchLocaleHref?: string | undefined;
}

/** Renders the code entry page. Field: `user_code` (+ `csrf`). */
export function deviceEntryPage(params: DeviceEntryPageParams): string {
  const { locale } = params;
  const hidden = Object.entries(params.hiddenFields ?? {}).map(([name, value]) => hiddenField(name, value));
  const fields = html`${hidden}${formField({
    id: 'user_code',
    name: 'user_code',
    label: t(locale, 'device.entry.field'),
    hint: t(locale, 'device.entry.hint'),
    error: params.error ? t(locale, `device.error.${params.error}`) : undefined,
    value: params.userCode ? formatUserCode(params.userCode) : undefined,
    autocomplete: 'one-time-code',
    autocapitalize: 'characters',
    spellcheck: false,
    inputMode: 'text',
    required: true,
    autofocus: true,
    size: 11,
    maxLength: 32,
    inputClass: 'input--code',
  })}
${actions(button({ label: t(locale, 'device.entry.submit') }))}`;
  const body = card({
    title: t(locale, 'device.entry.title'),
    lead: t(locale, 'device.entry.lead'),
    body: form({ action: params.action, csrfToken: params.csrfToken, body: fields }),
  });
  return page({ locale, title: t(locale, 'device.entry.title'), body, switchLocaleHref: params.switchLocaleHref });
}
