/**
 * Users in the console: search (listUsers) and one user (getUser with listUserApplications,
 * listUserLinks, listUserEvents), and what `users:manage` allows: enable; disable, revoke tokens
 * and reset two-step verification (resetUserMfa) through their confirmation pages; a set-password
 * link (issuePasswordLink) shown once.
 */
import {
  confirmPage,
  consoleDate,
  consoleUserPage,
  consoleUsersPage,
  factorsText,
  fullName,
  hasFactors,
  t,
  type ConsoleAuditEvent,
  type ConsoleLink,
  type ConsoleProblem,
  type ConsoleUser,
  type ConsoleUserApplication,
  type MessageKey,
} from '../../views/index.ts';
import { call, chrome, may, render, seeOther, withQuery, type ConsoleRequest } from './page.ts';
import { createSecret, showSecret } from './secrets.ts';
import { listPage } from './lists.ts';
import { consolePaths } from './paths.ts';

interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

/** How many recent events a user's page shows. */
const RECENT_EVENTS = 20;

const DONE: Record<string, MessageKey> = {
  enabled: 'console.users.done.enabled',
  disabled: 'console.users.done.disabled',
  'tokens-revoked': 'console.users.done.tokensRevoked',
  'mfa-reset': 'console.users.done.mfaReset',
  unlinked: 'console.links.done.unlinked',
};

const getUser = (req: ConsoleRequest, id: string) => call<ConsoleUser>(req, 'getUser', { params: { id } });
const list = async <T>(req: ConsoleRequest, id: string, userId: string, limit = 200): Promise<T[]> =>
  may(req, id) ? (await call<Page<T>>(req, id, { params: { id: userId }, query: { limit: String(limit) } })).items : [];

/** GET /console/users (`?query=`) */
export async function usersPage(req: ConsoleRequest): Promise<void> {
  const page = await listPage<ConsoleUser>(req, 'listUsers', consolePaths.users, ['query']);
  render(
    req,
    consoleUsersPage({
      ...chrome(req, 'users'),
      users: page.items.map((u) => ({ ...u, href: consolePaths.user(u.id) })),
      query: page.filters.query ?? '',
      action: consolePaths.users,
      next: page.next,
      first: page.first,
    }),
  );
}

async function showUser(req: ConsoleRequest, id: string, problem?: ConsoleProblem): Promise<void> {
  const user = await getUser(req, id);
  const [applications, links, events] = await Promise.all([
    list<ConsoleUserApplication>(req, 'listUserApplications', user.id),
    list<ConsoleLink>(req, 'listUserLinks', user.id),
    list<ConsoleAuditEvent>(req, 'listUserEvents', user.id, RECENT_EVENTS),
  ]);
  const action = (op: string, href: string) => (may(req, op) ? href : undefined);
  const done = typeof req.ctx.query.done === 'string' ? DONE[req.ctx.query.done] : undefined;
  render(
    req,
    consoleUserPage({
      ...chrome(req, 'users'),
      user,
      applications,
      links: links.map((l) => ({ ...l, unlinkHref: action('removeLink', withQuery(consolePaths.unlink(l.client_id, l.service_user_id), { back: consolePaths.user(user.id) })) })),
      events,
      actions: {
        enableAction: user.disabled ? action('enableUser', consolePaths.userAction(user.id, 'enable')) : undefined,
        disableHref: user.disabled ? undefined : action('disableUser', consolePaths.userAction(user.id, 'disable')),
        revokeTokensHref: action('revokeUserTokens', consolePaths.userAction(user.id, 'revoke-tokens')),
        resetMfaHref: hasFactors(user.factors) ? action('resetUserMfa', consolePaths.userAction(user.id, 'reset-mfa')) : undefined,
        passwordLinkAction: user.disabled ? undefined : action('issuePasswordLink', consolePaths.userAction(user.id, 'password-link')),
        linkHref: action('createLink', withQuery(consolePaths.links, { user: user.login })),
        auditHref: action('listAuditEvents', withQuery(consolePaths.audit, { account_id: user.id })),
      },
      done,
      problem,
      backHref: consolePaths.users,
    }),
    problem?.status ?? 200,
  );
}

/** GET /console/users/:id */
export const userPage = (req: ConsoleRequest, p: Record<string, string>): Promise<void> => showUser(req, p.id!);

