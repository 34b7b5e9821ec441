/** An inline message box; errors use `role="alert"` so screen readers announce them, others `role="status"`. */
import { html, type HtmlValue, type SafeHtml } from '../html.ts';
import { attributes } from '../attributes.ts';

export interface NoticeOptions {
  kind: 'error' | 'warning' | 'info' | 'success';
  body: HtmlValue;
  /** Bold first line. */
  title?: HtmlValue;
  /** Element id, to point `aria-describedby` of fields at the message. */
  id?: string;
}

/** Renders a notice box. */
export function notice(options: NoticeOptions): SafeHtml {
  const role = options.kind === 'error' ? 'alert' : 'status';
  return html`<div${attributes({ class: `notice notice--${options.kind}`, role, id: options.id })}>${
    options.title !== undefined ? html`<p class="notice__title">${options.title}</p>` : ''
  }<p class="notice__body">${options.body}</p></div>`;
}
