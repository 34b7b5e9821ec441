/** Friendly error page: a title, a plain message, an optional way home, and the error code and request id small at the bottom for support. */
import { html, type SafeHtml } from '../html.ts';
import type { Locale } from '../i18n/locale.ts';
import { isMessageKey, t } from '../i18n/t.ts';
import { page } from '../layout.ts';
import { linkButton } from '../components/button.ts';
import { card } from '../components/card.ts';
import { copyButton } from '../components/copy-button.ts';

export interface ErrorPageParams {
  locale: Locale;
  /** HTTP status; picks a default title (400, 401, 403, 404, 429, 503, otherwise generic). */
  status?: number | undefined;
  /** Overrides the default title. */
  title?: string | undefined;
  /** User-facing explanation (text; never a stack trace or internal detail). */
  message: string;
  /** Stable error code, e.g. `invalid_request` or `ERR_INTERACTION_EXPIRED`. */
  code?: string | undefined;
  /** Request id from the logs, so support can find the request. */
  requestId?: string | undefined;
  /** Where "Back to the home page" leads; no link without it. */
  homeHref?: string | undefined;
  /** The link's text, when it leads somewhere more specific than the home page (e.g. "Return to <application>"). */
  homeLabel?: string | undefined;
  /** Facts for the application's developers (e.g. the client id); with them the error code goes into a collapsed "details" block too. */
  developerDetails?: ReadonlyArray<{ label: string; value: string }> | undefined;
}

function detailRow(label: string, value: string): SafeHtml {
  return html`<div class="details__row"><dt>${label}</dt><dd><code>${value}</code></dd></div>`;
}

function defaultTitle(locale: Locale, status: number | undefined): string {
  const key = `error.title.${status ?? ''}`;
  return isMessageKey(key) ? t(locale, key) : t(locale, 'error.title.default');
}

/** Renders the error page (the caller sets the HTTP status). Includes the copy script for the request id. */
export function errorPage(params: ErrorPageParams): string {
  const { locale } = params;
  const title = params.title?.trim() || defaultTitle(locale, params.status);
  const developer = params.developerDetails?.length ? params.developerDetails : undefined;
  const codeRow = params.code ? detailRow(t(locale, 'error.code'), params.code) : '';
  const developerBlock = developer
    ? html`<details class="error-details"><summary>${t(locale, 'error.details')}</summary>
<dl class="details">
${codeRow}
${developer.map((d) => detailRow(d.label, d.value))}
</dl>
</details>`
    : '';
  const details =
    params.code || params.requestId || developer
      ? html`<p>${t(locale, 'error.support')}</p>
${developerBlock}
<dl class="details">
${developer ? '' : codeRow}
${
  params.requestId
    ? html`<div class="details__row"><dt>${t(locale, 'error.requestId')}</dt><dd><code id="request-id">${params.requestId}</code> ${copyButton(locale, 'request-id')}</dd></div>`
    : ''
}
</dl>`
      : undefined;
  const body = card({
    tone: 'danger',
    title,
    lead: params.message,
    body: params.homeHref ? html`<div class="actions">${linkButton({ label: params.homeLabel ?? t(locale, 'error.home'), href: params.homeHref })}</div>` : '',
    footer: details,
  });
  return page({ locale, title, body, script: Boolean(params.requestId) });
}
