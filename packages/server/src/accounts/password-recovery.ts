/**
 * "Forgot password?": a person gives the login they sign in with (e-mail or phone) and, when it
 * names an active account, a one-time set-password link (accounts/password-links.ts, reason
 * `forgot`) goes to the account's e-mail address. The answer never tells whether it did: every
 * request that passes the limits is answered the same, at once, and the lookup, the link and the
 * message are made afterwards, so neither the page nor its timing depends on the account. The
 * message is in the page's language (accounts keep no language of their own); the link's lifetime
 * is the one of every set-password link (PROPUSK_PASSWORD_LINK_TTL, 24 hours by default), and a
 * new request ends the account's earlier links. A request that names an account is audited as
 * `account.password_reset_requested` (never the login typed, the token or the link).
 *
 * Requests count against the sign-in limits (accounts/sign-in-limits.ts) under a key of their own
 * per login — a person's mailbox cannot be flooded, nor many logins probed from one address — and
 * against the address's sign-in counter, as password guesses do.
 */
import type { Account } from './types.ts';
import { isEmailAddress } from './email.ts';
import type { AccountService } from './service.ts';
import type { PasswordLinkService } from './password-links.ts';
import { normalLogin, type SignInLimits } from './sign-in-limits.ts';
import { accountActor, type AuditLog } from '../audit/types.ts';
import type { MailMessage, MailSender } from '../mail/index.ts';
import type { Logger } from '../logger.ts';

export type RecoveryLocale = 'ru' | 'en';

export type RecoveryAnswer = { ok: true } | { ok: false; retryAfterSeconds: number };

export interface PasswordRecoveryDeps {
  accounts: Pick<AccountService, 'findBySignInLogin'>;
  links: Pick<PasswordLinkService, 'issue'>;
  limits: SignInLimits;
  mail: MailSender;
  audit: AuditLog;
  logger: Logger;
  /** Builds the message of a link, in the person's language. */
  message(locale: RecoveryLocale, link: { url: string; expiresAt: Date; account: Account }): Omit<MailMessage, 'to'>;
}

/** The counter key of a login's recovery requests (never a login a person could type: logins have no `#`). */
const limitKey = (login: string): string => `#forgot:${normalLogin(login)}`;

export class PasswordRecovery {
  /** Work still running after its answer (tests and shutdown wait for it). */
  readonly #pending = new Set<Promise<void>>();

  constructor(private readonly deps: PasswordRecoveryDeps) {}

  /** False when no mail transport is configured: recovery is not offered. */
  get available(): boolean {
    return this.deps.mail.enabled;
  }

  async request(input: { login: string; ip: string; locale: RecoveryLocale }): Promise<RecoveryAnswer> {
    const login = input.login.trim();
    const attempt = await this.deps.limits.check(limitKey(login), input.ip);
    if (!attempt.allowed) return { ok: false, retryAfterSeconds: attempt.retryAfterSeconds };
    // Counted as a failure: a recovery request never resets the counters, whatever happens next.
    const counted = attempt.fail();
    const work = this.#deliver(login, input.locale, input.ip).catch((err: unknown) => {
      this.deps.logger.error({ err: err instanceof Error ? { message: err.message, code: (err as { code?: unknown }).code } : String(err) }, 'password recovery: the link could not be sent');
    });
    this.#pending.add(work);
    void work.finally(() => this.#pending.delete(work));
    await counted;
    return { ok: true };
  }

  /** Resolves when every request answered so far has finished its work. */
  async settled(): Promise<void> {
    await Promise.all([...this.#pending]);
  }

  async #deliver(login: string, locale: RecoveryLocale, ip: string): Promise<void> {
    if (!login || !this.deps.mail.enabled) return;
    const account = await this.deps.accounts.findBySignInLogin(login);
    if (!account) return;
    const audit = (outcome: 'success' | 'failure', details: { reason?: 'disabled' | 'no_email' | 'not_sent'; link_id?: string }) =>
      this.deps.audit.record({ type: 'account.password_reset_requested', outcome, accountId: account.id, sourceIp: ip, details: { ip, ...details } });
    if (account.disabled) return audit('failure', { reason: 'disabled' });
    const to = account.email ?? account.login;
    if (!isEmailAddress(to)) return audit('failure', { reason: 'no_email' });
    const link = await this.deps.links.issue(account.id, accountActor(account.id), { reason: 'forgot' });
    try {
      // The link opens its page in the message's language.
      await this.deps.mail.send({ to, ...this.deps.message(locale, { ...link, url: `${link.url}?lang=${locale}` }) });
    } catch (err) {
      await audit('failure', { reason: 'not_sent', link_id: link.id });
      throw err;
    }
    await audit('success', { link_id: link.id });
  }
}
