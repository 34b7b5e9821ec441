/** Device flow, last step: tell the user the outcome and that they can go back to their device. */
import type { Locale } from '../i18n/locale.ts';
import { t } from '../i18n/t.ts';
import { page } from '../layout.ts';
import { card } from '../components/card.ts';

/** How the device authorization ended. */
export type DeviceOutcome = 'success' | 'denied' | 'expired';

export interface DeviceDonePageParams {
  locale: Locale;
  outcome: DeviceOutcome;
}

const TONE = { success: 'success', denied: 'info', expired: 'danger' } as const;

/** Renders the device-flow result page. */
export function deviceDonePage(params: DeviceDonePageParams): string {
  const { locale, outcome } = params;
  const title = t(locale, `device.done.${outcome}.title`);
  const body = card({ tone: TONE[outcome], title, lead: t(locale, `device.done.${outcome}.message`) });
  return page({ locale, title, body });
}
