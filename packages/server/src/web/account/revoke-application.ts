/**
 * Revoking one application's access, after a confirmation page that names the application and what
 * ends (GET; the row's "Revoke access" leads there): its grants with their codes, refresh and access tokens are
 * deleted at once (introspection says inactive, a refresh gets `invalid_grant`), and its remembered
 * consent is forgotten (the next sign-in asks again). A client without access to this account is
 * answered exactly like a missing one: 404, nothing changed.
 */
import { accountActor } from '../../audit/types.ts';
import { accountConfirmPage, describeScope, html, t, tHtml } from '../../views/index.ts';
import { switchLocaleHref } from '../shared/locale.ts';
import { DomainError } from '../../shared/errors.ts';
import { REFUSALS, refuse } from '../shared/refusal.ts';
import { ACCOUNT_PATH, redirectToAccount, type AccountRequest } from './deps.ts';
import type { SignedIn } from '../shared/browser-session.ts';

export async function revokeApplication(req: AccountRequest, signedIn: SignedIn, clientId: string): Promise<void> {
  const revoked = await req.deps.revocation.revokeApplicationOfAccount(signedIn.account.id, clientId, accountActor(signedIn.account.id)).then(
    () => true,
    (err: unknown) => {
      if (err instanceof DomainError && err.code === 'ERR_NOT_FOUND') return false;
      throw err;
    },
  );
  if (!revoked) return refuse(req.ctx, REFUSALS.applicationNotFound, { locale: req.locale, homeHref: ACCOUNT_PATH });
  redirectToAccount(req.ctx, 'revoked');
}

/** The path of an application's revoke confirmation (GET) and action (POST). */
export const revokePath = (clientId: string): string => `${ACCOUNT_PATH}/applications/${encodeURIComponent(clientId)}/revoke`;

/** GET: "Revoke access of <application>?" with what ends; 404 for an application without access. */
export async function confirmRevokeApplication(req: AccountRequest, signedIn: SignedIn, clientId: string): Promise<void> {
  const { ctx, deps, locale } = req;
  const app = (await deps.revocation.applicationsOf(signedIn.account.id)).find((a) => a.clientId === clientId);
  if (!app) return refuse(ctx, REFUSALS.applicationNotFound, { locale, homeHref: ACCOUNT_PATH });
  const name = await deps.clients.get(clientId).then(
    (c) => c.name,
    () => clientId,
  );
  const scopes = (await deps.resources.describeScopes(app.scopes)).map((s) => describeScope(locale, s));
  const client = html`<strong class="client-name">${name}</strong>`;
  ctx.status = 200;
  ctx.type = 'html';
  ctx.body = accountConfirmPage({
    locale,
    title: t(locale, 'account.revoke.title', { client: name }),
    lead: tHtml(locale, 'account.revoke.lead', { client }),
    consequences: [
      t(locale, 'account.revoke.tokens'),
      ...(scopes.length > 0 ? [t(locale, 'account.revoke.scopes', { scopes: scopes.join('; ') })] : []),
      t(locale, 'account.revoke.again'),
    ],
    action: `${revokePath(clientId)}?lang=${locale}`,
    csrfToken: deps.formTokens.issue('session', signedIn.session.jti),
    confirmLabel: t(locale, 'account.apps.revoke'),
    cancelHref: `${ACCOUNT_PATH}?lang=${locale}`,
    switchLocaleHref: switchLocaleHref(revokePath(clientId), locale),
  });
}
