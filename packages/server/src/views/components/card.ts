/** The centred card every page is built from: a heading, an optional lead paragraph, the content and an optional footer. */
import { html, type HtmlValue, type SafeHtml } from '../html.ts';

export interface CardOptions {
  /** Page heading (rendered as the page's only `<h1>`). */
  title: HtmlValue;
  /** Short paragraph under the heading. */
  lead?: HtmlValue;
  /** Card content. */
  body?: HtmlValue;
  /** Small print at the bottom of the card, separated by a rule. */
  footer?: HtmlValue;
  /** Visual tone of the icon badge above the heading; none by default. */
  tone?: 'success' | 'danger' | 'info' | undefined;
  /** Extra class names (e.g. `card--wide` for tables). */
  className?: string;
}

const ICONS = {
  success: html`<svg viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path d="M5 12.5l4.5 4.5L19 7.5" fill="none" stroke="currentColor" stroke-width="2.4" stroke-linecap="round" stroke-linejoin="round"/></svg>`,
  danger: html`<svg viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path d="M12 7v6M12 16.5v.5" fill="none" stroke="currentColor" stroke-width="2.4" stroke-linecap="round"/></svg>`,
  info: html`<svg viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path d="M12 11v6M12 7.5v.5" fill="none" stroke="currentColor" stroke-width="2.4" stroke-linecap="round"/></svg>`,
} as const;

/** Renders the page card; its `<h1 id="page-title">` labels the section. */
export function card(options: CardOptions): SafeHtml {
  const className = ['card', options.className].filter(Boolean).join(' ');
  return html`<section class="${className}" aria-labelledby="page-title">
${options.tone ? html`<div class="card__badge card__badge--${options.tone}">${ICONS[options.tone]}</div>` : ''}<h1 class="card__title" id="page-title">${options.title}</h1>
${options.lead !== undefined ? html`<p class="card__lead">${options.lead}</p>` : ''}${options.body ?? ''}
${options.footer !== undefined ? html`<div class="card__footer">${options.footer}</div>` : ''}</section>`;
}
