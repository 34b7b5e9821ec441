/**
 * The console's clients: the list, one client (facts, state, two-step verification, redirect URIs,
 * permissions, api-keys, owner invitations, partner keys) and the redirect URI editor. Forms appear only for what the
 * operator may do; each destructive action leads to its confirmation page first.
 */
import { html, type HtmlValue } from '../html.ts';
import { t, tHtml } from '../i18n/t.ts';
import { actions } from '../components/actions.ts';
import { button, linkButton } from '../components/button.ts';
import { card } from '../components/card.ts';
import { dataTable } from '../components/data-table.ts';
import { form } from '../components/form.ts';
import { formField } from '../components/form-field.ts';
import { hiddenField } from '../components/hidden-field.ts';
import { safeUrl } from '../url.ts';
import {
  codeLines,
  consoleDate,
  consolePage,
  doneNotice,
  facts,
  pager,
  problemNotice,
  sectionTitle,
  type ConsoleChrome,
  type ConsoleProblem,
} from './console-common.ts';
import type { MessageKey } from '../i18n/ru.ts';

/** A client as the management API answers it. */
export interface ConsoleClient {
  client_id: string;
  name: string;
  kind: string;
  grant_types: string[];
  redirect_uris: string[];
  post_logout_redirect_uris: string[];
  scopes: string[];
  public: boolean;
  application_type: string;
  /** Every sign-in for the client takes a second factor. */
  require_mfa?: boolean | undefined;
  permissions: string[];
  disabled: boolean;
  roles: string[];
  created_at: string;
  updated_at: string;
}

