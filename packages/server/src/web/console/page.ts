/**
 * What every console route works with: the request, the services, the page language, the console
 * session and (once its token is checked) the operator; how a page calls an operation of the
 * management API (in memory, through `invoke`: the same permission check, validation, service call
 * and audit event as over HTTP), and how it answers.
 */
import type { Context } from 'koa';
import type { AppContext } from '../../context.ts';
import type { Permission } from '../../operators/types.ts';
import type { ConsoleChrome, ConsoleProblem, ConsoleSection, Locale } from '../../views/index.ts';
import { CONSOLE_SECTIONS, consoleRefusalPage, t } from '../../views/index.ts';
import type { FormTokens } from '../shared/form-tokens.ts';
import type { OneTimeSecrets } from '../shared/one-time-secret.ts';
import { pageLocale, switchLocaleHref } from '../shared/locale.ts';
import { invoke, type Operation, type Operator, type RawInput } from '../admin-api/operation.ts';
import { Problem } from '../admin-api/problem.ts';
import type { VerifierSource } from '../admin-api/verifier.ts';
import type { ConsoleCookies, ConsoleSession } from './session.ts';
import type { ConsoleSignIn } from './sign-in.ts';
import { consolePaths } from './paths.ts';

export interface ConsoleDeps {
  app: AppContext;
  /** The management API's token verifier (shared with it). */
  verifier: VerifierSource;
  cookies: ConsoleCookies;
  signIn: ConsoleSignIn;
  /** New secrets on their way to the page that shows them once. */
  secrets: OneTimeSecrets;
  formTokens: FormTokens;
  /** The management API's operations (ADMIN_OPERATIONS). */
  operations: readonly Operation[];
}

export interface ConsoleRequest {
  ctx: Context;
  deps: ConsoleDeps;
  locale: Locale;
  session: ConsoleSession | undefined;
  /** The operator of the session's token, checked on this request. */
  operator: Operator | undefined;
  /** The POSTed form (already CSRF-checked), on POST routes. */
  form: URLSearchParams;
}

export const consoleRequest = (ctx: Context): ConsoleRequest => ctx.state.console as ConsoleRequest;

/** Each section of the console: its page, the permission it needs, and the operation it lists with. */
export const SECTIONS: Record<ConsoleSection, { href: string; permission: Permission; operation: string }> = {
  users: { href: consolePaths.users, permission: 'users:read', operation: 'listUsers' },
  links: { href: consolePaths.links, permission: 'links:read', operation: 'listLinks' },
  clients: { href: consolePaths.clients, permission: 'clients:read', operation: 'listClients' },
  apis: { href: consolePaths.apis, permission: 'resources:read', operation: 'listResources' },
  signingKeys: { href: consolePaths.signingKeys, permission: 'signing-keys:read', operation: 'listSigningKeys' },
  audit: { href: consolePaths.audit, permission: 'audit:read', operation: 'listAuditEvents' },
};

export const hasOperation = (req: ConsoleRequest, id: string): boolean => req.deps.operations.some((o) => o.id === id);

/** True when the operator may do operation `id` (and the server has it). */
export function may(req: ConsoleRequest, id: string): boolean {
  const op = req.deps.operations.find((o) => o.id === id);
  return op !== undefined && req.operator !== undefined && req.operator.permissions.has(op.permission);
}

/** The sections this operator may open, in navigation order. */
export function allowedSections(req: ConsoleRequest): ConsoleSection[] {
  return CONSOLE_SECTIONS.filter((s) => may(req, SECTIONS[s].operation));
}

/** Runs operation `id` as the request's operator. A Problem when refused (403, 400, 404, 409) — as the HTTP API answers. */
export async function call<T>(req: ConsoleRequest, id: string, raw: RawInput = {}): Promise<T> {
  const op = req.deps.operations.find((o) => o.id === id);
  if (!op) throw new Problem('not-found', `this server has no operation ${id}`);
  return (await invoke(op, { app: req.deps.app, operator: req.operator! }, raw)) as T;
}

