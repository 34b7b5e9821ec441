/** "Sign out on this device": ends this browser's session only; applications keep the access they were given. */
import { accountActor } from '../../audit/types.ts';
import type { SignedIn } from '../shared/browser-session.ts';
import { redirectToAccount, type AccountRequest } from './deps.ts';

export async function signOut(req: AccountRequest, signedIn: SignedIn): Promise<void> {
  await req.deps.sessions.end(req.ctx, signedIn.session);
  await req.deps.audit.record({ type: 'account.signed_out', actor: accountActor(signedIn.account.id), accountId: signedIn.account.id });
  redirectToAccount(req.ctx, 'signed_out');
}
