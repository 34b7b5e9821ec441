/**
 * Revoking one application's access: its grants with their codes, refresh and access tokens are
 * deleted at once (introspection says inactive, a refresh gets `invalid_grant`), and its remembered
 * consent is forgotten (the next sign-in asks again). A client without access to this account is
 * answered exactly like a missing one: 404, nothing changed.
 */
import { accountActor } from '../../audit/types.ts';
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