/** The form token of the request (bound to the console session). */
export const csrfToken = (req: ConsoleRequest): string => (req.session ? req.deps.formTokens.issue('console', req.session.sid) : '');

export function csrfValid(req: ConsoleRequest): boolean {
  return req.session !== undefined && req.deps.formTokens.verify('console', req.session.sid, req.form.get('csrf'));
}

export const switchHref = (req: ConsoleRequest): string => switchLocaleHref(req.ctx.path, req.locale, req.ctx.querystring);

/** Header and navigation of a signed-in page. */
export function chrome(req: ConsoleRequest, current?: ConsoleSection): ConsoleChrome {
  const operator = req.operator!;
  return {
    locale: req.locale,
    operator: operator.label,
    roles: operator.roles,
    csrfToken: csrfToken(req),
    signOutAction: consolePaths.signOut,
    nav: allowedSections(req).map((section) => ({ section, href: SECTIONS[section].href })),
    current,
    switchLocaleHref: switchHref(req),
  };
}

export function openRequest(ctx: Context, deps: ConsoleDeps): ConsoleRequest {
  return { ctx, deps, locale: pageLocale(ctx), session: deps.cookies.session(ctx), operator: undefined, form: new URLSearchParams() };
}

export function render(req: ConsoleRequest, body: string, status = 200): void {
  req.ctx.status = status;
  req.ctx.type = 'html';
  req.ctx.body = body;
}

/** 303 See Other: the answer to every successful POST. */
export function seeOther(req: ConsoleRequest, location: string): void {
  req.ctx.status = 303;
  req.ctx.redirect(location);
}

/** A Problem as the page displays it. */
export const displayed = (problem: Problem): ConsoleProblem => ({ status: problem.status, slug: problem.slug, detail: problem.detail, invalidParams: problem.extra.invalid_params });

/** Answers with a refusal page (403 for a page the role does not allow, 404, or another refused operation). */
export function refusal(req: ConsoleRequest, status: number, message: string, section?: ConsoleSection): void {
  const key = `error.title.${status}` as const;
  const title = t(req.locale, key === 'error.title.400' || key === 'error.title.403' || key === 'error.title.404' || key === 'error.title.503' ? key : 'error.title.default');
  render(req, consoleRefusalPage({ ...chrome(req, section), title, message, homeHref: consolePaths.home }), status);
}

/** The refusal page of a Problem an operation answered. */
export function problemPage(req: ConsoleRequest, problem: Problem, section?: ConsoleSection): void {
  const message = problem.status === 403 ? t(req.locale, 'console.forbidden.message') : problem.status === 404 ? t(req.locale, 'console.notFound.message', { detail: problem.detail }) : problem.detail;
  refusal(req, problem.status, message, section);
}

/**
 * Runs `action`; a Problem it throws goes to `onProblem` (which shows the page again with the
 * error), except 403 and 404, which are pages of their own. Returns true when the action succeeded.
 */
export async function attempt(req: ConsoleRequest, action: () => Promise<void>, onProblem: (problem: ConsoleProblem) => Promise<void> | void): Promise<boolean> {
  try {
    await action();
    return true;
  } catch (err) {
    if (!(err instanceof Problem) || err.status === 401 || err.status === 403 || err.status === 404 || err.status >= 500) throw err;
    await onProblem(displayed(err));
    return false;
  }
}

/** The query parameters of a list page that are non-empty strings (the rest are left out). */
export function queryOf(req: ConsoleRequest, names: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of names) {
    const value = req.ctx.query[name];
    if (typeof value === 'string' && value.trim() !== '') out[name] = value.trim();
  }
  return out;
}

/** `path?query` with the non-empty members of `query`. */
export function withQuery(path: string, query: Record<string, string | undefined>): string {
  const params = new URLSearchParams(Object.entries(query).filter((e): e is [string, string] => typeof e[1] === 'string' && e[1] !== ''));
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

