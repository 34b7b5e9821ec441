/**
 * The console's users: search with paging, and one user (facts, state, applications with access,
 * partner links, recent events, second factors) with the actions the operator may take: enable;
 * disable, revoke tokens and reset two-step verification through their confirmation; a
 * set-password link shown once.
 */
import { html, type HtmlValue } from '../html.ts';
import type { Locale } from '../i18n/locale.ts';
import { t } from '../i18n/t.ts';
import type { MessageKey } from '../i18n/ru.ts';
import { actions } from '../components/actions.ts';
import { button, linkButton } from '../components/button.ts';
import { card } from '../components/card.ts';
import { dataTable } from '../components/data-table.ts';
import { form } from '../components/form.ts';
import { formField } from '../components/form-field.ts';
import { safeUrl } from '../url.ts';
import { auditTable, type ConsoleAuditEvent } from './console-audit.ts';
import { codeLines, consoleDate, consolePage, doneNotice, facts, pager, problemNotice, searchForm, sectionTitle, type ConsoleChrome, type ConsoleProblem } from './console-common.ts';

/** An account as the management API answers it. */
export interface ConsoleUser {
  id: string;
  login: string;
  email?: string | null | undefined;
  email_verified?: boolean | undefined;
  phone?: string | null | undefined;
  given_name?: string | null | undefined;
  family_name?: string | null | undefined;
  middle_name?: string | null | undefined;
  disabled: boolean;
  created_at?: string | undefined;
  /** Operator roles the account holds. */
  roles?: string[] | undefined;
  /** The second factors the account has. */
  factors?: ConsoleFactors | undefined;
}

/** Which second factors an account has, as the management API answers it. */
export interface ConsoleFactors {
  totp: boolean;
  passkeys: number;
  recovery_codes: number;
}

export const hasFactors = (f: ConsoleFactors | undefined): boolean => f !== undefined && (f.totp || f.passkeys > 0 || f.recovery_codes > 0);

/** "authenticator app, passkeys: 2, recovery codes: 10", or "off". */
export function factorsText(locale: Locale, f: ConsoleFactors | undefined): string {
  if (!f || !hasFactors(f)) return t(locale, 'console.users.mfaOff');
  return [
    f.totp ? t(locale, 'console.users.mfaTotp') : '',
    f.passkeys > 0 ? t(locale, 'console.users.mfaPasskeys', { count: String(f.passkeys) }) : '',
    f.recovery_codes > 0 ? t(locale, 'console.users.mfaCodes', { count: String(f.recovery_codes) }) : '',
  ]
    .filter(Boolean)
    .join(', ');
}

/** An application with access to the account. */
export interface ConsoleUserApplication {
  client_id: string;
  client_name?: string | null | undefined;
  scopes?: string[] | undefined;
  granted_at?: string | null | undefined;
  last_used_at?: string | null | undefined;
}

/** A partner user linked to an account. */
export interface ConsoleLink {
  client_id: string;
  service_user_id: string;
  account_id: string;
  login?: string | null | undefined;
  created_at?: string | undefined;
}

/** "Фамилия Имя Отчество", or nothing. */
export function fullName(u: Pick<ConsoleUser, 'given_name' | 'family_name' | 'middle_name'>): string {
  return [u.family_name, u.given_name, u.middle_name].filter(Boolean).join(' ');
}

export const userState = (locale: Locale, disabled: boolean): HtmlValue =>
  disabled ? html`<span class="status status--danger">${t(locale, 'console.state.disabled')}</span>` : html`<span class="status status--success">${t(locale, 'console.state.active')}</span>`;

export interface ConsoleUsersPageParams extends ConsoleChrome {
  users: readonly (ConsoleUser & { href: string })[];
  query: string;
  action: string;
  next?: string | undefined;
  first?: string | undefined;
}

export function consoleUsersPage(params: ConsoleUsersPageParams): string {
  const { locale } = params;
  const title = t(locale, 'console.users.title');
  const search = searchForm({
    action: params.action,
    label: t(locale, 'console.users.search'),
    submit: t(locale, 'console.users.find'),
    fields: formField({ id: 'user-query', name: 'query', type: 'search', label: t(locale, 'console.users.query'), hint: t(locale, 'console.users.queryHint'), value: params.query, autocapitalize: 'none', spellcheck: false, maxLength: 200 }),
  });
  const table = dataTable({
    caption: title,
    captionHidden: true,
    empty: params.query ? t(locale, 'console.users.noneFound') : t(locale, 'console.users.empty'),
    columns: [
      { key: 'login', label: t(locale, 'console.users.login') },
      { key: 'name', label: t(locale, 'console.users.name') },
      { key: 'phone', label: t(locale, 'console.users.phone') },
      { key: 'state', label: t(locale, 'console.col.state') },
    ],
    rows: params.users.map((u) => ({
      login: html`<a href="${safeUrl(u.href)}">${u.login}</a>`,
      name: fullName(u) || t(locale, 'console.none'),
      phone: u.phone ?? t(locale, 'console.none'),
      state: userState(locale, u.disabled),
    })),
  });
  const body = card({ title, lead: t(locale, 'console.users.lead'), body: html`${search}${table}${pager(locale, { first: params.first, next: params.next })}` });
  return consolePage(params, { title, body });
}

