/**
 * What every page of the operator console shares: the wide layout with the operator and a sign-out
 * form in the header, the navigation (only the sections the operator's role allows), the display
 * of a refused operation, paging links, the confirmation step of a destructive action and the page
 * that shows a secret once.
 */
import { html, type HtmlValue, type SafeHtml } from '../html.ts';
import type { Locale } from '../i18n/locale.ts';
import { isMessageKey, t, type MessageParams } from '../i18n/t.ts';
import type { MessageKey } from '../i18n/ru.ts';
import { page } from '../layout.ts';
import { actions } from '../components/actions.ts';
import { button, linkButton } from '../components/button.ts';
import { card } from '../components/card.ts';
import { copyButton } from '../components/copy-button.ts';
import { form } from '../components/form.ts';
import { hiddenField } from '../components/hidden-field.ts';
import { notice } from '../components/notice.ts';
import { attributes } from '../attributes.ts';
import { safeUrl } from '../url.ts';

/** The console's sections, in the order of the navigation. */
export const CONSOLE_SECTIONS = ['users', 'links', 'clients', 'apis', 'signingKeys', 'audit'] as const;
export type ConsoleSection = (typeof CONSOLE_SECTIONS)[number];

export interface ConsoleNavItem {
  section: ConsoleSection;
  href: string;
}

/** The signed-in operator, the console session's form token and the sections they may open. */
export interface ConsoleChrome {
  locale: Locale;
  /** The operator's login. */
  operator: string;
  /** Their roles, e.g. `support`. */
  roles: readonly string[];
  csrfToken: string;
  signOutAction: string;
  /** The sections the operator's permissions allow (empty without a role). */
  nav: readonly ConsoleNavItem[];
  /** The section this page belongs to. */
  current?: ConsoleSection | undefined;
  switchLocaleHref?: string | undefined;
}

/** A refused operation, as the page shows it: its kind, what went wrong and which fields. */
export interface ConsoleProblem {
  status: number;
  slug: string;
  detail: string;
  invalidParams?: readonly { name: string; reason: string }[] | undefined;
}

const sectionLabel = (locale: Locale, section: ConsoleSection) => t(locale, `console.nav.${section}`);

function header(chrome: ConsoleChrome): SafeHtml {
  const { locale } = chrome;
  const who = chrome.roles.length ? `${chrome.operator} (${chrome.roles.join(', ')})` : chrome.operator;
  return form({
    action: chrome.signOutAction,
    csrfToken: chrome.csrfToken,
    className: 'portal-user',
    label: t(locale, 'console.signOut'),
    body: html`<span class="portal-user__name" title="${t(locale, 'console.signedInAs', { operator: who })}">${who}</span>
${button({ label: t(locale, 'console.signOut'), variant: 'quiet', extra: { class: 'button button--quiet button--small' } })}`,
  });
}

function nav(chrome: ConsoleChrome): HtmlValue {
  if (chrome.nav.length === 0) return '';
  const { locale } = chrome;
  return html`<nav class="console-nav" aria-label="${t(locale, 'console.nav.label')}"><ul>${chrome.nav.map(
    (item) =>
      html`<li><a${attributes({ href: safeUrl(item.href), class: 'console-nav__link', 'aria-current': item.section === chrome.current ? 'page' : undefined })}>${sectionLabel(locale, item.section)}</a></li>`,
  )}</ul></nav>`;
}

/** A full console document: header with the operator, navigation, then `body` (usually one card). */
export function consolePage(chrome: ConsoleChrome, options: { title: string; body: HtmlValue; script?: boolean }): string {
  return page({
    locale: chrome.locale,
    title: `${options.title} · ${t(chrome.locale, 'console.name')}`,
    body: html`<div class="console">${nav(chrome)}${options.body}</div>`,
    width: 'wide',
    script: options.script ?? false,
    switchLocaleHref: chrome.switchLocaleHref,
    headerExtra: header(chrome),
  });
}

/** The notice of a refused operation: its kind in the page's language, the API's detail and the fields it names. */
export function problemNotice(locale: Locale, problem: ConsoleProblem | undefined): HtmlValue {
  if (!problem) return '';
  const key = `console.problem.${problem.slug}`;
  const title = t(locale, isMessageKey(key) ? key : 'console.problem.default');
  // Inside the notice's paragraph: one line per field.
  const fields = problem.invalidParams?.length ? problem.invalidParams.map((p) => html`<br><code>${p.name}</code>: ${p.reason}`) : '';
  return notice({ kind: 'error', id: 'problem', title, body: html`${problem.detail}${fields}` });
}

/** A success notice after a 303 (`?done=`). */
export function doneNotice(locale: Locale, key: MessageKey | undefined, params?: MessageParams): HtmlValue {
  return key ? notice({ kind: 'success', body: t(locale, key, params) }) : '';
}

/** "Next page" (keyset paging: there is no previous page, only the first). */
export function pager(locale: Locale, links: { first?: string | undefined; next?: string | undefined }): HtmlValue {
  if (!links.first && !links.next) return '';
  return html`<nav class="pager" aria-label="${t(locale, 'console.pager.label')}">${links.first ? linkButton({ label: t(locale, 'console.pager.first'), href: links.first, variant: 'quiet' }) : ''}${
    links.next ? linkButton({ label: t(locale, 'console.pager.next'), href: links.next, variant: 'secondary' }) : ''
  }</nav>`;
}

