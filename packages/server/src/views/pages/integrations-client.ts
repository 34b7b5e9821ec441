/**
 * One application in the integrator portal: its settings, redirect URIs, permissions (read-only),
 * api-keys (id, label, created, last used — never the key) with Issue key and Revoke, and its owners
 * with an invitation form.
 */
import { html, type HtmlValue } from '../html.ts';
import { t, tHtml } from '../i18n/t.ts';
import { actions } from '../components/actions.ts';
import { button, linkButton } from '../components/button.ts';
import { card } from '../components/card.ts';
import { dataTable } from '../components/data-table.ts';
import { form } from '../components/form.ts';
import { formField } from '../components/form-field.ts';
import { notice } from '../components/notice.ts';
import { detailList, formatDate, portalPage, type PortalChrome } from './integrations-common.ts';

export type IntegrationPermission = 'trusted' | 'link-by-phone';

export interface IntegrationKeyRow {
  id: string;
  label: string | null;
  createdAt: Date;
  lastUsedAt: Date | null;
  /** The revoke confirmation page. */
  revokeHref: string;
}

export interface IntegrationClientPageParams extends PortalChrome {
  client: {
    clientId: string;
    name: string;
    grantTypes: readonly string[];
    redirectUris: readonly string[];
    scopes: readonly string[];
    permissions: readonly string[];
    public: boolean;
    disabled: boolean;
  };
  /** Every permission there is, in display order; each is shown granted or not. */
  allPermissions: readonly IntegrationPermission[];
  /** Active keys only. */
  keys: readonly IntegrationKeyRow[];
  /** Logins of the owners. */
  owners: readonly string[];
  issueKeyAction: string;
  inviteAction: string;
  /** The redirect-URI editor; absent when the client does not use redirects. */
  redirectUrisHref?: string | undefined;
  backHref: string;
  /** A confirmation after a change (shown as a status notice). */
  done?: 'revoked' | 'redirectUris' | undefined;
}

const codeLines = (values: readonly string[], none: string): HtmlValue =>
  values.length === 0 ? none : html`${values.map((v, i) => html`${i > 0 ? html`<br>` : ''}<code>${v}</code>`)}`;

/** Renders the application page. Forms: issue key (`label`), invite owner (`email`); all with `csrf`. */
export function integrationClientPage(params: IntegrationClientPageParams): string {
  const { locale, client } = params;
  const none = t(locale, 'integrations.none');
  const done = params.done ? notice({ kind: 'success', body: t(locale, params.done === 'revoked' ? 'integrations.done.revoked' : 'integrations.done.redirectUris') }) : '';

  const settings = html`<h2 class="section-title">${t(locale, 'integrations.client.detailsHeading')}</h2>
${detailList([
  [t(locale, 'integrations.col.clientId'), html`<code>${client.clientId}</code>`],
  [t(locale, 'integrations.col.name'), client.name],
  [t(locale, 'integrations.client.status'), t(locale, client.disabled ? 'integrations.client.statusDisabled' : 'integrations.client.statusActive')],
  [t(locale, 'integrations.client.type'), t(locale, client.public ? 'integrations.client.typePublic' : 'integrations.client.typeConfidential')],
  [t(locale, 'integrations.col.grantTypes'), codeLines(client.grantTypes, none)],
  [t(locale, 'integrations.client.scopes'), codeLines(client.scopes, none)],
])}`;

  const redirects = html`<h2 class="section-title">${t(locale, 'integrations.client.redirectHeading')}</h2>
${
  params.redirectUrisHref
    ? html`${detailList(client.redirectUris.map((u, i) => [String(i + 1), html`<code>${u}</code>`] as const))}
<div class="actions actions--start">${linkButton({ label: t(locale, 'integrations.client.redirectEdit'), href: params.redirectUrisHref })}</div>`
    : html`<p class="table-empty">${t(locale, 'integrations.client.redirectUnused')}</p>`
}`;

  const permissions = html`<h2 class="section-title">${t(locale, 'integrations.client.permissionsHeading')}</h2>
${detailList(
  params.allPermissions.map((p) => [
    t(locale, `integrations.permission.${p}`),
    t(locale, client.permissions.includes(p) ? 'integrations.client.permissionGranted' : 'integrations.client.permissionNotGranted'),
  ] as const),
)}
<p class="field__hint">${t(locale, 'integrations.client.permissionsNote')}</p>`;

  const keyTable = dataTable({
    caption: t(locale, 'integrations.client.keysCaption'),
    captionHidden: true,
    empty: t(locale, 'integrations.client.keysEmpty'),
    columns: [
      { key: 'id', label: t(locale, 'integrations.col.keyId') },
      { key: 'label', label: t(locale, 'integrations.col.label') },
      { key: 'created', label: t(locale, 'integrations.col.created') },
      { key: 'lastUsed', label: t(locale, 'integrations.col.lastUsed') },
      { key: 'actions', label: t(locale, 'integrations.col.actions') },
    ],
    rows: params.keys.map((k) => ({
      id: html`<code>${k.id}</code>`,
      label: k.label ?? none,
      created: formatDate(locale, k.createdAt),
      lastUsed: k.lastUsedAt ? formatDate(locale, k.lastUsedAt) : t(locale, 'integrations.key.neverUsed'),
      actions: linkButton({ label: t(locale, 'integrations.key.revoke'), href: k.revokeHref, variant: 'secondary' }),
    })),
  });
  const keys = html`<h2 class="section-title">${t(locale, 'integrations.client.keysHeading')}</h2>
${
  client.public
    ? html`<p class="table-empty">${t(locale, 'integrations.client.keysPublic')}</p>`
    : html`${keyTable}
${form({
  action: params.issueKeyAction,
  csrfToken: params.csrfToken,
  label: t(locale, 'integrations.key.issue'),
  body: html`${formField({ id: 'key-label', name: 'label', label: t(locale, 'integrations.key.labelField'), hint: t(locale, 'integrations.key.labelHint'), maxLength: 100 })}
<p class="field__hint">${t(locale, 'integrations.key.issueNote')}</p>
${actions(button({ label: t(locale, 'integrations.key.issue') }))}`,
})}`
}`;

  const owners = html`<h2 class="section-title">${t(locale, 'integrations.client.ownersHeading')}</h2>
<ul class="portal-list" aria-label="${t(locale, 'integrations.client.ownersCaption')}">${params.owners.map((o) => html`<li>${o}</li>`)}</ul>
${form({
  action: params.inviteAction,
  csrfToken: params.csrfToken,
  label: t(locale, 'integrations.client.invite'),
  body: html`<p class="field__hint">${t(locale, 'integrations.client.inviteLead')}</p>
${formField({ id: 'invite-email', name: 'email', type: 'email', label: t(locale, 'integrations.client.inviteEmail'), hint: t(locale, 'integrations.client.inviteEmailHint'), autocomplete: 'off', maxLength: 254 })}
${actions(button({ label: t(locale, 'integrations.client.invite'), variant: 'secondary' }))}`,
})}`;

  const body = card({
    title: client.name,
    lead: tHtml(locale, 'integrations.client.lead', { client: html`<code>${client.clientId}</code>` }),
    body: html`${done}${settings}
${redirects}
${permissions}
${keys}
${owners}`,
    footer: linkButton({ label: t(locale, 'integrations.back'), href: params.backHref, variant: 'quiet' }),
  });
  return portalPage(params, { title: client.name, body });
}
