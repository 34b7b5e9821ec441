/**
 * One-time set-password links: an operator, or a "Forgot password?" request, issues a link with
 * which the account holder sets their own password, so that nobody else ever sees it. The link is
 * `<issuer>/account/set-password/<token>`, a path that works without JavaScript; its token is 32
 * random bytes of which only the SHA-256 is stored (shared/link-tokens.ts). A link works once,
 * until it expires (PROPUSK_PASSWORD_LINK_TTL, 24 hours by default); a new link for the account
 * ends the earlier ones.
 *
 * Setting the password follows the rules of every password form (validatePassword, the same
 * hashing); the link is used and the password stored in one transaction that starts with a
 * conditional UPDATE, so of two submissions of one link exactly one succeeds. Then every session,
 * grant and token of the account is revoked, as when an operator sets a password.
 */
import type { Account, AccountRepository } from './types.ts';
import { validatePassword, type AccountService } from './service.ts';
import type { RevocationService } from './revocation.ts';
import { hashPassword } from './passwords.ts';
import { accountActor, type AuditActor, type AuditLog } from '../audit/types.ts';
import { conflict, invalid } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import { hashLinkToken, isWellFormedLinkToken, newLinkToken } from '../shared/link-tokens.ts';

/** The path of the set-password page; a link is this path, `/`, and its token. */
export const PASSWORD_LINK_PATH = '/account/set-password';

/** The path of one link. */
export const passwordLinkPath = (token: string): string => `${PASSWORD_LINK_PATH}/${encodeURIComponent(token)}`;

/** Default lifetime of a link: 24 hours. */
export const DEFAULT_PASSWORD_LINK_TTL_MS = 24 * 3600_000;

/** A one-time set-password link. Only the SHA-256 of its token is stored; the token is in the link alone. */
export interface PasswordLink {
  id: string;
  accountId: string;
  /** SHA-256 of the link's token, hex. */
  tokenHash: string;
  createdAt: Date;
  expiresAt: Date;
  usedAt: Date | null;
}

export interface PasswordLinkRepository {
  /**
   * Stores `link` and ends every other unused link of its account that has not expired (its expiry
   * becomes `link.createdAt`), in one transaction.
   */
  replace(link: Omit<PasswordLink, 'usedAt'>): Promise<PasswordLink>;
  findByTokenHash(tokenHash: string): Promise<PasswordLink | undefined>;
  /**
   * Marks the link used at `at` and gives its account (when it is not disabled) `passwordHash`, in
   * one transaction whose first statement is a conditional UPDATE of the link (unused, unexpired at
   * `at`): of concurrent calls exactly one succeeds. True when this call used the link.
   */
  consume(link: Pick<PasswordLink, 'id' | 'accountId'>, passwordHash: string, at: Date): Promise<boolean>;
}

/** Why a link cannot be used: no such link (or its account is disabled or gone), expired (or replaced by a newer link), or used. */
export type PasswordLinkRefusal = 'unknown' | 'expired' | 'used';

/** Why a new password was not accepted: a field is empty, the confirmation differs, or validatePassword refused it. */
export type PasswordLinkInputRefusal = 'required' | 'mismatch' | 'rules';

export type PasswordLinkLookup = { ok: true; login: string; expiresAt: Date } | { ok: false; refusal: PasswordLinkRefusal };

/** The outcome of a submission; a refused password comes with the login, for the page that asks again. */
export type PasswordLinkOutcome =
  | { ok: true; account: Account; revoked: number }
  | { ok: false; refusal: PasswordLinkRefusal }
  | { ok: false; refusal: PasswordLinkInputRefusal; login: string };

export interface IssuedPasswordLink {
  /** The link's id (as audited; not a secret). */
  id: string;
  /** The link to hand to the account holder: `<issuer>/account/set-password/<token>` (only the path when the issuer is unknown). */
  url: string;
  expiresAt: Date;
  account: Account;
}

export interface PasswordLinkServiceDeps {
  links: PasswordLinkRepository;
  accounts: Pick<AccountService, 'resolve'>;
  accountRepository: Pick<AccountRepository, 'findById'>;
  revocation: Pick<RevocationService, 'revokeAccount'>;
  audit: AuditLog;
  /** Lifetime of a new link in milliseconds. */
  ttlMs: number;
  /** The issuer (public URL) the links start with; undefined when it is not known (the link is then its path). */
  issuer(): Promise<string | undefined>;
}

