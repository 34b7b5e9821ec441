/**
 * Password change by the account holder: the current password, the new one twice. The current
 * password is checked under the same brute-force limits as every sign-in form (per login and per
 * client IP, accounts/sign-in-limits.ts): a stolen session cannot guess it faster than a sign-in page
 * could. On success every session, grant and token of the account is revoked except this browser's
 * session, whose id is rotated; the page then says so. Failures re-render the form (400, or 429
 * with Retry-After when locked) with one message.
 */
import { DomainError } from '../../shared/errors.ts';
import type { PasswordChangeError } from '../../views/index.ts';
import { showAccount } from './overview.ts';
import type { SignedIn } from '../shared/browser-session.ts';
import { redirectToAccount, type AccountRequest } from './deps.ts';

const ERRORS: Readonly<Record<string, PasswordChangeError>> = {
  ERR_PASSWORD_INCORRECT: 'incorrect',
  ERR_PASSWORD_UNCHANGED: 'unchanged',
  ERR_INVALID: 'rules',
};

export async function changePassword(req: AccountRequest, signedIn: SignedIn, form: URLSearchParams): Promise<void> {
  const { ctx, deps } = req;
  const { account, session } = signedIn;
  const current = form.get('current_password') ?? '';
  const next = form.get('new_password') ?? '';
  const confirm = form.get('confirm_password') ?? '';
  const failed = async (error: PasswordChangeError, retryAfterSeconds?: number) => {
    await deps.audit.record({ type: 'account.password_changed', outcome: 'failure', actor: 'self-service', accountId: account.id, details: { reason: error, ip: ctx.ip } });
    if (retryAfterSeconds !== undefined) ctx.set('Retry-After', String(retryAfterSeconds));
    return showAccount(req, signedIn, { passwordError: error, ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}) });
  };
  if (!current || !next || !confirm) return failed('required');
  if (next !== confirm) return failed('mismatch');

  // Counted before the password is verified, so that parallel guesses cannot pass the limit.
  const attempt = await deps.passwordSignIn.limits.check(account.login, ctx.ip);
  if (!attempt.allowed) return failed('locked', attempt.retryAfterSeconds);
  const error = await deps.accounts.changePassword(account.id, current, next).then(
    () => undefined,
    (err: unknown) => {
      if (err instanceof DomainError && ERRORS[err.code]) return ERRORS[err.code];
      throw err;
    },
  );
  if (error === 'incorrect') {
    const failure = await attempt.fail();
    if (!failure.lockedNow) return failed('incorrect');
    await deps.audit.record({ type: 'login.locked', outcome: 'failure', accountId: account.id, details: { via: 'account', scope: failure.lockedNow, ip: ctx.ip, lock_seconds: failure.retryAfterSeconds } });
    return failed('locked', failure.retryAfterSeconds);
  }
  // The current password was right (whether or not the new one is acceptable).
  await attempt.succeed();
  if (error) return failed(error);
  const revoked = await deps.revocation.revokeAccount(account.id, { actor: 'self-service', reason: 'password_changed', exceptSessionId: session.jti });
  await deps.sessions.rotate(ctx, session);
  await deps.audit.record({ type: 'account.password_changed', actor: 'self-service', accountId: account.id, details: { revoked } });
  redirectToAccount(ctx, 'password_changed');
}
