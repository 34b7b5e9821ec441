/** Tagged template `html` that HTML-escapes every interpolation unless it is trusted `SafeHtml`: the one XSS guard of the view layer. */

/** A string of markup that is already safe to insert: produced only by `html` or `raw`. */
export class SafeHtml {
  readonly #value: string;

  private constructor(value: string) {
    this.#value = value;
  }

  /** Internal factory; application code uses `html` or `raw` instead. */
  static trust(value: string): SafeHtml {
    return new SafeHtml(value);
  }

  toString(): string {
    return this.#value;
  }
}

/** Anything that may be interpolated into `html`: text is escaped, `SafeHtml` kept, null/undefined/booleans render nothing. */
export type HtmlValue = SafeHtml | string | number | bigint | boolean | null | undefined | readonly HtmlValue[];

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
};

/** Escapes the characters `& < > " ' \`` so that text is inert in element content and in quoted attributes. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`]/g, (ch) => ESCAPES[ch] ?? ch);
}

function render(value: HtmlValue): string {
  if (value instanceof SafeHtml) return value.toString();
  if (value === null || value === undefined || typeof value === 'boolean') return '';
  if (Array.isArray(value)) return (value as readonly HtmlValue[]).map(render).join('');
  return escapeHtml(String(value));
}

/** Tagged template: `html\`<p>${text}</p>\`` escapes `text`; nested `html` results and arrays of them are inserted as is. */
export function html(strings: TemplateStringsArray, ...values: readonly HtmlValue[]): SafeHtml {
  let out = strings[0] ?? '';
  for (let i = 0; i < values.length; i++) {
    out += render(values[i]) + (strings[i + 1] ?? '');
  }
  return SafeHtml.trust(out);
}

/** Marks trusted markup (never user input) as safe, e.g. a static SVG. */
export function raw(markup: string): SafeHtml {
  return SafeHtml.trust(markup);
}

/** Joins values (escaping text) with an optional safe separator. */
export function join(values: readonly HtmlValue[], separator: SafeHtml | string = ''): SafeHtml {
  const sep = separator instanceof SafeHtml ? separator.toString() : escapeHtml(separator);
  return SafeHtml.trust(values.map(render).join(sep));
}