export interface ConsoleUserPageParams extends ConsoleChrome {
  user: ConsoleUser;
  applications: readonly ConsoleUserApplication[];
  links: readonly (ConsoleLink & { unlinkHref?: string | undefined })[];
  events: readonly ConsoleAuditEvent[];
  actions: {
    enableAction?: string | undefined;
    disableHref?: string | undefined;
    revokeTokensHref?: string | undefined;
    /** The confirmation of resetting two-step verification. */
    resetMfaHref?: string | undefined;
    passwordLinkAction?: string | undefined;
    /** The links page with this user filled in. */
    linkHref?: string | undefined;
    /** The whole audit log of this account (auditors, admins). */
    auditHref?: string | undefined;
  };
  done?: MessageKey | undefined;
  problem?: ConsoleProblem | undefined;
  backHref: string;
}

export function consoleUserPage(params: ConsoleUserPageParams): string {
  const { locale, user } = params;
  const a = params.actions;
  const none = t(locale, 'console.none');
  const about = facts([
    [t(locale, 'console.users.login'), user.login],
    [t(locale, 'console.users.name'), fullName(user) || none],
    [t(locale, 'console.users.email'), user.email_verified ? t(locale, 'console.users.verified') : t(locale, 'console.users.notVerified')],
    [t(locale, 'console.users.phone'), user.phone ?? none],
    [t(locale, 'console.col.state'), userState(locale, user.disabled)],
    [t(locale, 'console.clients.roles'), user.roles?.length ? user.roles.join(', ') : none],
    ...(user.factors ? [[t(locale, 'console.users.mfa'), factorsText(locale, user.factors)] as const] : []),
    [t(locale, 'console.users.id'), html`<code>${user.id}</code>`],
    ...(user.created_at ? [[t(locale, 'console.col.created'), consoleDate(locale, user.created_at)] as const] : []),
  ]);
  const buttons = [
    a.enableAction ? form({ action: a.enableAction, csrfToken: params.csrfToken, body: button({ label: t(locale, 'console.users.enable'), variant: 'secondary' }) }) : '',
    a.passwordLinkAction ? form({ action: a.passwordLinkAction, csrfToken: params.csrfToken, body: button({ label: t(locale, 'console.users.passwordLink'), variant: 'secondary' }) }) : '',
    a.revokeTokensHref ? linkButton({ label: t(locale, 'console.users.revokeTokens'), href: a.revokeTokensHref }) : '',
    a.resetMfaHref ? linkButton({ label: t(locale, 'console.users.resetMfa'), href: a.resetMfaHref }) : '',
    a.disableHref ? linkButton({ label: t(locale, 'console.users.disable'), href: a.disableHref }) : '',
  ].filter((b) => b !== '');

  const applications = html`${sectionTitle(t(locale, 'console.users.applications'))}
${dataTable({
  caption: t(locale, 'console.users.applications'),
  captionHidden: true,
  empty: t(locale, 'console.users.applicationsEmpty'),
  columns: [
    { key: 'client', label: t(locale, 'console.users.application') },
    { key: 'scopes', label: t(locale, 'console.clients.scopes') },
    { key: 'granted', label: t(locale, 'console.users.granted') },
  ],
  rows: params.applications.map((app) => ({
    client: html`${app.client_name ?? app.client_id}<br><code>${app.client_id}</code>`,
    scopes: codeLines(locale, app.scopes ?? []),
    granted: consoleDate(locale, app.granted_at),
  })),
})}`;

  const links = html`${sectionTitle(t(locale, 'console.users.links'))}
${dataTable({
  caption: t(locale, 'console.users.links'),
  captionHidden: true,
  empty: t(locale, 'console.users.linksEmpty'),
  columns: [
    { key: 'client', label: t(locale, 'console.links.partner') },
    { key: 'service', label: t(locale, 'console.links.serviceUserId') },
    { key: 'created', label: t(locale, 'console.col.created') },
    { key: 'action', label: t(locale, 'console.col.actions') },
  ],
  rows: params.links.map((l) => ({
    client: html`<code>${l.client_id}</code>`,
    service: html`<code>${l.service_user_id}</code>`,
    created: consoleDate(locale, l.created_at),
    action: l.unlinkHref ? linkButton({ label: t(locale, 'console.links.unlink'), href: l.unlinkHref }) : none,
  })),
})}
${a.linkHref ? actions(linkButton({ label: t(locale, 'console.users.linkPartner'), href: a.linkHref })) : ''}`;

  const events = html`${sectionTitle(t(locale, 'console.users.events'))}
${auditTable(locale, params.events, t(locale, 'console.users.events'))}
${a.auditHref ? html`<p><a href="${safeUrl(a.auditHref)}">${t(locale, 'console.users.allEvents')}</a></p>` : ''}`;

  const body = card({
    title: fullName(user) || user.login,
    lead: user.login,
    body: html`${doneNotice(locale, params.done)}${problemNotice(locale, params.problem)}
${about}
${buttons.length ? actions(...buttons) : ''}
${applications}
${links}
${events}`,
    footer: linkButton({ label: t(locale, 'console.users.back'), href: params.backHref, variant: 'quiet' }),
  });
  return consolePage(params, { title: user.login, body });
}
