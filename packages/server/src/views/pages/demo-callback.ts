/**
 * Where the demo client's authorization requests return (`/demo/callback`, served only while the
 * demo client exists): shows the authorization code and state, or the error, and a ready `curl`
 * command that exchanges the code at the token endpoint, so that the demo's authorization URL can
 * be tried in a browser on the same machine without writing an application first.
 */
import { html } from '../html.ts';
import type { Locale } from '../i18n/locale.ts';
import { t, tHtml } from '../i18n/t.ts';
import { page } from '../layout.ts';
import { card } from '../components/card.ts';
import { copyButton } from '../components/copy-button.ts';
import { notice } from '../components/notice.ts';

/** What came back to the callback: a code, an error, or nothing the demo understands. */
export type DemoCallbackResult =
  | { kind: 'code'; code: string; state?: string | undefined }
  | { kind: 'error'; error: string; description?: string | undefined; state?: string | undefined }
  | { kind: 'empty' };

export interface DemoCallbackPageParams {
  locale: Locale;
  result: DemoCallbackResult;
  tokenEndpoint: string;
  clientId: string;
  redirectUri: string;
  switchLocaleHref?: string | undefined;
}

/** A value for a POSIX shell, literally: as it is when it has nothing the shell reads, else inside single quotes (each `'` written as `'\''`). */
export function shellQuote(value: string): string {
  return /^[\w.:/=@%+,-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

/** The token request for `code`, as a shell command; the api-key is read from `$API_KEY`. */
export function demoTokenCommand(params: Pick<DemoCallbackPageParams, 'tokenEndpoint' | 'clientId' | 'redirectUri'>, code: string): string {
  return [
    `curl -s ${shellQuote(params.tokenEndpoint)}`,
    '  -d grant_type=authorization_code',
    `  --data-urlencode client_id=${shellQuote(params.clientId)}`,
    '  --data-urlencode client_secret="$API_KEY"',
    `  --data-urlencode code=${shellQuote(code)}`,
    `  --data-urlencode redirect_uri=${shellQuote(params.redirectUri)}`,
  ].join(' \\\n');
}

const details = (rows: readonly (readonly [string, string | undefined])[]) =>
  html`<dl class="details details--portal">${rows
    .filter((r): r is readonly [string, string] => r[1] !== undefined)
    .map(([label, value]) => html`<div class="details__row"><dt>${label}</dt><dd><code translate="no">${value}</code></dd></div>`)}</dl>`;

/** Renders the demo callback page. */
export function demoCallbackPage(params: DemoCallbackPageParams): string {
  const { locale, result } = params;
  if (result.kind === 'error') {
    const title = t(locale, 'demo.callback.error.title');
    const body = card({
      tone: 'danger',
      title,
      lead: t(locale, 'demo.callback.error.lead'),
      body: details([
        [t(locale, 'demo.callback.error'), result.error],
        [t(locale, 'demo.callback.errorDescription'), result.description],
        [t(locale, 'demo.callback.state'), result.state],
      ]),
    });
    return page({ locale, title, body, width: 'wide', switchLocaleHref: params.switchLocaleHref });
  }
  if (result.kind === 'empty') {
    const title = t(locale, 'demo.callback.empty.title');
    const body = card({ tone: 'info', title, lead: t(locale, 'demo.callback.empty.lead') });
    return page({ locale, title, body, switchLocaleHref: params.switchLocaleHref });
  }
  const title = t(locale, 'demo.callback.code.title');
  const body = card({
    tone: 'success',
    title,
    lead: t(locale, 'demo.callback.code.lead'),
    body: html`${details([
      [t(locale, 'demo.callback.code'), result.code],
      [t(locale, 'demo.callback.state'), result.state],
    ])}
<h2 class="section-title">${t(locale, 'demo.callback.exchange.title')}</h2>
<p>${tHtml(locale, 'demo.callback.exchange.lead', { variable: html`<code>API_KEY</code>` })}</p>
<pre class="command"><code id="token-command" translate="no">${demoTokenCommand(params, result.code)}</code></pre>
${copyButton(locale, 'token-command')}
${notice({ kind: 'info', body: tHtml(locale, 'demo.callback.exchange.note', { command: html`<code>npx propusk admin client issue-key ${params.clientId}</code>` }) })}`,
  });
  return page({ locale, title, body, width: 'wide', script: true, switchLocaleHref: params.switchLocaleHref });
}
