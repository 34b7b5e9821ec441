/** A button with visible text; submit buttons may carry a `name`/`value` pair (e.g. `decision=allow`). */
import { html, type SafeHtml } from '../html.ts';
import { attributes } from '../attributes.ts';
import { safeUrl } from '../url.ts';

export interface ButtonOptions {
  /** Visible text (required: icon-only buttons are not allowed). */
  label: string;
  /** `primary` (filled), `secondary` (outlined) or `quiet` (text-like). Default `primary`. */
  variant?: 'primary' | 'secondary' | 'quiet' | 'danger';
  /** Default `submit`. */
  type?: 'submit' | 'button';
  name?: string;
  value?: string;
  autofocus?: boolean;
  /** Skip the browser's required-field check (for cancel-like submit buttons). */
  formNoValidate?: boolean;
  id?: string;
  /** Extra attributes such as `data-copy-target` or `hidden`. */
  extra?: Readonly<Record<string, string | boolean | undefined>>;
}

/** Renders a `<button>`. */
export function button(options: ButtonOptions): SafeHtml {
  const attrs = attributes({
    type: options.type ?? 'submit',
    class: `button button--${options.variant ?? 'primary'}`,
    id: options.id,
    name: options.name,
    value: options.value,
    autofocus: options.autofocus,
    formnovalidate: options.formNoValidate,
    ...options.extra,
  });
  return html`<button${attrs}>${options.label}</button>`;
}

/** Renders a link styled as a button (for navigation that is not a form submission). */
export function linkButton(options: { label: string; href: string; variant?: ButtonOptions['variant'] }): SafeHtml {
  return html`<a${attributes({ class: `button button--${options.variant ?? 'secondary'}`, href: safeUrl(options.href) })}>${options.label}</a>`;
}
