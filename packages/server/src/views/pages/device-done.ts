/** Device flow, last step: tell the user the outcome and that they can go back to their device. */
import { html } from '../html.ts';
import type { Locale } from '../i18n/locale.ts';
import { t, tHtml } from '../i18n/t.ts';
import { page } from '../layout.ts';
import { card } from '../components/card.ts';

/** How the device authorization ended. */
export type DeviceOutcome = 'success' | 'denied' | 'expired';

export interface DeviceDonePageParams {
  locale: Locale;
  outcome: DeviceOutcome;
  /** After an approval: the application and the account it now acts for. */
  connected?: { clientName: string; accountLabel: string } | undefined;
  switchLocaleHref?: string | undefined;
}

const TONE = { success: 'success', denied: 'info', expired: 'danger' } as const;

/** Renders the device-flow result page. */
export function deviceDonePage(params: DeviceDonePageParams): string {
  const { locale, outcome } = params;
  const title = t(locale, `device.done.${outcome}.title`);
  const connected = params.connected
    ? html`<p class="account-chip" data-device-connected>${tHtml(locale, 'device.done.connected', {
        client: html`<strong class="client-name">${params.connected.clientName}</strong>`,
        account: html`<strong>${params.connected.accountLabel}</strong>`,
      })}</p>`
    : undefined;
  const body = card({ tone: TONE[outcome], title, lead: t(locale, `device.done.${outcome}.message`), body: connected });
  return page({ locale, title, body, switchLocaleHref: params.switchLocaleHref });
}