export interface ConsoleApiKey {
  api_key_id: string;
  label: string | null;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

export interface ConsolePartnerKey {
  key_id: string;
  kid: string;
  source: string;
  not_after: string | null;
  created_at: string;
}

const stateBadge = (locale: ConsoleChrome['locale'], disabled: boolean): HtmlValue =>
  disabled ? html`<span class="status status--danger">${t(locale, 'console.state.disabled')}</span>` : html`<span class="status status--success">${t(locale, 'console.state.active')}</span>`;

export interface ConsoleClientsPageParams extends ConsoleChrome {
  clients: readonly (ConsoleClient & { href: string })[];
  next?: string | undefined;
  first?: string | undefined;
}

export function consoleClientsPage(params: ConsoleClientsPageParams): string {
  const { locale } = params;
  const title = t(locale, 'console.clients.title');
  const table = dataTable({
    caption: title,
    captionHidden: true,
    empty: t(locale, 'console.clients.empty'),
    columns: [
      { key: 'id', label: t(locale, 'console.col.clientId') },
      { key: 'name', label: t(locale, 'console.col.name') },
      { key: 'grants', label: t(locale, 'console.col.grantTypes') },
      { key: 'state', label: t(locale, 'console.col.state') },
    ],
    rows: params.clients.map((c) => ({
      id: html`<a href="${safeUrl(c.href)}"><code>${c.client_id}</code></a>`,
      name: c.name,
      grants: codeLines(locale, c.grant_types),
      state: stateBadge(locale, c.disabled),
    })),
  });
  const body = card({ title, lead: t(locale, 'console.clients.lead'), body: html`${table}${pager(locale, { first: params.first, next: params.next })}` });
  return consolePage(params, { title, body });
}

export interface ConsoleClientPageParams extends ConsoleChrome {
  client: ConsoleClient;
  keys: readonly (ConsoleApiKey & { revokeHref?: string | undefined })[];
  partnerKeys: readonly (ConsolePartnerKey & { removeHref?: string | undefined })[];
  /** Every permission a client may hold. */
  allPermissions: readonly string[];
  /** Form targets, present when the operator may use them. */
  actions: {
    disableHref?: string | undefined;
    enableAction?: string | undefined;
    revokeTokensHref?: string | undefined;
    permissionsAction?: string | undefined;
    /** Turns two-step verification for every sign-in on or off. */
    requireMfaAction?: string | undefined;
    redirectUrisHref?: string | undefined;
    issueKeyAction?: string | undefined;
    inviteAction?: string | undefined;
    addPartnerKeyAction?: string | undefined;
  };
  done?: MessageKey | undefined;
  problem?: ConsoleProblem | undefined;
  backHref: string;
}

export function consoleClientPage(params: ConsoleClientPageParams): string {
  const { locale, client } = params;
  const a = params.actions;
  const none = t(locale, 'console.none');
  const about = facts([
    [t(locale, 'console.col.clientId'), html`<code>${client.client_id}</code>`],
    [t(locale, 'console.col.state'), stateBadge(locale, client.disabled)],
    [t(locale, 'console.clients.kind'), client.kind],
    [t(locale, 'console.col.grantTypes'), codeLines(locale, client.grant_types)],
    [t(locale, 'console.clients.scopes'), codeLines(locale, client.scopes)],
    [t(locale, 'console.clients.type'), `${client.public ? t(locale, 'console.clients.public') : t(locale, 'console.clients.confidential')}, ${client.application_type}`],
    [t(locale, 'console.clients.roles'), client.roles.length ? client.roles.join(', ') : none],
    [t(locale, 'console.clients.requireMfa'), client.require_mfa ? t(locale, 'console.yes') : t(locale, 'console.no')],
    [t(locale, 'console.col.created'), consoleDate(locale, client.created_at)],
  ]);
  const stateActions = [
    a.enableAction ? form({ action: a.enableAction, csrfToken: params.csrfToken, body: button({ label: t(locale, 'console.clients.enable'), variant: 'secondary' }) }) : '',
    a.disableHref ? linkButton({ label: t(locale, 'console.clients.disable'), href: a.disableHref }) : '',
    a.revokeTokensHref ? linkButton({ label: t(locale, 'console.clients.revokeTokens'), href: a.revokeTokensHref }) : '',
  ].filter((x) => x !== '');

  const twoStep = a.requireMfaAction
    ? html`${sectionTitle(t(locale, 'console.users.mfa'))}
<p class="field__hint">${t(locale, 'console.clients.requireMfaLead')}</p>
${form({
  action: a.requireMfaAction,
  csrfToken: params.csrfToken,
  label: t(locale, 'console.clients.requireMfa'),
  body: html`${hiddenField('require', client.require_mfa ? 'no' : 'yes')}${actions(
    button({ label: client.require_mfa ? t(locale, 'console.clients.requireMfaOff') : t(locale, 'console.clients.requireMfaOn'), variant: 'secondary' }),
  )}`,
})}`
    : '';

  const redirects = html`${sectionTitle(t(locale, 'console.clients.redirectUris'))}
${facts([
  [t(locale, 'console.clients.redirectUris'), codeLines(locale, client.redirect_uris)],
  [t(locale, 'console.clients.postLogoutUris'), codeLines(locale, client.post_logout_redirect_uris)],
])}
${a.redirectUrisHref ? actions(linkButton({ label: t(locale, 'console.clients.editRedirectUris'), href: a.redirectUrisHref })) : ''}`;

  const permissions = html`${sectionTitle(t(locale, 'console.clients.permissions'))}
${dataTable({
  caption: t(locale, 'console.clients.permissions'),
  captionHidden: true,
  columns: [
    { key: 'permission', label: t(locale, 'console.clients.permission') },
    { key: 'state', label: t(locale, 'console.col.state') },
    { key: 'action', label: t(locale, 'console.col.actions') },
  ],
  rows: params.allPermissions.map((p) => {
    const held = client.permissions.includes(p);
    return {
      permission: html`<code>${p}</code>`,
      state: held ? t(locale, 'console.clients.permissionHeld') : t(locale, 'console.clients.permissionNotHeld'),
      action: a.permissionsAction
        ? form({
            action: a.permissionsAction,
            csrfToken: params.csrfToken,
            label: `${p}`,
            body: html`${hiddenField('permission', p)}${hiddenField('grant', held ? 'no' : 'yes')}${button({
              label: held ? t(locale, 'console.clients.withdraw') : t(locale, 'console.clients.allow'),
              variant: 'secondary',
              extra: { class: 'button button--secondary button--small' },
            })}`,
          })
        : none,
    };
  }),
})}`;

  const keys = client.public
    ? html`${sectionTitle(t(locale, 'console.clients.keys'))}<p class="table-empty">${t(locale, 'console.clients.keysPublic')}</p>`
    : html`${sectionTitle(t(locale, 'console.clients.keys'), 'keys-title')}
${dataTable({
  caption: t(locale, 'console.clients.keys'),
  captionHidden: true,
  empty: t(locale, 'console.clients.keysEmpty'),
  columns: [
    { key: 'id', label: t(locale, 'console.clients.keyId') },
    { key: 'label', label: t(locale, 'console.clients.keyLabel') },
    { key: 'created', label: t(locale, 'console.col.created') },
    { key: 'used', label: t(locale, 'console.clients.lastUsed') },
    { key: 'state', label: t(locale, 'console.col.state') },
  ],
  rows: params.keys.map((k) => ({
    id: html`<code>${k.api_key_id}</code>`,
    label: k.label ?? none,
    created: consoleDate(locale, k.created_at),
    used: k.last_used_at ? consoleDate(locale, k.last_used_at) : t(locale, 'console.clients.neverUsed'),
    state: k.revoked_at
      ? html`<span class="status status--danger">${t(locale, 'console.clients.keyRevoked')}</span> ${consoleDate(locale, k.revoked_at)}`
      : k.revokeHref
        ? linkButton({ label: t(locale, 'console.clients.revokeKey'), href: k.revokeHref })
        : html`<span class="status status--success">${t(locale, 'console.state.active')}</span>`,
  })),
})}
${
  a.issueKeyAction
    ? form({
        action: a.issueKeyAction,
        csrfToken: params.csrfToken,
        label: t(locale, 'console.clients.issueKey'),
        body: html`${formField({ id: 'key-label', name: 'label', label: t(locale, 'console.clients.keyLabelField'), hint: t(locale, 'console.clients.keyLabelHint'), maxLength: 200 })}
${actions(button({ label: t(locale, 'console.clients.issueKey') }))}`,
      })
    : ''
}`;

  const invite = a.inviteAction
    ? html`${sectionTitle(t(locale, 'console.clients.invite'))}
<p class="field__hint">${t(locale, 'console.clients.inviteLead')}</p>
${form({
  action: a.inviteAction,
  csrfToken: params.csrfToken,
  label: t(locale, 'console.clients.invite'),
  body: html`${formField({ id: 'invite-email', name: 'email', type: 'email', label: t(locale, 'console.clients.inviteEmail'), hint: t(locale, 'console.clients.inviteEmailHint'), autocomplete: 'off', maxLength: 254 })}
${actions(button({ label: t(locale, 'console.clients.inviteSubmit'), variant: 'secondary' }))}`,
})}`
    : '';

  const partner = html`${sectionTitle(t(locale, 'console.clients.partnerKeys'))}
<p class="field__hint">${t(locale, 'console.clients.partnerKeysLead')}</p>
${dataTable({
  caption: t(locale, 'console.clients.partnerKeys'),
  captionHidden: true,
  empty: t(locale, 'console.clients.partnerKeysEmpty'),
  columns: [
    { key: 'kid', label: t(locale, 'console.clients.kid') },
    { key: 'source', label: t(locale, 'console.clients.keySource') },
    { key: 'notAfter', label: t(locale, 'console.clients.notAfter') },
    { key: 'created', label: t(locale, 'console.col.created') },
    { key: 'action', label: t(locale, 'console.col.actions') },
  ],
  rows: params.partnerKeys.map((k) => ({
    kid: html`<code>${k.kid}</code>`,
    source: k.source,
    notAfter: consoleDate(locale, k.not_after),
    created: consoleDate(locale, k.created_at),
    action: k.removeHref ? linkButton({ label: t(locale, 'console.clients.removePartnerKey'), href: k.removeHref }) : none,
  })),
})}
${
  a.addPartnerKeyAction
    ? form({
        action: a.addPartnerKeyAction,
        csrfToken: params.csrfToken,
        label: t(locale, 'console.clients.addPartnerKey'),
        body: html`<div class="field">
<label class="field__label" for="partner-key">${t(locale, 'console.clients.partnerKeyField')}</label>
<p class="field__hint" id="partner-key-hint">${t(locale, 'console.clients.partnerKeyHint')}</p>
<textarea class="input input--multiline" id="partner-key" name="key" rows="6" spellcheck="false" aria-describedby="partner-key-hint" required></textarea>
</div>
${actions(button({ label: t(locale, 'console.clients.addPartnerKey'), variant: 'secondary' }))}`,
      })
    : ''
}`;

  const body = card({
    title: client.name,
    lead: tHtml(locale, 'console.clients.clientLead', { client: html`<code>${client.client_id}</code>` }),
    body: html`${doneNotice(locale, params.done)}${problemNotice(locale, params.problem)}
${about}
${stateActions.length ? actions(...stateActions) : ''}
${twoStep}
${redirects}
${permissions}
${keys}
${invite}
${partner}`,
    footer: linkButton({ label: t(locale, 'console.clients.back'), href: params.backHref, variant: 'quiet' }),
  });
  return consolePage(params, { title: client.name, body });
}

export interface ConsoleRedirectUrisPageParams extends ConsoleChrome {
  client: ConsoleClient;
  redirectUris: string;
  postLogoutUris: string;
  action: string;
  cancelHref: string;
  problem?: ConsoleProblem | undefined;
}

/** The redirect URI editor: one URI per line, both lists. */
export function consoleRedirectUrisPage(params: ConsoleRedirectUrisPageParams): string {
  const { locale } = params;
  const title = t(locale, 'console.clients.editRedirectUris');
  const area = (id: string, name: string, label: string, value: string) => html`<div class="field">
<label class="field__label" for="${id}">${label}</label>
<p class="field__hint" id="${id}-hint">${t(locale, 'console.clients.oneUriPerLine')}</p>
<textarea class="input input--multiline" id="${id}" name="${name}" rows="5" spellcheck="false" autocapitalize="none" aria-describedby="${id}-hint">${value}</textarea>
</div>`;
  const body = card({
    title,
    lead: tHtml(locale, 'console.clients.clientLead', { client: html`<code>${params.client.client_id}</code>` }),
    body: html`${problemNotice(locale, params.problem)}
${form({
  action: params.action,
  csrfToken: params.csrfToken,
  body: html`${area('redirect-uris', 'redirect_uris', t(locale, 'console.clients.redirectUris'), params.redirectUris)}
${area('post-logout-uris', 'post_logout_redirect_uris', t(locale, 'console.clients.postLogoutUris'), params.postLogoutUris)}
${actions(button({ label: t(locale, 'console.save') }), linkButton({ label: t(locale, 'console.cancel'), href: params.cancelHref }))}`,
})}`,
  });
  return consolePage(params, { title, body });
}
