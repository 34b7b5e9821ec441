/**
 * The second step of a sign-in, after the password: a code from the authenticator app, a recovery
 * code or a passkey; and signing in with a passkey alone. Wrong codes count toward the same limits
 * as wrong passwords (accounts/sign-in-limits.ts): per account (its own counter, keyed by the
 * account id, so it cannot be dodged by typing the phone instead of the e-mail) and per client IP,
 * with the same lock and progressive delay. Every attempt is audited, never with what was typed.
 */
import type { AuthenticationResponseJSON } from '@simplewebauthn/server';
import type { Account } from '../accounts/types.ts';
import { accountActor, type AuditLog } from '../audit/types.ts';
import type { SignInLimits } from '../accounts/sign-in-limits.ts';
import type { SecondFactorService } from './service.ts';
import type { SignInMethod } from './types.ts';

type Via = 'authorize' | 'account' | 'portal';

export type SecondStepResult =
  | { ok: true; method: SignInMethod }
  | { ok: false; error: 'invalid' | 'replayed' | 'recovery' | 'passkey'; status: 401 }
  | { ok: false; error: 'locked'; status: 429; retryAfterSeconds: number };

interface SecondStepDeps {
  factors: SecondFactorService;
  limits: SignInLimits;
  audit: AuditLog;
}

/** The counter key of an account's second step (never a login a person could type: logins have no `#`). */
const limitKey = (accountId: string) => `#second-factor:${accountId}`;

export class SecondStepSignIn {
  constructor(private readonly deps: SecondStepDeps) {}

  /** A code typed on the second step: `totp` (authenticator app) or `recovery`. */
  async verifyCode(input: { account: Pick<Account, 'id' | 'login'>; method: 'totp' | 'recovery'; code: string; ip: string; via: Via; clientId?: string | undefined }): Promise<SecondStepResult> {
    const { deps } = this;
    const { account, method, ip, via, clientId } = input;
    const attempt = await deps.limits.check(limitKey(account.id), ip);
    if (!attempt.allowed) {
      await deps.audit.record({ type: 'login.second_factor', outcome: 'failure', accountId: account.id, clientId, details: { method, via, ip, reason: 'locked', scope: attempt.scope } });
      return { ok: false, error: 'locked', status: 429, retryAfterSeconds: attempt.retryAfterSeconds };
    }
    let error: 'invalid' | 'replayed' | 'recovery' | undefined;
    if (method === 'totp') {
      const check = await deps.factors.verifyTotp(account, input.code);
      if (!check.ok) error = check.reason === 'replayed' ? 'replayed' : 'invalid';
    } else if (!(await deps.factors.useRecoveryCode(account.id, input.code))) {
      error = 'recovery';
    }
    if (error) {
      await deps.audit.record({ type: 'login.second_factor', outcome: 'failure', accountId: account.id, clientId, details: { method, via, ip, reason: error === 'replayed' ? 'replayed' : 'invalid' } });
      const failure = await attempt.fail();
      if (failure.lockedNow) {
        await deps.audit.record({ type: 'login.locked', outcome: 'failure', accountId: account.id, clientId, details: { via, ip, scope: failure.lockedNow, lock_seconds: failure.retryAfterSeconds } });
        return { ok: false, error: 'locked', status: 429, retryAfterSeconds: failure.retryAfterSeconds };
      }
      return { ok: false, error, status: 401 };
    }
    await attempt.succeed();
    const codesLeft = method === 'recovery' ? (await deps.factors.summary(account.id)).recoveryCodes : undefined;
    await deps.audit.record({
      type: 'login.second_factor',
      outcome: 'success',
      accountId: account.id,
      clientId,
      actor: accountActor(account.id),
      details: { method, via, ip, ...(codesLeft !== undefined ? { codes_left: codesLeft } : {}) },
    });
    return { ok: true, method: method === 'totp' ? { kind: 'password+totp' } : { kind: 'password+recovery' } };
  }

  /** A passkey as the second step: it must be one of the account's. */
  async verifyPasskey(input: { account: Pick<Account, 'id'>; response: AuthenticationResponseJSON; challenge: string; ip: string; via: Via; clientId?: string | undefined }): Promise<SecondStepResult> {
    const { deps } = this;
    const { account, ip, via, clientId } = input;
    const attempt = await deps.limits.check(limitKey(account.id), ip);
    if (!attempt.allowed) {
      await deps.audit.record({ type: 'login.second_factor', outcome: 'failure', accountId: account.id, clientId, details: { method: 'passkey', via, ip, reason: 'locked', scope: attempt.scope } });
      return { ok: false, error: 'locked', status: 429, retryAfterSeconds: attempt.retryAfterSeconds };
    }
    const proof = await deps.factors.verifyPasskey(input.response, input.challenge, { accountId: account.id });
    if (!proof) {
      await deps.audit.record({ type: 'login.second_factor', outcome: 'failure', accountId: account.id, clientId, details: { method: 'passkey', via, ip, reason: 'invalid' } });
      const failure = await attempt.fail();
      if (failure.lockedNow) return { ok: false, error: 'locked', status: 429, retryAfterSeconds: failure.retryAfterSeconds };
      return { ok: false, error: 'passkey', status: 401 };
    }
    await attempt.succeed();
    await deps.audit.record({ type: 'login.second_factor', outcome: 'success', accountId: account.id, clientId, actor: accountActor(account.id), details: { method: 'passkey', via, ip } });
    return { ok: true, method: { kind: 'password+passkey', passkey: proof.kind } };
  }

  /**
   * Signing in with a passkey alone: a discoverable credential, with the person verified on the
   * authenticator. Failures count toward the address's limit (there is no account to count against).
   */
  async passwordless(input: { response: AuthenticationResponseJSON; challenge: string; ip: string; via: Via; clientId?: string | undefined }): Promise<{ ok: true; accountId: string; method: SignInMethod } | { ok: false; error: 'passkey'; status: 401 } | { ok: false; error: 'locked'; status: 429; retryAfterSeconds: number }> {
    const { deps } = this;
    const { ip, via, clientId } = input;
    // Failures count per address (the account counter is keyed by the address too: no account is known).
    const attempt = await deps.limits.check(`#passkey:${ip}`, ip);
    if (!attempt.allowed) return { ok: false, error: 'locked', status: 429, retryAfterSeconds: attempt.retryAfterSeconds };
    const proof = await deps.factors.verifyPasskey(input.response, input.challenge, {});
    if (!proof || !proof.userVerified) {
      await deps.audit.record({ type: 'login.passkey', outcome: 'failure', clientId, details: { via, ip, reason: 'invalid' } });
      await attempt.fail();
      return { ok: false, error: 'passkey', status: 401 };
    }
    await attempt.succeed();
    await deps.audit.record({ type: 'login.passkey', outcome: 'success', accountId: proof.accountId, clientId, actor: accountActor(proof.accountId), details: { via, ip, kind: proof.kind } });
    return { ok: true, accountId: proof.accountId, method: { kind: 'passkey', passkey: proof.kind } };
  }
}
