/** The e-mail with a one-time set-password link ("Forgot password?"): plain text and a simple HTML part, in Russian or English. */
import { html } from '../html.ts';
import type { Locale } from '../i18n/locale.ts';
import { t } from '../i18n/t.ts';

export interface PasswordLinkMailParams {
  locale: Locale;
  url: string;
  expiresAt: Date;
  /** The account's login, so the person knows which account it is. */
  login: string;
}

const DATE_LOCALES: Record<Locale, string> = { ru: 'ru-RU', en: 'en-GB' };

export function passwordLinkMail(params: PasswordLinkMailParams): { subject: string; text: string; html: string; language: string } {
  const { locale } = params;
  const until = `${new Intl.DateTimeFormat(DATE_LOCALES[locale], { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' }).format(params.expiresAt)} UTC`;
  const lines = {
    greeting: t(locale, 'mail.passwordLink.greeting', { login: params.login }),
    action: t(locale, 'mail.passwordLink.action'),
    expires: t(locale, 'mail.passwordLink.expires', { until }),
    ignore: t(locale, 'mail.passwordLink.ignore'),
  };
  const text = `${lines.greeting}\n\n${lines.action}\n\n${params.url}\n\n${lines.expires}\n\n${lines.ignore}\n`;
  const body = html`<!doctype html>
<html lang="${locale}"><head><meta charset="utf-8"><title>${t(locale, 'mail.passwordLink.subject')}</title></head>
<body>
<p>${lines.greeting}</p>
<p>${lines.action}</p>
<p><a href="${params.url}">${t(locale, 'mail.passwordLink.button')}</a></p>
<p>${lines.expires}</p>
<p>${lines.ignore}</p>
</body></html>`;
  return { subject: t(locale, 'mail.passwordLink.subject'), text, html: body.toString(), language: locale };
}