/** A GET search form (no CSRF token: it changes nothing). */
export function searchForm(options: { action: string; label: string; fields: HtmlValue; submit: string; hidden?: Readonly<Record<string, string>> }): SafeHtml {
  return html`<form class="form console-search" method="get" action="${safeUrl(options.action)}" role="search" aria-label="${options.label}">
${Object.entries(options.hidden ?? {}).map(([name, value]) => hiddenField(name, value))}${options.fields}
${actions(button({ label: options.submit, variant: 'secondary' }))}
</form>`;
}

/** A definition list of label/value rows. */
export function facts(rows: readonly (readonly [label: string, value: HtmlValue])[]): SafeHtml {
  return html`<dl class="details details--portal">${rows.map(([label, value]) => html`<div class="details__row"><dt>${label}</dt><dd>${value}</dd></div>`)}</dl>`;
}

/** A date and time in UTC in the page's language, in a `<time>` element. */
export function consoleDate(locale: Locale, iso: string | null | undefined): HtmlValue {
  if (!iso) return t(locale, 'console.none');
  const date = new Date(iso);
  const text = new Intl.DateTimeFormat(locale === 'ru' ? 'ru-RU' : 'en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }).format(date);
  return html`<time datetime="${date.toISOString()}">${text} UTC</time>`;
}

/** A section heading of a card. */
export const sectionTitle = (text: string, id?: string): SafeHtml => html`<h2${attributes({ class: 'section-title', id })}>${text}</h2>`;

export interface ConfirmPageParams extends ConsoleChrome {
  title: string;
  /** What will happen, in a sentence. */
  lead: HtmlValue;
  /** What exactly is affected. */
  details: readonly (readonly [label: string, value: HtmlValue])[];
  /** What it revokes or cannot be undone (a warning). */
  warning: string;
  action: string;
  confirmLabel: string;
  cancelHref: string;
}

/** The confirmation step of a destructive action: the form posts `confirm=yes`. */
export function confirmPage(params: ConfirmPageParams): string {
  const { locale } = params;
  const body = card({
    tone: 'danger',
    title: params.title,
    lead: params.lead,
    body: html`${facts(params.details)}
${notice({ kind: 'warning', body: params.warning })}
${form({
  action: params.action,
  csrfToken: params.csrfToken,
  body: actions(button({ label: params.confirmLabel, variant: 'danger', name: 'confirm', value: 'yes' }), linkButton({ label: t(locale, 'console.cancel'), href: params.cancelHref })),
})}`,
  });
  return consolePage(params, { title: params.title, body });
}

export interface SecretPageParams extends ConsoleChrome {
  title: string;
  lead: HtmlValue;
  /** Label of the secret, e.g. "api-key". */
  secretLabel: string;
  secret: string;
  details: readonly (readonly [label: string, value: HtmlValue])[];
  backHref: string;
}

/** The only page that ever shows a new secret, with a copy button and a warning that it is shown once. */
export function secretPage(params: SecretPageParams): string {
  const { locale } = params;
  const body = card({
    tone: 'success',
    title: params.title,
    lead: params.lead,
    body: html`${notice({ kind: 'warning', title: t(locale, 'console.secret.warningTitle'), body: t(locale, 'console.secret.warning') })}
<div class="secret-box">
<p class="secret-box__label" id="secret-label">${params.secretLabel}</p>
<p class="secret-box__value"><code id="secret" aria-labelledby="secret-label" translate="no">${params.secret}</code></p>
${copyButton(locale, 'secret')}
</div>
${facts(params.details)}
${actions(linkButton({ label: t(locale, 'console.secret.done'), href: params.backHref, variant: 'primary' }))}`,
  });
  return consolePage(params, { title: params.title, body, script: true });
}

/** The page of an operator without a role: who is signed in, why nothing is shown, and a way to sign out. */
export function consoleNoRolePage(params: ConsoleChrome): string {
  const { locale } = params;
  const body = card({
    tone: 'danger',
    title: t(locale, 'console.noRole.title'),
    lead: t(locale, 'console.noRole.lead', { operator: params.operator }),
    body: html`<p>${t(locale, 'console.noRole.help')}</p>
${form({ action: params.signOutAction, csrfToken: params.csrfToken, body: actions(button({ label: t(locale, 'console.signOut') })) })}`,
  });
  return consolePage(params, { title: t(locale, 'console.noRole.title'), body });
}

/** A page the operator's role does not allow (403), or a refused operation shown as a page. */
export function consoleRefusalPage(params: ConsoleChrome & { title: string; message: string; homeHref: string }): string {
  const { locale } = params;
  const body = card({
    tone: 'danger',
    title: params.title,
    lead: params.message,
    body: actions(linkButton({ label: t(locale, 'console.back'), href: params.homeHref })),
  });
  return consolePage(params, { title: params.title, body });
}

export interface ConsoleLandingPageParams {
  locale: Locale;
  signInHref: string;
  switchLocaleHref?: string | undefined;
}

/** `/console` before signing in: what it is, and a sign-in link (the sign-in itself is Propusk's own page). */
export function consoleLandingPage(params: ConsoleLandingPageParams): string {
  const { locale } = params;
  const body = card({
    title: t(locale, 'console.landing.title'),
    lead: t(locale, 'console.landing.lead'),
    body: actions(linkButton({ label: t(locale, 'console.landing.signIn'), href: params.signInHref, variant: 'primary' })),
  });
  return page({ locale, title: t(locale, 'console.landing.title'), body, switchLocaleHref: params.switchLocaleHref });
}

/** Member of a list shown as code lines, or "none". */
export function codeLines(locale: Locale, values: readonly string[]): HtmlValue {
  return values.length === 0 ? t(locale, 'console.none') : html`${values.map((v, i) => html`${i > 0 ? html`<br>` : ''}<code>${v}</code>`)}`;
}
