/** What every portal route works with: the request, the services, the page language, the session and (when signed in) the account. */
import type { Context } from 'koa';
import type { SecondStepServices } from '../shared/second-step-flow.ts';
import type { Account, AccountRepository } from '../../accounts/types.ts';
import type { AccountService } from '../../accounts/service.ts';
import type { AuditLog } from '../../audit/types.ts';
import type { ClientService } from '../../clients/service.ts';
import type { IntegrationService } from '../../integrations/service.ts';
import type { Session } from 'oidc-provider';
import type { FormTokens } from '../shared/form-tokens.ts';
import type { BrowserSessions } from '../shared/browser-session.ts';
import { pageLocale, switchLocaleHref } from '../shared/locale.ts';
import type { PasswordSignIn } from '../../accounts/password-sign-in.ts';
import type { Locale, PortalChrome } from '../../views/index.ts';
import type { OneTimeSecrets } from '../shared/one-time-secret.ts';

export interface PortalDeps {
  issuer: string;
  accounts: AccountService;
  accountRepository: Pick<AccountRepository, 'findById'>;
  clients: ClientService;
  integrations: IntegrationService;
  audit: AuditLog;
  /** The browser session shared by every page. */
  sessions: BrowserSessions;
  /** A new api-key or invitation link on its way to the page that shows it once. */
  secrets: OneTimeSecrets;
  /** Form tokens: `session` binding when signed in, `sign-in` before. */
  formTokens: FormTokens;
  /** Password sign-in under the brute-force limits shared by every sign-in form. */
  passwordSignIn: PasswordSignIn;
  /** The second factor's services and pages (web/shared/second-step-flow.ts). */
  secondFactor: SecondStepServices;
  /** "Forgot password?" is offered (a mail transport is configured). */
  recoveryAvailable: boolean;
}

export interface PortalRequest {
  ctx: Context;
  deps: PortalDeps;
  locale: Locale;
  /** The browser session, when signed in. */
  session: Session | undefined;
  /** The signed-in, active account. */
  account: Account | undefined;
  /** The POSTed form (already CSRF-checked), on POST routes. */
  form: URLSearchParams;
}

/** The request state the portal middleware fills in. */
export const portalRequest = (ctx: Context): PortalRequest => ctx.state.portal as PortalRequest;

/** Loads the session and its account (an unknown or disabled account counts as signed out). */
export async function openRequest(ctx: Context, deps: PortalDeps): Promise<PortalRequest> {
  const signedIn = await deps.sessions.signedIn(ctx);
  return { ctx, deps, locale: pageLocale(ctx), session: signedIn?.session, account: signedIn?.account, form: new URLSearchParams() };
}

/** The form token of the request: bound to the session when signed in, else to the sign-in binding cookie. */
export function csrfToken(req: PortalRequest): string {
  return req.session ? req.deps.formTokens.issue('session', req.session.jti) : req.deps.formTokens.forSignIn(req.ctx);
}

/** True when the form's `csrf` field is the token `csrfToken` gives this request (constant-time). */
export function csrfValid(req: PortalRequest): boolean {
  const presented = req.form.get('csrf');
  return req.session ? req.deps.formTokens.verify('session', req.session.jti, presented) : req.deps.formTokens.verifySignIn(req.ctx, presented);
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
