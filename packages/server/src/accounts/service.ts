/**
 * Account use cases: create, authenticate, set a password (operator), change one's own password,
 * disable and enable, revoke everything. Each method does the whole use case — validate, change the
 * record, revoke what must be revoked, audit — so the admin CLI, the pages and any later API call
 * the same one.
 */
import type { Account, AccountRepository } from './types.ts';
import type { SignInLimits } from './sign-in-limits.ts';
import { hashPassword, verifyPassword, MIN_PASSWORD_LENGTH, MAX_PASSWORD_LENGTH } from './passwords.ts';
import type { RevocationService } from './revocation.ts';
import { isEmailAddress, normalizeEmail } from './email.ts';
import { accountActor, type AuditActor, type AuditLog } from '../audit/types.ts';
import { invalid, notFound, conflict } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import { normalizePhone } from '../linking/phone.ts';

export interface AccountServiceDeps {
  accounts: AccountRepository;
  revocation: Pick<RevocationService, 'revokeAccount'>;
  audit: AuditLog;
  /** The brute-force limits of every password form (a password change checks the current one under them). */
  signInLimits: SignInLimits;
}

/** Why a password change was refused (see AccountService.changeOwnPassword). */
export type PasswordChangeRefusal = 'required' | 'mismatch' | 'locked' | 'incorrect' | 'unchanged' | 'rules';

export interface PasswordChangeInput {
  accountId: string;
  currentPassword: string;
  newPassword: string;
  /** The new password typed again. */
  confirmPassword: string;
  /** Client IP address: counted by the brute-force limits, recorded with a refusal. */
  ip: string;
  /** The oidc-provider session of the browser that asked: it survives the revocation. */
  keepSessionId?: string | undefined;
}

export type PasswordChangeOutcome =
  | { ok: true; account: Account; revoked: number }
  | { ok: false; refusal: PasswordChangeRefusal; retryAfterSeconds?: number };

export interface CreateAccountInput {
  login: string;
  password: string;
  phone?: string | undefined;
  givenName?: string | undefined;
  familyName?: string | undefined;
  middleName?: string | undefined;
  emailVerified?: boolean | undefined;
}

export function validatePassword(password: string): void {
  if (password.length < MIN_PASSWORD_LENGTH) throw invalid(`password must be at least ${MIN_PASSWORD_LENGTH} characters`);
  if (password.length > MAX_PASSWORD_LENGTH) throw invalid(`password must be at most ${MAX_PASSWORD_LENGTH} characters`);
}

function name(value: string | undefined, field: string): string | null {
  if (value === undefined || value.trim() === '') return null;
  if (value.length > 200) throw invalid(`${field} must be at most 200 characters`);
  return value.trim();
}

export class AccountService {
  constructor(private readonly deps: AccountServiceDeps) {}

  /**
   * Creates an account (login is an email address; phone unique). Audited as `account.created`;
   * `actor` null records nothing: seeded data (demo, fixtures, benchmarks), or a use case that
   * records its own event for it (IntegrationService.signUp).
   */
  async create(input: CreateAccountInput, actor: AuditActor | null): Promise<Account> {
    const login = normalizeEmail(input.login);
    if (!isEmailAddress(login)) throw invalid('login must be an email address');
    validatePassword(input.password);
    const phone = input.phone !== undefined && input.phone !== '' ? await this.#freePhone(input.phone) : null;
    if (await this.deps.accounts.findByLogin(login)) throw conflict(`an account with login ${login} already exists`);
    const account = await this.deps.accounts.create({
      id: newId(),
      login,
      email: login,
      emailVerified: input.emailVerified ?? false,
      phone,
      givenName: name(input.givenName, 'given name'),
      familyName: name(input.familyName, 'family name'),
      middleName: name(input.middleName, 'middle name'),
      passwordHash: await hashPassword(input.password),
      disabled: false,
    });
    if (actor !== null) await this.deps.audit.record({ type: 'account.created', actor, accountId: account.id });
    return account;
  }

