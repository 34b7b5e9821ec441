/**
 * Password change by the account holder: the current password, the new one twice. The use case
 * (the brute-force limits every sign-in form shares, the checks, the revocation of every other
 * session, grant and token, the audit) is AccountService.changeOwnPassword; this page maps its
 * answer. On success this browser's session, the one kept, has its id rotated and the page says
 * so. Refusals re-render the form (400, or 429 with Retry-After when locked) with one message.
 */
import { showAccount } from './overview.ts';
import type { SignedIn } from '../shared/browser-session.ts';
import { redirectToAccount, type AccountRequest } from './deps.ts';

export async function changePassword(req: AccountRequest, signedIn: SignedIn, form: URLSearchParams): Promise<void> {
  const { ctx, deps } = req;
  const { account, session } = signedIn;
  const outcome = await deps.accounts.changeOwnPassword({
    accountId: account.id,
    currentPassword: form.get('current_password') ?? '',
    newPassword: form.get('new_password') ?? '',
    confirmPassword: form.get('confirm_password') ?? '',
    ip: ctx.ip,
    keepSessionId: session.jti,
  });
  if (!outcome.ok) {
    const { refusal, retryAfterSeconds } = outcome;
    if (retryAfterSeconds !== undefined) ctx.set('Retry-After', String(retryAfterSeconds));
    return showAccount(req, signedIn, { passwordError: refusal, ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}) });
  }
  await deps.sessions.rotate(ctx, session);
  redirectToAccount(ctx, 'password_changed');
}
