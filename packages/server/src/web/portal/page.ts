/** What every portal route works with: the request, the services, the page language, the session and (when signed in) the account. */
import type { Context } from 'koa';
import type { Account, AccountRepository } from '../../accounts/types.ts';
import type { AccountService } from '../../accounts/service.ts';
import type { AuditLog } from '../../audit/types.ts';
import type { ClientService } from '../../clients/service.ts';
import type { IntegrationService } from '../../integrations/service.ts';
import type { CsrfTokens } from '../shared/csrf.ts';
import { pageLocale, switchLocaleHref } from '../shared/locale.ts';
import type { SignInLimits } from '../../http/sign-in-limits.ts';
import type { Locale, PortalChrome } from '../../views/index.ts';
import type { OneTimeSecrets } from './one-time-secret.ts';
import type { PortalSession, PortalSessions } from './session.ts';

export interface PortalDeps {
  issuer: string;
  accounts: AccountService;
  accountRepository: Pick<AccountRepository, 'findById'>;
  clients: ClientService;
  integrations: IntegrationService;
  audit: AuditLog;
  sessions: PortalSessions;
  /** A new api-key or invitation link on its way to the page that shows it once. */
  secrets: OneTimeSecrets;
  csrf: CsrfTokens;
  /** Failed portal sign-ins per client IP. */
  /** Brute-force limits shared by every sign-in form. */
  signInLimits: SignInLimits;
}

export interface PortalRequest {
  ctx: Context;
  deps: PortalDeps;
  locale: Locale;
  /** The session of the request (created anonymous when a page needs a CSRF token and there was none). */
  session: PortalSession | undefined;
  /** The signed-in, active account. */
  account: Account | undefined;
  /** The POSTed form (already CSRF-checked), on POST routes. */
  form: URLSearchParams;
}

/** The request state the portal middleware fills in. */
export const portalRequest = (ctx: Context): PortalRequest => ctx.state.portal as PortalRequest;

/** Loads the session and its account (an unknown or disabled account counts as signed out). */
export async function openRequest(ctx: Context, deps: PortalDeps): Promise<PortalRequest> {
  const session = await deps.sessions.read(ctx);
  let account: Account | undefined;
  if (session?.accountId) {
    const found = await deps.accountRepository.findById(session.accountId);
    account = found && !found.disabled ? found : undefined;
  }
  return { ctx, deps, locale: pageLocale(ctx), session, account, form: new URLSearchParams() };
}

/** The CSRF token of the request's session; starts an anonymous session when there is none. */
export function csrfToken(req: PortalRequest): string {
  req.session ??= req.deps.sessions.startAnonymous(req.ctx);
  return req.deps.csrf.issue(`portal:${req.session.sid}`);
}

/** True when the form's `csrf` field is the token of this request's session (constant-time). */
export function csrfValid(req: PortalRequest): boolean {
  return req.session !== undefined && req.deps.csrf.verify(`portal:${req.session.sid}`, req.form.get('csrf'));
}

/** The language switch link for the current page. */
export const switchHref = (req: PortalRequest): string => switchLocaleHref(req.ctx.path, req.locale, req.ctx.querystring);

/** Header data of signed-in pages. */
export function chrome(req: PortalRequest, account: Account): PortalChrome {
  return { locale: req.locale, account: account.login, csrfToken: csrfToken(req), switchLocaleHref: switchHref(req) };
}

export function render(req: PortalRequest, body: string, status = 200): void {
  req.ctx.status = status;
  req.ctx.type = 'html';
  req.ctx.body = body;
}

/** 303 See Other: the answer to every successful POST. */
export function seeOther(req: PortalRequest, location: string): void {
  req.ctx.status = 303;
  req.ctx.redirect(location);
}

/** Audit `actor` of a portal action. */
export const actor = (account: Account): string => `account:${account.id}`;
