/**
 * The support desk's manual linking: find links (by partner, partner user id or account), link a
 * partner's user id to an account, and unlink through a confirmation. The partner is typed or
 * chosen from the partners with the trusted grant (a `<datalist>`: no script needed).
 */
import { html } from '../html.ts';
import { t } from '../i18n/t.ts';
import { actions } from '../components/actions.ts';
import { button, linkButton } from '../components/button.ts';
import { card } from '../components/card.ts';
import { dataTable } from '../components/data-table.ts';
import { form } from '../components/form.ts';
import { formField } from '../components/form-field.ts';
import { attributes } from '../attributes.ts';
import { safeUrl } from '../url.ts';
import { consoleDate, consolePage, doneNotice, pager, problemNotice, searchForm, sectionTitle, type ConsoleChrome, type ConsoleProblem } from './console-common.ts';
import type { ConsoleLink } from './console-users.ts';
import type { MessageKey } from '../i18n/ru.ts';

/** A partner a link may be made for: a client with the `trusted` permission. */
export interface ConsolePartner {
  client_id: string;
  name: string;
}

export interface ConsoleLinksPageParams extends ConsoleChrome {
  links: readonly (ConsoleLink & { unlinkHref?: string | undefined; userHref?: string | undefined })[];
  filters: Readonly<Record<string, string>>;
  action: string;
  next?: string | undefined;
  first?: string | undefined;
  partners: readonly ConsolePartner[];
  /** The link form's target, when the operator may link. */
  linkAction?: string | undefined;
  /** What the link form held. */
  values: Readonly<Record<string, string>>;
  done?: MessageKey | undefined;
  problem?: ConsoleProblem | undefined;
}

export function consoleLinksPage(params: ConsoleLinksPageParams): string {
  const { locale } = params;
  const title = t(locale, 'console.links.title');
  const f = params.filters;
  const v = params.values;
  const search = searchForm({
    action: params.action,
    label: t(locale, 'console.links.search'),
    submit: t(locale, 'console.links.find'),
    fields: html`${formField({ id: 'find-client', name: 'client_id', label: t(locale, 'console.links.partner'), value: f.client_id, autocapitalize: 'none', spellcheck: false, maxLength: 100 })}
${formField({ id: 'find-service-user', name: 'service_user_id', label: t(locale, 'console.links.serviceUserId'), value: f.service_user_id, autocapitalize: 'none', spellcheck: false, maxLength: 200 })}
${formField({ id: 'find-user', name: 'user', label: t(locale, 'console.links.user'), hint: t(locale, 'console.links.userHint'), value: f.user, autocapitalize: 'none', spellcheck: false, maxLength: 200 })}`,
  });
  const table = dataTable({
    caption: title,
    captionHidden: true,
    empty: t(locale, 'console.links.empty'),
    columns: [
      { key: 'client', label: t(locale, 'console.links.partner') },
      { key: 'service', label: t(locale, 'console.links.serviceUserId') },
      { key: 'account', label: t(locale, 'console.links.user') },
      { key: 'created', label: t(locale, 'console.col.created') },
      { key: 'action', label: t(locale, 'console.col.actions') },
    ],
    rows: params.links.map((l) => ({
      client: html`<code>${l.client_id}</code>`,
      service: html`<code>${l.service_user_id}</code>`,
      account: l.userHref ? html`<a${attributes({ href: safeUrl(l.userHref) })}>${l.login ?? l.account_id}</a>` : (l.login ?? l.account_id),
      created: consoleDate(locale, l.created_at),
      action: l.unlinkHref ? linkButton({ label: t(locale, 'console.links.unlink'), href: l.unlinkHref }) : t(locale, 'console.none'),
    })),
  });
  const link = params.linkAction
    ? html`${sectionTitle(t(locale, 'console.links.create'), 'link-title')}
<p class="field__hint">${t(locale, 'console.links.createLead')}</p>
${problemNotice(locale, params.problem)}
${form({
  action: params.linkAction,
  csrfToken: params.csrfToken,
  label: t(locale, 'console.links.create'),
  body: html`<div class="field">
<label class="field__label" for="link-client">${t(locale, 'console.links.partner')}</label>
<p class="field__hint" id="link-client-hint">${t(locale, 'console.links.partnerHint')}</p>
<input${attributes({ class: 'input', id: 'link-client', name: 'client_id', list: 'trusted-partners', required: true, value: v.client_id, autocapitalize: 'none', spellcheck: 'false', maxlength: 100, 'aria-describedby': 'link-client-hint' })}>
<datalist id="trusted-partners">${params.partners.map((p) => html`<option${attributes({ value: p.client_id })}>${p.name}</option>`)}</datalist>
</div>
${formField({ id: 'link-service-user', name: 'service_user_id', label: t(locale, 'console.links.serviceUserId'), hint: t(locale, 'console.links.serviceUserIdHint'), required: true, value: v.service_user_id, autocapitalize: 'none', spellcheck: false, maxLength: 200 })}
${formField({ id: 'link-user', name: 'user', label: t(locale, 'console.links.user'), hint: t(locale, 'console.links.userHint'), required: true, value: v.user, autocapitalize: 'none', spellcheck: false, maxLength: 200 })}
${actions(button({ label: t(locale, 'console.links.link') }))}`,
})}`
    : '';
  const body = card({
    title,
    lead: t(locale, 'console.links.lead'),
    body: html`${doneNotice(locale, params.done)}${search}${table}${pager(locale, { first: params.first, next: params.next })}${link}`,
  });
  return consolePage(params, { title, body });
}
