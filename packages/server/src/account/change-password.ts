/**
 * Password change by the account holder: the current password, the new one twice. On success every
 * session, grant and token of the account is revoked except this browser's session, whose id is
 * rotated; the page then says so. Failures re-render the form (400) with one message.
 */
import { DomainError } from '../shared/errors.ts';
import type { PasswordChangeError } from '../views/index.ts';
import { showAccount } from './overview.ts';
import { rotateSession, type SignedIn } from './session.ts';
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
  let error: PasswordChangeError | undefined;
  if (!current || !next || !confirm) error = 'required';
  else if (next !== confirm) error = 'mismatch';
  else {
    error = await deps.accounts.changePassword(account.id, current, next).then(
      () => undefined,
      (err: unknown) => {
        if (err instanceof DomainError && ERRORS[err.code]) return ERRORS[err.code];
        throw err;
      },
    );
  }
  if (error) {
    await deps.audit.record({ type: 'account.password_changed', outcome: 'failure', actor: 'self-service', accountId: account.id, details: { reason: error } });
    return showAccount(req, signedIn, { passwordError: error });
  }
  const revoked = await deps.revocation.revokeAccount(account.id, { actor: 'self-service', reason: 'password_changed', exceptSessionId: session.jti });
  await rotateSession(ctx, deps, session);
  await deps.audit.record({ type: 'account.password_changed', actor: 'self-service', accountId: account.id, details: { revoked } });
  redirectToAccount(ctx, 'password_changed');
}
