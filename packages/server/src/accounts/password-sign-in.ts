/**
 * Signing in with a password, the use case behind every sign-in form (authorize flow, /account,
 * integrator portal): brute-force limits first (accounts/sign-in-limits.ts), then argon2id, then
 * the audit record. Every failure looks the same to the user; the record never holds what was typed.
 * Starting the browser session is the caller's part (web/shared/browser-session.ts).
 */
import type { Account } from './types.ts';
import type { AccountService } from './service.ts';
import { accountActor, type AuditLog } from '../audit/types.ts';
import type { SignInLimits } from './sign-in-limits.ts';

export type PasswordSignInResult =
  | { ok: true; account: Account }
  | { ok: false; error: 'invalid_credentials'; status: 401 }
  | { ok: false; error: 'locked'; status: 429; retryAfterSeconds: number };

interface PasswordSignInDeps {
  accounts: AccountService;
  limits: SignInLimits;
  audit: AuditLog;
}

export interface PasswordSignInInput {
  login: string;
  password: string;
  ip: string;
  /** Which form: recorded in the audit details. */
  via: 'authorize' | 'account' | 'portal';
  /** Audit event type of the attempt. Default `login.password`. */
  auditType?: 'login.password' | 'integration.sign_in';
  clientId?: string | undefined;
}

const loginKind = (login: string): string => (login.includes('@') ? 'email' : /^[\d\s()+-]+$/.test(login) ? 'phone' : 'other');

export class PasswordSignIn {
  constructor(private readonly deps: PasswordSignInDeps) {}

  async signIn(input: PasswordSignInInput): Promise<PasswordSignInResult> {
    const { deps } = this;
    const type = input.auditType ?? 'login.password';
    const clientId = input.clientId;
    const facts = { login_kind: loginKind(input.login), ip: input.ip, via: input.via };
    // Locked logins (existing or not) and addresses get the same answer, before any password check.
    const attempt = await deps.limits.check(input.login, input.ip);
    if (!attempt.allowed) {
      await deps.audit.record({ type, outcome: 'failure', clientId, details: { ...facts, reason: 'locked', scope: attempt.scope } });
      return { ok: false, error: 'locked', status: 429, retryAfterSeconds: attempt.retryAfterSeconds };
    }
    const account = await deps.accounts.authenticate(input.login, input.password);
    if (!account) {
      await deps.audit.record({ type, outcome: 'failure', clientId, details: { ...facts, reason: 'invalid_credentials' } });
      const failure = await attempt.fail();
      if (failure.lockedNow) {
        await deps.audit.record({ type: 'login.locked', outcome: 'failure', clientId, details: { ...facts, scope: failure.lockedNow, lock_seconds: failure.retryAfterSeconds } });
        return { ok: false, error: 'locked', status: 429, retryAfterSeconds: failure.retryAfterSeconds };
      }
      return { ok: false, error: 'invalid_credentials', status: 401 };
    }
    await attempt.succeed();
    await deps.audit.record({ type, outcome: 'success', clientId, accountId: account.id, actor: accountActor(account.id), details: facts });
    return { ok: true, account };
  }
}
