/** The account page: the applications with access (remembered consents and grants), the password form and sign out everywhere. */
import { accountPage, type AccountApplication, type AccountNotice, type Locale, type PasswordChangeError } from '../../views/index.ts';
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from '../../accounts/passwords.ts';
import { accountLabel } from '../../accounts/label.ts';
import { switchLocaleHref } from '../shared/locale.ts';
import { ACCOUNT_PATH, type AccountPortalDeps, type AccountRequest } from './deps.ts';
import type { SignedIn } from '../shared/browser-session.ts';
import { revokePath } from './revoke-application.ts';
import { SIGN_OUT_EVERYWHERE_PATH } from './sign-out-everywhere.ts';

const NOTICES: readonly string[] = ['revoked', 'password_changed'] satisfies AccountNotice[];

/** The application's registered name, else its client_id (a deleted client still shows up by id). */
function clientName(deps: AccountPortalDeps, clientId: string): Promise<string> {
  return deps.clients.get(clientId).then(
    (c) => c.name,
    () => clientId,
  );
}

async function applications(deps: AccountPortalDeps, accountId: string, locale: Locale): Promise<AccountApplication[]> {
  const apps = await deps.revocation.applicationsOf(accountId);
  return Promise.all(
    apps.map(async (a) => ({
      clientName: await clientName(deps, a.clientId),
      scopes: await deps.resources.describeScopes(a.scopes),
      grantedAt: a.grantedAt,
      lastUsedAt: a.lastUsedAt,
      revokeHref: `${revokePath(a.clientId)}?lang=${locale}`,
    })),
  );
}

/** Renders the account page for the signed-in account; `passwordError` re-renders it after a failed change (400). */
export async function showAccount(req: AccountRequest, signedIn: SignedIn, options: { passwordError?: PasswordChangeError; retryAfterSeconds?: number } = {}): Promise<void> {
  const { ctx, deps, locale } = req;
  const done = ctx.query.done;
  ctx.status = options.passwordError === 'locked' ? 429 : options.passwordError ? 400 : 200;
  ctx.type = 'html';
  ctx.body = accountPage({
    locale,
    csrfToken: deps.formTokens.issue('session', signedIn.session.jti),
    accountLabel: accountLabel(signedIn.account),
    applications: await applications(deps, signedIn.account.id, locale),
    password: { action: `${ACCOUNT_PATH}/password?lang=${locale}`, minLength: MIN_PASSWORD_LENGTH, maxLength: MAX_PASSWORD_LENGTH, error: options.passwordError, retryAfterSeconds: options.retryAfterSeconds },
    twoStep: { summary: await deps.secondFactor.factors.summary(signedIn.account.id), href: `/account/two-step?lang=${locale}` },
    signOut: { everywhereHref: `${SIGN_OUT_EVERYWHERE_PATH}?lang=${locale}`, signOutAction: `${ACCOUNT_PATH}/sign-out?lang=${locale}` },
    notice: !options.passwordError && typeof done === 'string' && NOTICES.includes(done) ? (done as AccountNotice) : undefined,
    switchLocaleHref: switchLocaleHref(ACCOUNT_PATH, locale),
  });
}
