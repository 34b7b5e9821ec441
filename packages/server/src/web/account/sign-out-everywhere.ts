/** "Sign out everywhere": every session (this one included), grant, code and token of the account is revoked. */
import type { SignedIn } from '../shared/browser-session.ts';
import { redirectToAccount, type AccountRequest } from './deps.ts';

export async function signOutEverywhere(req: AccountRequest, signedIn: SignedIn): Promise<void> {
  const { ctx, deps } = req;
  await deps.accounts.signOutEverywhere(signedIn.account.id);
  deps.sessions.clearCookie(ctx);
  redirectToAccount(ctx, 'signed_out_everywhere');
}