type Found = { ok: true; link: PasswordLink; account: Account } | { ok: false; refusal: PasswordLinkRefusal };

export class PasswordLinkService {
  constructor(private readonly deps: PasswordLinkServiceDeps) {
    if (!Number.isInteger(deps.ttlMs) || deps.ttlMs <= 0) throw invalid('the lifetime of a set-password link must be a positive number of milliseconds');
  }

  /**
   * A new one-time link for the account (by id or login); the account's earlier unused links stop
   * working. A disabled account gets none (ERR_CONFLICT). Audited as `account.password_link_issued`
   * (never the token or the link).
   */
  async issue(idOrLogin: string, actor: AuditActor, opts: { reason?: 'operator' | 'forgot' } = {}): Promise<IssuedPasswordLink> {
    const account = await this.deps.accounts.resolve(idOrLogin);
    if (account.disabled) throw conflict(`account ${account.login} is disabled: enable it before issuing a set-password link`);
    const token = newLinkToken();
    const now = new Date();
    const link = await this.deps.links.replace({
      id: newId(),
      accountId: account.id,
      tokenHash: hashLinkToken(token),
      createdAt: now,
      expiresAt: new Date(now.getTime() + this.deps.ttlMs),
    });
    await this.deps.audit.record({
      type: 'account.password_link_issued',
      actor,
      accountId: account.id,
      details: { link_id: link.id, reason: opts.reason ?? 'operator', expires_at: link.expiresAt.toISOString() },
    });
    const issuer = await this.deps.issuer();
    return { id: link.id, url: `${issuer ?? ''}${passwordLinkPath(token)}`, expiresAt: link.expiresAt, account };
  }

  /** The login of the link's account while the link can be used; otherwise why not. */
  async inspect(token: string): Promise<PasswordLinkLookup> {
    const found = await this.#find(token, new Date());
    return found.ok ? { ok: true, login: found.account.login, expiresAt: found.link.expiresAt } : found;
  }

  /**
   * Sets the password of the link's account with `newPassword` (typed twice), using the link up.
   * Refusals are answers: the link's (`unknown`, `expired`, `used`: of concurrent submissions one
   * succeeds, the others get `used`) or the password's (`required`, `mismatch`, `rules`: the link
   * stays usable). On success every session, grant and token of the account is revoked. Audited as
   * `account.password_set_by_link` by the account, then `account.tokens_revoked`; a refused
   * password of a link that works is audited as a failure with its reason.
   */
  async consume(token: string, newPassword: string, confirmation: string): Promise<PasswordLinkOutcome> {
    const found = await this.#find(token, new Date());
    if (!found.ok) return found;
    const { link, account } = found;
    const refused = async (refusal: PasswordLinkInputRefusal | PasswordLinkRefusal): Promise<PasswordLinkOutcome> => {
      await this.deps.audit.record({ type: 'account.password_set_by_link', outcome: 'failure', accountId: account.id, details: { link_id: link.id, reason: refusal } });
      return refusal === 'unknown' || refusal === 'expired' || refusal === 'used' ? { ok: false, refusal } : { ok: false, refusal, login: account.login };
    };
    if (!newPassword || !confirmation) return refused('required');
    if (newPassword !== confirmation) return refused('mismatch');
    try {
      validatePassword(newPassword);
    } catch {
      return refused('rules');
    }
    // Hashed before the transaction, so that no lock is held while argon2 runs.
    const passwordHash = await hashPassword(newPassword);
    if (!(await this.deps.links.consume(link, passwordHash, new Date()))) {
      const now = await this.#find(token, new Date());
      return refused(now.ok ? 'used' : now.refusal);
    }
    const actor = accountActor(account.id);
    await this.deps.audit.record({ type: 'account.password_set_by_link', actor, accountId: account.id, details: { link_id: link.id } });
    const revoked = await this.deps.revocation.revokeAccount(account.id, { actor, reason: 'password_set_by_link' });
    return { ok: true, account, revoked };
  }

  async #find(token: string, now: Date): Promise<Found> {
    const link = isWellFormedLinkToken(token) ? await this.deps.links.findByTokenHash(hashLinkToken(token)) : undefined;
    const account = link && (await this.deps.accountRepository.findById(link.accountId));
    if (!link || !account || account.disabled) return { ok: false, refusal: 'unknown' };
    if (link.usedAt) return { ok: false, refusal: 'used' };
    if (link.expiresAt.getTime() <= now.getTime()) return { ok: false, refusal: 'expired' };
    return { ok: true, link, account };
  }
}
