/** A row of form buttons: stacked full-width on phones, side by side on wider screens, primary first in reading order. */
import { html, type HtmlValue, type SafeHtml } from '../html.ts';

/** Wraps buttons in the `.actions` row. */
export function actions(...buttons: readonly HtmlValue[]): SafeHtml {
  return html`<div class="actions">${buttons}</div>`;
}
