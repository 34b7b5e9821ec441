/** A POST form that always carries the CSRF token, so no page can forget it. */
import { html, type HtmlValue, type SafeHtml } from '../html.ts';
import { attributes } from '../attributes.ts';
import { safeUrl } from '../url.ts';
import { csrfField } from './hidden-field.ts';

export interface FormOptions {
  /** Where the form posts; relative or http(s) URLs only. */
  action: string;
  csrfToken: string;
  body: HtmlValue;
  className?: string;
  /** Accessible name of the form (useful when a page has several). */
  label?: string;
  /** Disable browser validation (server-side validation still runs). */
  noValidate?: boolean;
  /** `id`, for buttons outside the form that submit it (`form="…"`). */
  id?: string;
}

/** Renders `<form method="post">` with the hidden `csrf` field first. */
export function form(options: FormOptions): SafeHtml {
  const attrs = attributes({
    class: ['form', options.className].filter(Boolean).join(' '),
    id: options.id,
    method: 'post',
    action: safeUrl(options.action),
    'aria-label': options.label,
    novalidate: options.noValidate,
  });
  return html`<form${attrs}>
${csrfField(options.csrfToken)}
${options.body}
</form>`;
}
