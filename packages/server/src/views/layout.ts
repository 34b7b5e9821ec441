/** The full HTML5 document around every page: head, header with product name and language switch, main area, footer. */
import { brandMark, faviconHref, globeIcon } from './brand-mark.ts';
import { html, type HtmlValue } from './html.ts';
import { passkeyScriptPath, scriptPath, stylesheetPath, webauthnScriptPath } from './assets/paths.ts';
import type { Locale } from './i18n/locale.ts';
import { otherLocale } from './i18n/locale.ts';
import { t } from './i18n/t.ts';
import { safeUrl } from './url.ts';

export interface PageOptions {
  locale: Locale;
  /** Page title (text); the product name is appended in `<title>`. */
  title: string;
  /** Main content, usually one `card(...)`. */
  body: HtmlValue;
  /** Link to the same page in the other locale (e.g. `?ui_locales=en`); no switch is shown without it. */
  switchLocaleHref?: string | undefined;
  /** Include `/assets/propusk.js` (only needed for `copyButton`). Default false. */
  script?: boolean;
  /** Include the passkey scripts (`/assets/webauthn.js` and `/assets/passkeys.js`) for `passkeyForm`. Default false. */
  passkeys?: boolean;
  /** `narrow` (default) for forms, `wide` for tables and account pages. */
  width?: 'narrow' | 'wide';
  /** Extra header content at the end (e.g. an account menu on portal pages). */
  headerExtra?: HtmlValue;
}

/**
 * In a template tagged `html` esbuild cannot escape a non-ASCII character (the raw text is
 * observable), and one such character makes Node hold the whole bundle file as a two-byte string
 * (docs/performance-memory.md): the title's dash comes in as a value.
 */
const EM_DASH = '\u2014';

/** Renders a complete document. No inline styles or scripts: everything comes from `/assets/`. */
export function page(options: PageOptions): string {
  const { locale } = options;
  const target = otherLocale(locale);
  const brand = t(locale, 'brand.name');
  const switchLink = options.switchLocaleHref
    ? html`<a class="lang-switch" href="${safeUrl(options.switchLocaleHref)}" hreflang="${target}" lang="${target}" title="${t(locale, 'layout.switchLocaleHint')}">${globeIcon}${t(locale, 'layout.switchLocale')}</a>`
    : '';
  const doc = html`<!doctype html>
<html lang="${locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<meta name="color-scheme" content="light dark">
<title>${options.title} ${EM_DASH} ${brand}</title>
<link rel="icon" href="${faviconHref}">
<link rel="stylesheet" href="${stylesheetPath}">
${options.script ? html`<script src="${scriptPath}" defer></script>\n` : ''}${options.passkeys ? html`<script src="${webauthnScriptPath}" defer></script>\n<script src="${passkeyScriptPath}" defer></script>\n` : ''}</head>
<body>
<a class="skip-link" href="#main">${t(locale, 'layout.skipToContent')}</a>
<header class="site-header">
<div class="site-header__inner">
<span class="brand">${brandMark}<span class="brand__name">${brand}</span></span>
<div class="site-header__end">${options.headerExtra ?? ''}${switchLink}</div>
</div>
</header>
<main id="main" class="site-main${options.width === 'wide' ? ' site-main--wide' : ''}" tabindex="-1">
${options.body}
</main>
<footer class="site-footer">
<p>${t(locale, 'layout.footer')}</p>
</footer>
</body>
</html>
`;
  return doc.toString();
}