  /** `phone` in its normal form, when it is well-formed and no other account has it. */
  async #freePhone(input: string, accountId?: string): Promise<string> {
    const phone = normalizePhone(input);
    if (!phone) throw invalid('phone must be 10 digits without country code');
    const holders = (await this.deps.accounts.findByPhone(phone)).filter((a) => a.id !== accountId);
    if (holders.length > 0) throw conflict(`phone ${phone} already belongs to another account (${holders.map((a) => a.login).join(', ')})`);
    return phone;
  }

  /** Gives the account another phone number (unique, normalised), or none with `null`. Audited as `account.phone_changed`. */
  async setPhone(idOrLogin: string, phone: string | null, actor: AuditActor): Promise<Account> {
    const found = await this.resolve(idOrLogin);
    const normal = phone === null ? null : await this.#freePhone(phone, found.id);
    const account = (await this.deps.accounts.update(found.id, { phone: normal }))!;
    await this.deps.audit.record({ type: 'account.phone_changed', actor, accountId: account.id, details: { cleared: phone === null } });
    return account;
  }

  /** Finds an account by id, or by login (email). */
  async resolve(idOrLogin: string): Promise<Account> {
    const account = (await this.deps.accounts.findByLogin(normalizeEmail(idOrLogin))) ?? (await this.deps.accounts.findById(idOrLogin));
    if (!account) throw notFound(`account ${idOrLogin}`);
    return account;
  }

  /**
   * Checks a login (email, or a phone number that belongs to exactly one account) and password.
   * Returns the account only when the password matches and the account is active; the caller
   * must not tell the user which of these failed.
   */
  async authenticate(login: string, password: string): Promise<Account | undefined> {
    const trimmed = login.trim();
    let account: Account | undefined;
    if (trimmed.includes('@')) {
      account = await this.deps.accounts.findByLogin(normalizeEmail(trimmed));
    } else {
      const phone = normalizePhone(trimmed);
      const matches = phone ? await this.deps.accounts.findByPhone(phone) : [];
      account = matches.length === 1 ? matches[0] : undefined;
    }
    const ok = await verifyPassword(account?.passwordHash, password);
    return ok && account && !account.disabled ? account : undefined;
  }

  /**
   * An operator sets an account's password: checked against validatePassword (ERR_INVALID), then
   * every session (sign-in, account and portal pages), grant and token of the account is revoked,
   * so nothing signed in with the old password keeps working. Audited as `account.password_set`.
   */
  async setPassword(idOrLogin: string, password: string, actor: AuditActor): Promise<{ account: Account; revoked: number }> {
    validatePassword(password);
    const found = await this.resolve(idOrLogin);
    const account = (await this.deps.accounts.update(found.id, { passwordHash: await hashPassword(password) }))!;
    await this.deps.audit.record({ type: 'account.password_set', actor, accountId: account.id });
    const revoked = await this.deps.revocation.revokeAccount(account.id, { actor, reason: 'password_set' });
    return { account, revoked };
  }

  /**
   * The account holder changes their own password on a signed-in page. Refusals are answers, not
   * errors: `required` (a field is empty), `mismatch` (the confirmation differs), `locked` (too many
   * wrong current passwords, per login and per client IP, as on every sign-in form), `incorrect`,
   * `unchanged` (the new one equals the current one), `rules` (validatePassword). On success every
   * session, grant and token of the account is revoked but `keepSessionId` (the browser session
   * that asked). Each attempt is audited as `account.password_changed`.
   */
  async changeOwnPassword(input: PasswordChangeInput): Promise<PasswordChangeOutcome> {
    const account = await this.deps.accounts.findById(input.accountId);
    if (!account || account.disabled) throw notFound(`account ${input.accountId}`);
    const actor = accountActor(account.id);
    const refused = async (refusal: PasswordChangeRefusal, retryAfterSeconds?: number): Promise<PasswordChangeOutcome> => {
      await this.deps.audit.record({ type: 'account.password_changed', outcome: 'failure', actor, accountId: account.id, details: { reason: refusal, ip: input.ip } });
      return retryAfterSeconds === undefined ? { ok: false, refusal } : { ok: false, refusal, retryAfterSeconds };
    };
    const { currentPassword: current, newPassword: next, confirmPassword: confirm } = input;
    if (!current || !next || !confirm) return refused('required');
    if (next !== confirm) return refused('mismatch');
    // Counted before the password is verified, so that parallel guesses cannot pass the limit.
    const attempt = await this.deps.signInLimits.check(account.login, input.ip);
    if (!attempt.allowed) return refused('locked', attempt.retryAfterSeconds);
    if (!(await verifyPassword(account.passwordHash, current))) {
      const failure = await attempt.fail();
      if (!failure.lockedNow) return refused('incorrect');
      await this.deps.audit.record({
        type: 'login.locked',
        outcome: 'failure',
        accountId: account.id,
        details: { via: 'account', scope: failure.lockedNow, ip: input.ip, lock_seconds: failure.retryAfterSeconds },
      });
      return refused('locked', failure.retryAfterSeconds);
    }
    // The current password was right (whether or not the new one is acceptable).
    await attempt.succeed();
    if (next === current) return refused('unchanged');
    try {
      validatePassword(next);
    } catch {
      return refused('rules');
    }
    const updated = (await this.deps.accounts.update(account.id, { passwordHash: await hashPassword(next) }))!;
    const revoked = await this.deps.revocation.revokeAccount(account.id, { actor, reason: 'password_changed', exceptSessionId: input.keepSessionId });
    await this.deps.audit.record({ type: 'account.password_changed', actor, accountId: account.id, details: { revoked } });
    return { ok: true, account: updated, revoked };
  }

  /**
   * Disables an account: it can no longer sign in, and every session, grant and token it holds is
   * revoked at once (not at its expiry). Audited as `account.disabled`, then `account.tokens_revoked`.
   */
  async disable(idOrLogin: string, actor: AuditActor): Promise<{ account: Account; revoked: number }> {
    const found = await this.resolve(idOrLogin);
    const account = (await this.deps.accounts.update(found.id, { disabled: true }))!;
    await this.deps.audit.record({ type: 'account.disabled', actor, accountId: account.id });
    const revoked = await this.deps.revocation.revokeAccount(account.id, { actor, reason: 'account_disabled' });
    return { account, revoked };
  }

  /** Enables a disabled account again (what was revoked stays revoked). Audited as `account.enabled`. */
  async enable(idOrLogin: string, actor: AuditActor): Promise<Account> {
    const found = await this.resolve(idOrLogin);
    const account = (await this.deps.accounts.update(found.id, { disabled: false }))!;
    await this.deps.audit.record({ type: 'account.enabled', actor, accountId: account.id });
    return account;
  }

  /** An operator revokes every session, grant and token of the account; it can sign in again. */
  async revokeTokens(idOrLogin: string, actor: AuditActor): Promise<{ account: Account; revoked: number }> {
    const account = await this.resolve(idOrLogin);
    const revoked = await this.deps.revocation.revokeAccount(account.id, { actor, reason: 'operator' });
    return { account, revoked };
  }

  /** The account holder signs out everywhere: every session (the asking one too), grant and token of the account is revoked. */
  async signOutEverywhere(accountId: string): Promise<number> {
    const actor = accountActor(accountId);
    const revoked = await this.deps.revocation.revokeAccount(accountId, { actor, reason: 'sign_out_everywhere' });
    await this.deps.audit.record({ type: 'account.signed_out_everywhere', actor, accountId, details: { revoked } });
    return revoked;
  }

  list(options?: { limit?: number; offset?: number }): Promise<Account[]> {
    return this.deps.accounts.list(options);
  }
}
