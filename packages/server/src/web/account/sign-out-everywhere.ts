/**
 * "Sign out everywhere": every session (this one included), grant, code and token of the account is
 * revoked — after a confirmation page (GET) that says so and names the applications losing access.
 */
import type { SignedIn } from '../shared/browser-session.ts';
import { accountConfirmPage, t } from '../../views/index.ts';
import { switchLocaleHref } from '../shared/locale.ts';
import { ACCOUNT_PATH, redirectToAccount, type AccountRequest } from './deps.ts';

export const SIGN_OUT_EVERYWHERE_PATH = `${ACCOUNT_PATH}/sign-out-everywhere`;

export async function signOutEverywhere(req: AccountRequest, signedIn: SignedIn): Promise<void> {
  const { ctx, deps } = req;
  await deps.accounts.signOutEverywhere(signedIn.account.id);
  deps.sessions.clearCookie(ctx);
  redirectToAccount(ctx, 'signed_out_everywhere');
}

/** GET: "Sign out everywhere?" with what ends. */
export async function confirmSignOutEverywhere(req: AccountRequest, signedIn: SignedIn): Promise<void> {
  const { ctx, deps, locale } = req;
  const apps = await deps.revocation.applicationsOf(signedIn.account.id);
  const names = await Promise.all(
    apps.map((a) =>
      deps.clients.get(a.clientId).then(
        (c) => c.name,
        () => a.clientId,
      ),
    ),
  );
  ctx.status = 200;
  ctx.type = 'html';
  ctx.body = accountConfirmPage({
    locale,
    title: t(locale, 'account.everywhere.confirmTitle'),
    lead: t(locale, 'account.everywhere.confirmLead'),
    consequences: [
      t(locale, 'account.everywhere.sessions'),
      names.length > 0 ? t(locale, 'account.everywhere.apps', { count: names.length, apps: names.join(', ') }) : t(locale, 'account.everywhere.noApps'),
      t(locale, 'account.everywhere.kept'),
    ],
    action: `${SIGN_OUT_EVERYWHERE_PATH}?lang=${locale}`,
    csrfToken: deps.formTokens.issue('session', signedIn.session.jti),
    confirmLabel: t(locale, 'account.everywhere.submit'),
    cancelHref: `${ACCOUNT_PATH}?lang=${locale}`,
    switchLocaleHref: switchLocaleHref(SIGN_OUT_EVERYWHERE_PATH, locale),
  });
}
