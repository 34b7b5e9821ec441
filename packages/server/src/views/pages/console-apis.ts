/** The console's API resources: the list and, for operators who may, the form that creates one. */
import { html } from '../html.ts';
import { t } from '../i18n/t.ts';
import { actions } from '../components/actions.ts';
import { button } from '../components/button.ts';
import { card } from '../components/card.ts';
import { dataTable } from '../components/data-table.ts';
import { form } from '../components/form.ts';
import { formField } from '../components/form-field.ts';
import { consoleDate, consolePage, pager, problemNotice, sectionTitle, type ConsoleChrome, type ConsoleProblem } from './console-common.ts';

/** An API resource as the management API answers it. */
export interface ConsoleApi {
  scope: string;
  indicator: string;
  name: string;
  access_token_format: string;
  /** The signature algorithm of its JWT access tokens; null for opaque tokens. */
  access_token_signing_alg: string | null;
  access_token_ttl: number;
  introspection_client_id: string | null;
  created_at: string;
}

export interface ConsoleApisPageParams extends ConsoleChrome {
  apis: readonly ConsoleApi[];
  next?: string | undefined;
  first?: string | undefined;
  /** The create form's target, when the operator may create. */
  createAction?: string | undefined;
  /** The signature algorithms the form offers for JWT access tokens, the default first (without them, none is offered). */
  signingAlgs?: readonly string[] | undefined;
  /** What the refused create form held. */
  values?: Readonly<Record<string, string>> | undefined;
  problem?: ConsoleProblem | undefined;
}

export function consoleApisPage(params: ConsoleApisPageParams): string {
  const { locale } = params;
  const title = t(locale, 'console.apis.title');
  const v = params.values ?? {};
  const algs = params.signingAlgs ?? [];
  const table = dataTable({
    caption: title,
    captionHidden: true,
    empty: t(locale, 'console.apis.empty'),
    columns: [
      { key: 'scope', label: t(locale, 'console.apis.scope') },
      { key: 'name', label: t(locale, 'console.col.name') },
      { key: 'indicator', label: t(locale, 'console.apis.indicator') },
      { key: 'token', label: t(locale, 'console.apis.token') },
      { key: 'introspection', label: t(locale, 'console.apis.introspection') },
      { key: 'created', label: t(locale, 'console.col.created') },
    ],
    rows: params.apis.map((a) => ({
      scope: html`<code>${a.scope}</code>`,
      name: a.name,
      indicator: html`<code>${a.indicator}</code>`,
      token: t(locale, 'console.apis.tokenValue', { format: a.access_token_signing_alg ? `${a.access_token_format} ${a.access_token_signing_alg}` : a.access_token_format, ttl: a.access_token_ttl }),
      introspection: a.introspection_client_id ? html`<code>${a.introspection_client_id}</code>` : t(locale, 'console.none'),
      created: consoleDate(locale, a.created_at),
    })),
  });
  const create = params.createAction
    ? html`${sectionTitle(t(locale, 'console.apis.create'), 'create-title')}
${problemNotice(locale, params.problem)}
${form({
  action: params.createAction,
  csrfToken: params.csrfToken,
  label: t(locale, 'console.apis.create'),
  body: html`${formField({ id: 'api-scope', name: 'scope', label: t(locale, 'console.apis.scope'), hint: t(locale, 'console.apis.scopeHint'), required: true, maxLength: 100, value: v.scope, autocapitalize: 'none', spellcheck: false })}
${formField({ id: 'api-name', name: 'name', label: t(locale, 'console.col.name'), required: true, maxLength: 200, value: v.name })}
${formField({ id: 'api-indicator', name: 'indicator', label: t(locale, 'console.apis.indicator'), hint: t(locale, 'console.apis.indicatorHint'), maxLength: 500, value: v.indicator, autocapitalize: 'none', spellcheck: false })}
<div class="field">
<label class="field__label" for="api-format">${t(locale, 'console.apis.format')}</label>
<select class="input input--select" id="api-format" name="access_token_format">
<option value="opaque"${v.access_token_format === 'jwt' ? '' : html` selected`}>${t(locale, 'console.apis.formatOpaque')}</option>
<option value="jwt"${v.access_token_format === 'jwt' ? html` selected` : ''}>${t(locale, 'console.apis.formatJwt')}</option>
</select>
</div>
${algs.length ? html`<div class="field">
<label class="field__label" for="api-alg">${t(locale, 'console.apis.alg')}</label>
<p class="field__hint" id="api-alg-hint">${t(locale, 'console.apis.algHint')}</p>
<select class="input input--select" id="api-alg" name="access_token_signing_alg" aria-describedby="api-alg-hint">
${algs.map((alg) => html`<option value="${alg}"${(v.access_token_signing_alg || algs[0]) === alg ? html` selected` : ''}>${alg}</option>`)}
</select>
</div>
` : ''}${formField({ id: 'api-ttl', name: 'access_token_ttl', type: 'number', label: t(locale, 'console.apis.ttl'), hint: t(locale, 'console.apis.ttlHint'), value: v.access_token_ttl, inputMode: 'numeric' })}
${actions(button({ label: t(locale, 'console.apis.createSubmit') }))}`,
})}`
    : '';
  const body = card({ title, lead: t(locale, 'console.apis.lead'), body: html`${table}${pager(locale, { first: params.first, next: params.next })}${create}` });
  return consolePage(params, { title, body });
}
