/** What every account-page handler works with: the services, and the request with its language. */
import type { SignInLimits } from '../../http/sign-in-limits.ts';
import type { Context } from 'koa';
import type Provider from 'oidc-provider';
import type { AccountService } from '../../accounts/service.ts';
import type { AccountRepository } from '../../accounts/types.ts';
import type { RevocationService } from '../../accounts/revocation.ts';
import type { AuditLog } from '../../audit/types.ts';
import type { ClientService } from '../../clients/service.ts';
import type { ResourceDirectory } from '../../resources/directory.ts';
import type { Locale } from '../../views/index.ts';
import type { AccountCsrf } from './csrf.ts';

export interface AccountPortalDeps {
  provider: Provider;
  accounts: AccountService;
  accountRepository: AccountRepository;
  clients: ClientService;
  resources: ResourceDirectory;
  revocation: RevocationService;
  audit: AuditLog;
  csrf: AccountCsrf;
  /** Brute-force limits shared by every sign-in form. */
  signInLimits: SignInLimits;
  /** Lifetime of a session started on the account pages, in seconds (the provider's `ttl.Session`). */
  sessionTtlSeconds: number;
}

export interface AccountRequest {
  ctx: Context;
  deps: AccountPortalDeps;
  locale: Locale;
}

/** Base path of the account pages. */
export const ACCOUNT_PATH = '/account';

/** Where every successful POST sends the browser (303), with what it did. */
export function redirectToAccount(ctx: Context, done?: string): void {
  ctx.status = 303;
  ctx.redirect(done ? `${ACCOUNT_PATH}?done=${done}` : ACCOUNT_PATH);
}
