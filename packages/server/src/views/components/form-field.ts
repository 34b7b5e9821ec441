/** A labelled input: `<label for>` + input + optional hint and inline error, wired with `aria-describedby`/`aria-invalid`. */
import { html, type SafeHtml } from '../html.ts';
import { attributes } from '../attributes.ts';

export interface FormFieldOptions {
  /** Element id; the label's `for` points at it. */
  id: string;
  name: string;
  label: string;
  /** Default `text`. Hidden inputs use `hiddenField` instead. */
  type?: 'text' | 'password' | 'email' | 'tel' | 'number' | 'search' | 'url';
  value?: string;
  /** e.g. `username`, `current-password`, `new-password`, `one-time-code`. */
  autocomplete?: string;
  autofocus?: boolean;
  required?: boolean;
  /** Help text under the label. */
  hint?: string;
  /** Field-level error text (shown in red under the input and announced). */
  error?: string;
  /** Ids of other elements that describe the field (e.g. a form-level error notice). */
  describedBy?: readonly string[];
  /** Mark the field invalid without a field-level message (the message lives elsewhere, see `describedBy`). */
  invalid?: boolean;
  inputMode?: 'text' | 'numeric' | 'tel' | 'email' | 'url' | 'search';
  autocapitalize?: 'none' | 'characters' | 'words' | 'sentences';
  spellcheck?: boolean;
  minLength?: number;
  maxLength?: number;
  /** Visible width in characters. */
  size?: number;
  /** Extra class on the input, e.g. `input--code`. */
  inputClass?: string;
  /**
   * For a password field: a "Show password" toggle. It is rendered `hidden` and revealed by
   * /assets/propusk.js, so without JavaScript the field stays a plain password field.
   */
  reveal?: { show: string; hide: string };
}

/** Renders one form field block. */
export function formField(options: FormFieldOptions): SafeHtml {
  const hintId = options.hint ? `${options.id}-hint` : undefined;
  const errorId = options.error ? `${options.id}-error` : undefined;
  const describedBy = [hintId, errorId, ...(options.describedBy ?? [])].filter(Boolean).join(' ');
  const invalid = Boolean(options.error) || options.invalid === true;
  const input = attributes({
    class: ['input', options.inputClass].filter(Boolean).join(' '),
    id: options.id,
    name: options.name,
    type: options.type ?? 'text',
    value: options.value,
    autocomplete: options.autocomplete,
    autofocus: options.autofocus,
    required: options.required,
    inputmode: options.inputMode,
    autocapitalize: options.autocapitalize,
    spellcheck: options.spellcheck === undefined ? undefined : String(options.spellcheck),
    minlength: options.minLength,
    maxlength: options.maxLength,
    size: options.size,
    'aria-invalid': invalid ? 'true' : undefined,
    'aria-describedby': describedBy || undefined,
  });
  const control = options.reveal
    ? html`<div class="field__control"><input${input}><button type="button" class="field__reveal" hidden aria-controls="${options.id}" aria-pressed="false" data-reveal-target="${options.id}" data-show-label="${options.reveal.show}" data-hide-label="${options.reveal.hide}">${options.reveal.show}</button></div>`
    : html`<input${input}>`;
  return html`<div class="field${invalid ? ' field--invalid' : ''}">
<label class="field__label" for="${options.id}">${options.label}</label>
${hintId ? html`<p class="field__hint" id="${hintId}">${options.hint}</p>` : ''}${control}
${errorId ? html`<p class="field__error" id="${errorId}" role="alert">${options.error}</p>` : ''}</div>`;
}
