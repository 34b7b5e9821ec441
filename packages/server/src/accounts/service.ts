/** Account use cases: create, authenticate, change password, disable. */
import type { Account, AccountRepository } from './types.ts';
import { hashPassword, verifyPassword, MIN_PASSWORD_LENGTH, MAX_PASSWORD_LENGTH } from './passwords.ts';
import { DomainError, invalid, notFound, conflict } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import { normalizePhone } from '../linking/phone.ts';

const EMAIL = /^[^\s@<>()]{1,64}@[^\s@<>()]{1,255}\.[^\s@<>()]{2,63}$/;

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
  constructor(private readonly accounts: AccountRepository) {}

  async create(input: CreateAccountInput): Promise<Account> {
    const login = input.login.trim().toLowerCase();
    if (!EMAIL.test(login)) throw invalid('login must be an email address');
    validatePassword(input.password);
    const phone = input.phone !== undefined && input.phone !== '' ? await this.#freePhone(input.phone) : null;
    if (await this.accounts.findByLogin(login)) throw conflict(`an account with login ${login} already exists`);
    return this.accounts.create({
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
  }

  /** `phone` in its normal form, when it is well-formed and no other account has it. */
  async #freePhone(input: string, accountId?: string): Promise<string> {
    const phone = normalizePhone(input);
    if (!phone) throw invalid('phone must be 10 digits without country code');
    const holders = (await this.accounts.findByPhone(phone)).filter((a) => a.id !== accountId);
    if (holders.length > 0) throw conflict(`phone ${phone} already belongs to another account (${holders.map((a) => a.login).join(', ')})`);
    return phone;
  }

  /** Gives the account another phone number (unique, normalised), or none with `null`. */
  async setPhone(idOrLogin: string, phone: string | null): Promise<Account> {
    const account = await this.resolve(idOrLogin);
    const normal = phone === null ? null : await this.#freePhone(phone, account.id);
    return (await this.accounts.update(account.id, { phone: normal }))!;
  }

  /** Finds an account by id, or by login (email). */
  async resolve(idOrLogin: string): Promise<Account> {
    const account = (await this.accounts.findByLogin(idOrLogin.trim().toLowerCase())) ?? (await this.accounts.findById(idOrLogin));
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
      account = await this.accounts.findByLogin(trimmed.toLowerCase());
    } else {
      const phone = normalizePhone(trimmed);
      const matches = phone ? await this.accounts.findByPhone(phone) : [];
      account = matches.length === 1 ? matches[0] : undefined;
    }
    const ok = await verifyPassword(account?.passwordHash, password);
    return ok && account && !account.disabled ? account : undefined;
  }

  async setPassword(idOrLogin: string, password: string): Promise<Account> {
    validatePassword(password);
    const account = await this.resolve(idOrLogin);
    return (await this.accounts.update(account.id, { passwordHash: await hashPassword(password) }))!;
  }

  /**
   * The account holder changes their own password: the current one must match
   * (ERR_PASSWORD_INCORRECT), the new one must differ from it (ERR_PASSWORD_UNCHANGED) and follow
   * validatePassword (ERR_INVALID). Revoking what the old password let in is RevocationService's job.
   */
  async changePassword(accountId: string, currentPassword: string, newPassword: string): Promise<Account> {
    const account = await this.accounts.findById(accountId);
    if (!account || account.disabled) throw notFound(`account ${accountId}`);
    if (!(await verifyPassword(account.passwordHash, currentPassword))) throw new DomainError('ERR_PASSWORD_INCORRECT', 'the current password is not correct');
    if (newPassword === currentPassword) throw new DomainError('ERR_PASSWORD_UNCHANGED', 'the new password must differ from the current one');
    validatePassword(newPassword);
    return (await this.accounts.update(account.id, { passwordHash: await hashPassword(newPassword) }))!;
  }

  async setDisabled(idOrLogin: string, disabled: boolean): Promise<Account> {
    const account = await this.resolve(idOrLogin);
    return (await this.accounts.update(account.id, { disabled }))!;
  }

  list(options?: { limit?: number; offset?: number }): Promise<Account[]> {
    return this.accounts.list(options);
  }
}
