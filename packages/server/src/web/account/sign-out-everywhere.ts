/** "Sign out everywhere": every session (this one included), grant, code and token of the account is revoked. */
import type { SignedIn } from '../shared/browser-session.ts';
import { redirectToAccount, type AccountRequest } from './deps.ts';

export async function signOutEverywhere(req: AccountRequest, signedIn: SignedIn): Promise<void> {
  const { ctx, deps } = req;
  const revoked = await deps.revocation.revokeAccount(signedIn.account.id, { actor: 'self-service', reason: 'sign_out_everywhere' });
  deps.sessions.clearCookie(ctx);
  await deps.audit.record({ type: 'account.signed_out_everywhere', actor: 'self-service', accountId: signedIn.account.id, details: { revoked } });
  redirectToAccount(ctx, 'signed_out_everywhere');
}
