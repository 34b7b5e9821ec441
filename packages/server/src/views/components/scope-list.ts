/** The list of requested permissions shown on consent and device-confirmation pages. */
import { html, type SafeHtml } from '../html.ts';
import type { Locale } from '../i18n/locale.ts';
import { describeScope, type ScopeInfo } from '../scopes.ts';

/** Renders scopes as a checklist: the description, with the technical scope name small underneath when it differs. */
export function scopeList(locale: Locale, scopes: readonly ScopeInfo[], labelledBy?: string): SafeHtml {
  const items = scopes.map((scope) => {
    const text = describeScope(locale, scope);
    return html`<li class="scopes__item"><span class="scopes__text">${text}</span>${
      text !== scope.name ? html`<code class="scopes__name">${scope.name}</code>` : ''
    }</li>`;
  });
  return html`<ul class="scopes"${labelledBy ? html` aria-labelledby="${labelledBy}"` : ''}>${items}</ul>`;
}
