/** "Sign out on this device": ends this browser's session only; applications keep the access they were given. */
import { clearSessionCookie, type SignedIn } from './session.ts';
import { redirectToAccount, type AccountRequest } from './deps.ts';

export async function signOut(req: AccountRequest, signedIn: SignedIn): Promise<void> {
  await signedIn.session.destroy();
  clearSessionCookie(req.ctx, req.deps);
  await req.deps.audit.record({ type: 'account.signed_out', actor: 'self-service', accountId: signedIn.account.id });
  redirectToAccount(req.ctx, 'signed_out');
}