/** POST /console/users/:id/enable */
export async function enableUser(req: ConsoleRequest, p: Record<string, string>): Promise<void> {
  await call(req, 'enableUser', { params: { id: p.id! } });
  seeOther(req, `${consolePaths.user(p.id!)}?done=enabled`);
}

const USER_REVOCATIONS = {
  disable: { op: 'disableUser', title: 'console.users.disableTitle', warning: 'console.users.disableWarning', confirm: 'console.users.disable', done: 'disabled' },
  'revoke-tokens': { op: 'revokeUserTokens', title: 'console.users.revokeTokensTitle', warning: 'console.users.revokeTokensWarning', confirm: 'console.users.revokeTokens', done: 'tokens-revoked' },
  'reset-mfa': { op: 'resetUserMfa', title: 'console.users.resetMfaTitle', warning: 'console.users.resetMfaWarning', confirm: 'console.users.resetMfa', done: 'mfa-reset' },
} as const;

/** GET /console/users/:id/disable|revoke-tokens|reset-mfa — the confirmation, naming what it revokes (and, for reset-mfa, the factors it removes). */
export const userRevocationPage = (action: keyof typeof USER_REVOCATIONS) => async (req: ConsoleRequest, p: Record<string, string>): Promise<void> => {
  const what = USER_REVOCATIONS[action];
  const user = await getUser(req, p.id!);
  const applications = await list<ConsoleUserApplication>(req, 'listUserApplications', user.id);
  const { locale } = req;
  render(
    req,
    confirmPage({
      ...chrome(req, 'users'),
      title: t(locale, what.title),
      lead: t(locale, 'console.users.confirmLead', { user: fullName(user) ? `${fullName(user)} (${user.login})` : user.login }),
      details: [
        [t(locale, 'console.users.login'), user.login],
        ...(action === 'reset-mfa' ? [[t(locale, 'console.users.mfa'), factorsText(locale, user.factors)] as const] : []),
        [t(locale, 'console.users.applications'), applications.length ? applications.map((a) => a.client_name ?? a.client_id).join(', ') : t(locale, 'console.users.applicationsEmpty')],
      ],
      warning: t(locale, what.warning),
      action: consolePaths.userAction(user.id, action),
      confirmLabel: t(locale, what.confirm),
      cancelHref: consolePaths.user(user.id),
    }),
  );
};

/** POST /console/users/:id/disable|revoke-tokens|reset-mfa (`confirm=yes`) */
export const revokeForUser = (action: keyof typeof USER_REVOCATIONS) => async (req: ConsoleRequest, p: Record<string, string>): Promise<void> => {
  const id = p.id!;
  if (req.form.get('confirm') !== 'yes') return seeOther(req, consolePaths.userAction(id, action));
  await call(req, USER_REVOCATIONS[action].op, { params: { id } });
  seeOther(req, `${consolePaths.user(id)}?done=${USER_REVOCATIONS[action].done}`);
};

/** POST /console/users/:id/password-link: a new set-password link, shown once on the next page. */
export async function issuePasswordLink(req: ConsoleRequest, p: Record<string, string>): Promise<void> {
  const id = p.id!;
  await createSecret(
    req,
    () => call<{ url: string; expires_at: string }>(req, 'issuePasswordLink', { params: { id } }),
    (problem) => showUser(req, id, problem),
    (issued) => ({ page: consolePaths.userAction(id, 'password-link'), secret: issued.url, values: { expiresAt: issued.expires_at } }),
  );
}

/** GET /console/users/:id/password-link — the link, shown while its one-time cookie lasts. */
export function passwordLinkPage(req: ConsoleRequest, p: Record<string, string>): Promise<void> {
  const id = p.id!;
  const { locale } = req;
  return showSecret(req, { page: consolePaths.userAction(id, 'password-link'), backHref: consolePaths.user(id), section: 'users' }, async (kept) => {
    const user = await getUser(req, id);
    return {
      title: t(locale, 'console.users.passwordLinkTitle'),
      lead: t(locale, 'console.users.passwordLinkLead', { user: user.login }),
      secretLabel: t(locale, 'console.users.passwordLinkLabel'),
      details: [
        [t(locale, 'console.users.login'), user.login],
        [t(locale, 'console.clients.expires'), consoleDate(locale, kept.expiresAt)],
      ],
    };
  });
}
