/**
 * Account use cases: create, authenticate, set a password (operator), change one's own password,
 * disable and enable, revoke everything. Each method does the whole use case — validate, change the
 * record, revoke what must be revoked, audit — so the admin CLI, the pages and any later API call
 * the same one.
 */
import type { Account, AccountQuery, AccountRepository } from './types.ts';
import type { SignInLimits } from './sign-in-limits.ts';
import { hashPassword, verifyPassword, MIN_PASSWORD_LENGTH, MAX_PASSWORD_LENGTH } from './passwords.ts';
import type { RevocationService } from './revocation.ts';
import { isEmailAddress, normalizeEmail } from './email.ts';
import { accountActor, type AuditActor, type AuditLog } from '../audit/types.ts';
import { invalid, notFound, conflict } from '../shared/errors.ts';
import { newId, randomToken } from '../shared/ids.ts';
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
  /**
   * Absent: the account gets a password nobody knows (a hash of random bytes), so it cannot sign
   * in until its holder sets one through a set-password link; no operator ever sees it.
   */
  password?: string | undefined;
  phone?: string | undefined;
  givenName?: string | undefined;
  familyName?: string | undefined;
  middleName?: string | undefined;
  emailVerified?: boolean | undefined;
}

/** What AccountService.update may change; `null` clears a name or the phone. */
export interface AccountChanges {
  givenName?: string | null | undefined;
  familyName?: string | null | undefined;
  middleName?: string | null | undefined;
  phone?: string | null | undefined;
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
    if (input.password !== undefined) validatePassword(input.password);
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
      passwordHash: await hashPassword(input.password ?? randomToken(32)),
      disabled: false,
    });
    if (actor !== null) await this.deps.audit.record({ type: 'account.created', actor, accountId: account.id, details: { password: input.password !== undefined } });
    return account;
  }

  /**
   * Changes names, phone (unique, normalised; `null` removes it) and e-mail verification. Audited
   * as `account.updated` with the names of the fields that changed (never their values).
   */
  async update(idOrLogin: string, changes: AccountChanges, actor: AuditActor): Promise<Account> {
    const found = await this.resolve(idOrLogin);
    const values: Parameters<AccountRepository['update']>[1] = {};
    if (changes.givenName !== undefined) values.givenName = changes.givenName === null ? null : name(changes.givenName, 'given name');
    if (changes.familyName !== undefined) values.familyName = changes.familyName === null ? null : name(changes.familyName, 'family name');
    if (changes.middleName !== undefined) values.middleName = changes.middleName === null ? null : name(changes.middleName, 'middle name');
    if (changes.phone !== undefined) values.phone = changes.phone === null ? null : await this.#freePhone(changes.phone, found.id);
    if (changes.emailVerified !== undefined) values.emailVerified = changes.emailVerified;
    const changed = (Object.keys(values) as (keyof typeof values)[]).filter((k) => values[k] !== found[k]);
    if (changed.length === 0) return found;
    const account = (await this.deps.accounts.update(found.id, values))!;
    const field = { givenName: 'given_name', familyName: 'family_name', middleName: 'middle_name', phone: 'phone', emailVerified: 'email_verified' } as const;
    await this.deps.audit.record({ type: 'account.updated', actor, accountId: account.id, details: { fields: changed.map((k) => field[k as keyof typeof field]) } });
    return account;
  }

  /** The search an operator typed: an id, digits of a phone, or part of a login or name. */
  static parseQuery(text: string): AccountQuery {
    const trimmed = text.trim();
    const digits = trimmed.replace(/[\s()+-]/g, '');
    // +7 / 8 before ten digits is the country prefix, as the sign-in form accepts it.
    const phoneDigits = /^\d{3,}$/.test(digits) ? (digits.length === 11 && /^[78]/.test(digits) ? digits.slice(1) : digits) : undefined;
    return { id: trimmed, phoneDigits, text: trimmed };
  }

  /** A page of accounts by login after `afterLogin`, matching `query` when given (an operator's search). */
  search(query: string | undefined, limit: number, afterLogin?: string): Promise<Account[]> {
    const parsed = query === undefined || query.trim() === '' ? undefined : AccountService.parseQuery(query);
    return this.deps.accounts.search({ query: parsed, afterLogin, limit });
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

  /** The account a sign-in form's login names: an e-mail address, or a phone number (in any usual form) that belongs to exactly one account. */
  async findBySignInLogin(login: string): Promise<Account | undefined> {
    const trimmed = login.trim();
    if (trimmed.includes('@')) return this.deps.accounts.findByLogin(normalizeEmail(trimmed));
    const phone = normalizePhone(trimmed);
    const matches = phone ? await this.deps.accounts.findByPhone(phone) : [];
    return matches.length === 1 ? matches[0] : undefined;
  }

  /**
   * Checks a login (email, or a phone number that belongs to exactly one account) and password.
   * Returns the account only when the password matches and the account is active; the caller
   * must not tell the user which of these failed.
   */
  async authenticate(login: string, password: string): Promise<Account | undefined> {
    const account = await this.findBySignInLogin(login);
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
