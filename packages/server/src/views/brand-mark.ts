/** Static inline SVG of the header: the Propusk logo mark (a keyhole in a rounded square), its data-URI favicon, and the language-switch globe. */
import { raw, type SafeHtml } from './html.ts';

const SVG_BODY =
  '<rect width="32" height="32" rx="8" fill="#1d4ed8"/>' +
  '<circle cx="16" cy="13" r="4.5" fill="#fff"/>' +
  '<path d="M13.6 15.5h4.8l1.4 8.5h-7.6z" fill="#fff"/>';

/** Inline logo for the header (decorative: the product name is next to it). */
export const brandMark: SafeHtml = raw(
  `<svg class="brand__mark" viewBox="0 0 32 32" width="28" height="28" aria-hidden="true" focusable="false">${SVG_BODY}</svg>`,
);

/** Favicon as a data URI (allowed by `img-src 'self' data:`), so browsers do not request /favicon.ico. */
export const faviconHref = `data:image/svg+xml,${encodeURIComponent(
  `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">${SVG_BODY}</svg>`,
)}`;

/** Decorative globe icon for the language switch link. */
export const globeIcon: SafeHtml = raw(
  '<svg class="lang-switch__icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false" fill="none" stroke="currentColor" stroke-width="1.8">' +
    '<circle cx="12" cy="12" r="9"/><path d="M3 12h18M12 3c2.5 2.6 3.8 5.6 3.8 9s-1.3 6.4-3.8 9c-2.5-2.6-3.8-5.6-3.8-9S9.5 5.6 12 3z"/></svg>',
);
