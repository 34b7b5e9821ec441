/** Hidden inputs: the CSRF token field every form carries, and arbitrary pass-through fields. */
import { html, type SafeHtml } from '../html.ts';

/** `<input type="hidden" name value>` with both escaped. */
export function hiddenField(name: string, value: string): SafeHtml {
  return html`<input type="hidden" name="${name}" value="${value}">`;
}

/** The CSRF token field, always named `csrf`. */
export function csrfField(token: string): SafeHtml {
  return hiddenField('csrf', token);
}
