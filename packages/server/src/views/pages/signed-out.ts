/** Shown after logout when no post-logout redirect applies: the session has ended, the window may be closed. */
import type { Locale } from '../i18n/locale.ts';
import { t } from '../i18n/t.ts';
import { page } from '../layout.ts';
import { card } from '../components/card.ts';

export interface SignedOutPageParams {
  locale: Locale;
}

/** Renders the "you have signed out" page. */
export function signedOutPage(params: SignedOutPageParams): string {
  const { locale } = params;
  const body = card({ tone: 'success', title: t(locale, 'signedOut.title'), lead: t(locale, 'signedOut.message') });
  return page({ locale, title: t(locale, 'signedOut.title'), body });
}
