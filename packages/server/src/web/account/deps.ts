/** What every account-page handler works with: the services, and the request with its language. */
import type { PasswordSignIn } from '../../accounts/password-sign-in.ts';
import type { PasswordLinkService } from '../../accounts/password-links.ts';
import type { AttemptLimiter } from '../../http/limits.ts';
import type { Context } from 'koa';
import type { AccountService } from '../../accounts/service.ts';
import type { AccountRepository } from '../../accounts/types.ts';
import type { RevocationService } from '../../accounts/revocation.ts';
import type { AuditLog } from '../../audit/types.ts';
import type { ClientService } from '../../clients/service.ts';
import type { ResourceDirectory } from '../../resources/directory.ts';
import type { Locale } from '../../views/index.ts';
import type { FormTokens } from '../shared/form-tokens.ts';
import type { BrowserSessions } from '../shared/browser-session.ts';
import type { SecondStepServices } from '../shared/second-step-flow.ts';
import type { OneTimeSecrets } from '../shared/one-time-secret.ts';
import type { RecentPasswords } from './recent-passwords.ts';
import type { PasswordRecovery } from '../../accounts/password-recovery.ts';

export interface AccountPortalDeps {
  accounts: AccountService;
  accountRepository: AccountRepository;
  clients: ClientService;
  resources: ResourceDirectory;
  revocation: RevocationService;
  audit: AuditLog;
  /** The browser session shared by every page. */
  sessions: BrowserSessions;
  /** Form tokens: `session` binding when signed in, `sign-in` on the sign-in form. */
  formTokens: FormTokens;
  /** Password sign-in under the brute-force limits shared by every sign-in form (a password change counts against them too). */
  passwordSignIn: PasswordSignIn;
  /** One-time set-password links (`/account/set-password/<token>`). */
  passwordLinks: PasswordLinkService;
  /** Unknown set-password links per client IP address (password-link.ts PASSWORD_LINK_GUESSES). */
  passwordLinkGuesses: AttemptLimiter;
  /** The second factor's services and pages (web/shared/second-step-flow.ts). */
  secondFactor: SecondStepServices;
  /** New recovery codes on their one-time page. */
  secrets: OneTimeSecrets;
  /** Passwords typed again before a sensitive change (two-step.ts). */
  recentPasswords: RecentPasswords;
  /** "Forgot password?": a set-password link by e-mail (accounts/password-recovery.ts). */
  recovery: Pick<PasswordRecovery, 'available' | 'request'>;
  /** How long a set-password link works, in seconds (said on the "check your e-mail" page). */
  passwordLinkTtlSeconds: number;
}

export interface AccountRequest {
  ctx: Context;
  deps: AccountPortalDeps;
  locale: Locale;
}

/** Base path of the account pages. */
export const ACCOUNT_PATH = '/account';

/** "Forgot password?" (forgot-password.ts). */
export const FORGOT_PASSWORD_PATH = `${ACCOUNT_PATH}/forgot-password`;

/** Where every successful POST sends the browser (303), with what it did. */
export function redirectToAccount(ctx: Context, done?: string): void {
  ctx.status = 303;
  ctx.redirect(done ? `${ACCOUNT_PATH}?done=${done}` : ACCOUNT_PATH);
}
