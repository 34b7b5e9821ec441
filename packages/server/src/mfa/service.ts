/**
 * The second factors of an account: enrolment and removal (audited; each change ends the account's
 * other sessions), and the checks a sign-in makes.
 *
 *  - Authenticator app: RFC 6238 TOTP with otpauth (SHA-1, 6 digits, 30 s steps, one step of clock
 *    drift either way). The secret is sealed with the master key; a code is accepted once: its time
 *    step must be later than the last one accepted (one atomic UPDATE decides, on every instance).
 *  - Passkeys: WebAuthn with @simplewebauthn/server, discoverable credentials, user verification
 *    preferred (required to sign in without a password). Each ceremony's challenge travels sealed in
 *    the page (WebAuthnCeremonies) and is recorded when used, so an assertion cannot be replayed.
 *  - Recovery codes: ten, shown once; stored as HMAC-SHA-256 under an internal key (so the codes,
 *    ~50 bits each, cannot be searched for offline with the database alone); each works once.
 */
import { createHmac, randomInt } from 'node:crypto';
import * as OTPAuth from 'otpauth';
import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from '@simplewebauthn/server';
import type * as SimpleWebAuthnServer from '@simplewebauthn/server';
import type { Account } from '../accounts/types.ts';
import type { AuditActor, AuditLog } from '../audit/types.ts';
import type { RevocationService } from '../accounts/revocation.ts';
import { seal, unseal } from '../keys/sealing.ts';
import { newId } from '../shared/ids.ts';
import { hasSecondFactor, type FactorSummary, type Passkey, type PasskeyKind, type SecondFactorKind, type SecondFactorRepository } from './types.ts';

/** TOTP parameters (RFC 6238's defaults, what every authenticator app supports). */
export const TOTP = { algorithm: 'SHA1', digits: 6, period: 30, window: 1 } as const;
/** How many recovery codes a set has. */
export const RECOVERY_CODE_COUNT = 10;
/** Longest passkey name. */
export const PASSKEY_NAME_MAX = 60;
/** Recovery code alphabet: no vowels (no words), no look-alikes (0/O, 1/I/L). */
const RECOVERY_ALPHABET = 'BCDFGHJKMNPQRSTVWXZ23456789';

export interface WebAuthnRelyingParty {
  /** The RP ID: the issuer's host name. */
  id: string;
  /** Shown by authenticators. */
  name: string;
  /** The issuer's origin: the only origin ceremonies may come from. */
  origin: string;
}

interface SecondFactorDeps {
  repo: SecondFactorRepository;
  audit: AuditLog;
  revocation: RevocationService;
  masterKey: Buffer | undefined;
  /** Key of the recovery codes' HMAC (an internal secret, sealed in the database). */
  recoveryKey: () => Promise<string>;
  /** Name of the issuer in authenticator apps. */
  issuerName: string;
  relyingParty: WebAuthnRelyingParty;
  now?: () => Date;
}

/** Who made a change, and the browser session to keep when it was the account holder. */
export interface FactorChangeBy {
  actor: AuditActor;
  /** The session that made the change (kept); every other session of the account ends. */
  keepSessionId?: string | undefined;
  /** The sign-in interaction that made the change (enrolment on its way): it goes on. */
  keepInteractionId?: string | undefined;
  /** Set when an operator changed it (then every session ends). */
  operator?: boolean;
}

export type TotpCheck = { ok: true; step: number } | { ok: false; reason: 'invalid' | 'replayed' | 'not_enrolled' };

/** The passkey an assertion proved, and how it holds its key. */
export interface PasskeyProof {
  accountId: string;
  passkey: Passkey;
  kind: PasskeyKind;
  userVerified: boolean;
}

/** @simplewebauthn/server, loaded on the first passkey ceremony (an instance that only issues tokens never needs it). */
let webauthnLibrary: Promise<typeof SimpleWebAuthnServer> | undefined;
const webauthn = () => (webauthnLibrary ??= import('@simplewebauthn/server'));

/** A recovery code as people type it: letters and digits, any case, dashes and spaces ignored. */
export const normaliseRecoveryCode = (code: string): string => code.toUpperCase().replace(/[\s-]/g, '');

/** A new recovery code, `XXXXX-XXXXX`. */
function newRecoveryCode(): string {
  let s = '';
  for (let i = 0; i < 10; i++) s += RECOVERY_ALPHABET[randomInt(RECOVERY_ALPHABET.length)];
  return `${s.slice(0, 5)}-${s.slice(5)}`;
}

/** How a passkey holds its key: device-bound (`hwk`) or synced (`swk`). */
export const passkeyKind = (p: Pick<Passkey, 'deviceType' | 'backedUp'>): PasskeyKind => (p.deviceType === 'multiDevice' || p.backedUp ? 'swk' : 'hwk');

export class SecondFactorService {
  constructor(private readonly deps: SecondFactorDeps) {}

  get relyingParty(): WebAuthnRelyingParty {
    return this.deps.relyingParty;
  }

  #now(): Date {
    return this.deps.now?.() ?? new Date();
  }

  summary(accountId: string): Promise<FactorSummary> {
    return this.deps.repo.summary(accountId);
  }

  summaries(accountIds: readonly string[]): Promise<Map<string, FactorSummary>> {
    return this.deps.repo.summaries(accountIds);
  }

  async hasSecondFactor(accountId: string): Promise<boolean> {
    return hasSecondFactor(await this.deps.repo.summary(accountId));
  }

  /** After a change: audit it, and end the account's other sessions (all of them when an operator made it). */
  async #changed(accountId: string, by: FactorChangeBy, factor: SecondFactorKind | 'all', change: 'added' | 'removed' | 'renewed' | 'reset', details: { name?: string } = {}): Promise<void> {
    await this.deps.audit.record({ type: change === 'reset' ? 'mfa.reset' : `mfa.${change}`, actor: by.actor, accountId, details: { factor, ...details } });
    await this.deps.revocation.revokeAccount(accountId, {
      actor: by.actor,
      reason: change === 'reset' ? 'mfa_reset' : 'mfa_changed',
      exceptSessionId: by.operator ? undefined : by.keepSessionId,
      exceptInteractionId: by.operator ? undefined : by.keepInteractionId,
    });
  }

  // ——— Authenticator app ———

  /** The account's authenticator app (enrolled or being enrolled), without its secret. */
  async totpStatus(accountId: string): Promise<{ confirmedAt: Date | null; lastUsedAt: Date | null } | undefined> {
    const record = await this.deps.repo.findTotp(accountId);
    return record && { confirmedAt: record.confirmedAt, lastUsedAt: record.lastUsedAt };
  }

  #totp(account: Pick<Account, 'login'>, secret: string): OTPAuth.TOTP {
    return new OTPAuth.TOTP({
      issuer: this.deps.issuerName,
      label: account.login,
      algorithm: TOTP.algorithm,
      digits: TOTP.digits,
      period: TOTP.period,
      secret: OTPAuth.Secret.fromBase32(secret),
    });
  }

  /**
   * The secret being enrolled: the same one on every call until enrolment is confirmed (a reload of
   * the page shows the same QR code), a new one only after removal. Undefined when an authenticator
   * app is already enrolled.
   */
  async beginTotp(account: Pick<Account, 'id' | 'login'>): Promise<{ secret: string; uri: string } | undefined> {
    let record = await this.deps.repo.findTotp(account.id);
    if (!record) {
      const secret = new OTPAuth.Secret({ size: 20 }).base32;
      record = await this.deps.repo.putPendingTotp(account.id, seal(secret, this.deps.masterKey), this.#now());
    }
    if (record.confirmedAt) return undefined;
    const secret = unseal(record.sealedSecret, this.deps.masterKey);
    return { secret, uri: this.#totp(account, secret).toString() };
  }

  /** Checks `code` against the account's secret (confirmed or pending) without using it. */
  async #check(account: Pick<Account, 'id' | 'login'>, code: string, pending: boolean): Promise<TotpCheck> {
    const record = await this.deps.repo.findTotp(account.id);
    if (!record || (record.confirmedAt === null) !== pending) return { ok: false, reason: 'not_enrolled' };
    const token = code.replace(/\s/g, '');
    if (!/^\d{6}$/.test(token)) return { ok: false, reason: 'invalid' };
    const totp = this.#totp(account, unseal(record.sealedSecret, this.deps.masterKey));
    const at = this.#now().getTime();
    const delta = totp.validate({ token, timestamp: at, window: TOTP.window });
    if (delta === null) return { ok: false, reason: 'invalid' };
    const step = Math.floor(at / 1000 / TOTP.period) + delta;
    if (record.lastStep !== null && step <= record.lastStep) return { ok: false, reason: 'replayed' };
    return { ok: true, step };
  }

  /** Confirms enrolment with a correct code. Returns the first recovery codes when this is the account's first factor. */
  async confirmTotp(account: Pick<Account, 'id' | 'login'>, code: string, by: FactorChangeBy): Promise<{ ok: true; recoveryCodes?: string[] } | { ok: false; reason: 'invalid' | 'replayed' | 'not_enrolled' }> {
    const first = !(await this.hasSecondFactor(account.id));
    const check = await this.#check(account, code, true);
    if (!check.ok) return check;
    if (!(await this.deps.repo.confirmTotp(account.id, check.step, this.#now()))) return { ok: false, reason: 'not_enrolled' };
    await this.#changed(account.id, by, 'totp', 'added');
    return first ? { ok: true, recoveryCodes: await this.#issueRecoveryCodes(account.id) } : { ok: true };
  }

  /** A sign-in's code: accepted once (a code of the same or an earlier step is a replay). */
  async verifyTotp(account: Pick<Account, 'id' | 'login'>, code: string): Promise<TotpCheck> {
    const check = await this.#check(account, code, false);
    if (!check.ok) return check;
    return (await this.deps.repo.useTotpStep(account.id, check.step, this.#now())) ? check : { ok: false, reason: 'replayed' };
  }

  async removeTotp(accountId: string, by: FactorChangeBy): Promise<boolean> {
    const record = await this.deps.repo.findTotp(accountId);
    if (!(await this.deps.repo.deleteTotp(accountId))) return false;
    if (record?.confirmedAt) await this.#afterRemoval(accountId, by, 'totp');
    return true;
  }

  /** After a factor went: audited; with the last one gone, the recovery codes go too. */
  async #afterRemoval(accountId: string, by: FactorChangeBy, factor: SecondFactorKind, details: { name?: string } = {}): Promise<void> {
    if (!(await this.hasSecondFactor(accountId))) await this.deps.repo.replaceRecoveryCodes(accountId, [], this.#now());
    await this.#changed(accountId, by, factor, 'removed', details);
  }

  // ——— Recovery codes ———

  async #hash(code: string): Promise<string> {
    return createHmac('sha256', await this.deps.recoveryKey()).update(normaliseRecoveryCode(code)).digest('hex');
  }

  async #issueRecoveryCodes(accountId: string): Promise<string[]> {
    const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
    await this.deps.repo.replaceRecoveryCodes(accountId, await Promise.all(codes.map((c) => this.#hash(c))), this.#now());
    return codes;
  }

  /** A new set of recovery codes; the old set stops working. Only for an account with a second factor. */
  async renewRecoveryCodes(accountId: string, by: FactorChangeBy): Promise<string[] | undefined> {
    if (!(await this.hasSecondFactor(accountId))) return undefined;
    const codes = await this.#issueRecoveryCodes(accountId);
    await this.#changed(accountId, by, 'recovery', 'renewed');
    return codes;
  }

  /** A sign-in's recovery code: each works once. */
  async useRecoveryCode(accountId: string, code: string): Promise<boolean> {
    const normal = normaliseRecoveryCode(code);
    if (!/^[A-Z0-9]{10}$/.test(normal)) return false;
    return this.deps.repo.useRecoveryCode(accountId, await this.#hash(normal), this.#now());
  }

  // ——— Passkeys ———

  listPasskeys(accountId: string): Promise<Passkey[]> {
    return this.deps.repo.listPasskeys(accountId);
  }

  /** Options of `navigator.credentials.create()` for a new passkey of the account. */
  async registrationOptions(account: Pick<Account, 'id' | 'login'> & { displayName?: string | undefined }): Promise<PublicKeyCredentialCreationOptionsJSON> {
    const existing = await this.deps.repo.listPasskeys(account.id);
    const { generateRegistrationOptions } = await webauthn();
    return generateRegistrationOptions({
      rpName: this.deps.relyingParty.name,
      rpID: this.deps.relyingParty.id,
      userName: account.login,
      userDisplayName: account.displayName ?? account.login,
      userID: new TextEncoder().encode(account.id),
      attestationType: 'none',
      excludeCredentials: existing.map((p) => ({ id: p.credentialId, transports: p.transports })),
      authenticatorSelection: { residentKey: 'required', requireResidentKey: true, userVerification: 'preferred' },
    });
  }

  /** Verifies a registration for `expectedChallenge` and stores the passkey. */
  async addPasskey(
    account: Pick<Account, 'id'>,
    response: RegistrationResponseJSON,
    expectedChallenge: string,
    name: string,
    by: FactorChangeBy,
  ): Promise<{ ok: true; passkey: Passkey; recoveryCodes?: string[] } | { ok: false; reason: 'invalid' | 'exists' }> {
    const { verifyRegistrationResponse } = await webauthn();
    let verified;
    try {
      verified = await verifyRegistrationResponse({
        response,
        expectedChallenge,
        expectedOrigin: this.deps.relyingParty.origin,
        expectedRPID: this.deps.relyingParty.id,
        requireUserVerification: false,
      });
    } catch {
      return { ok: false, reason: 'invalid' };
    }
    if (!verified.verified) return { ok: false, reason: 'invalid' };
    const info = verified.registrationInfo;
    if (await this.deps.repo.findPasskeyByCredentialId(info.credential.id)) return { ok: false, reason: 'exists' };
    const first = !(await this.hasSecondFactor(account.id));
    const passkey: Passkey = {
      id: newId(),
      accountId: account.id,
      credentialId: info.credential.id,
      publicKey: Buffer.from(info.credential.publicKey).toString('base64url'),
      counter: info.credential.counter,
      transports: info.credential.transports ?? response.response.transports ?? [],
      deviceType: info.credentialDeviceType,
      backedUp: info.credentialBackedUp,
      name: name.trim().slice(0, PASSKEY_NAME_MAX) || 'Passkey',
      createdAt: this.#now(),
      lastUsedAt: null,
    };
    await this.deps.repo.addPasskey(passkey);
    await this.#changed(account.id, by, 'passkey', 'added', { name: passkey.name });
    return first ? { ok: true, passkey, recoveryCodes: await this.#issueRecoveryCodes(account.id) } : { ok: true, passkey };
  }

  /**
   * Options of `navigator.credentials.get()`: for one account (its passkeys, as a second factor),
   * or for anyone (no list: the browser offers its discoverable credentials; user verification required).
   */
  async authenticationOptions(accountId?: string): Promise<PublicKeyCredentialRequestOptionsJSON> {
    const allow = accountId ? (await this.deps.repo.listPasskeys(accountId)).map((p) => ({ id: p.credentialId, transports: p.transports as never })) : undefined;
    const { generateAuthenticationOptions } = await webauthn();
    return generateAuthenticationOptions({
      rpID: this.deps.relyingParty.id,
      allowCredentials: allow,
      userVerification: accountId ? 'preferred' : 'required',
    });
  }

  /**
   * Verifies an assertion for `expectedChallenge`; for a second factor the passkey must be the
   * account's, and without one (passwordless) the person must have been verified on the authenticator.
   */
  async verifyPasskey(response: AuthenticationResponseJSON, expectedChallenge: string, options: { accountId?: string }): Promise<PasskeyProof | undefined> {
    if (typeof response?.id !== 'string') return undefined;
    const passkey = await this.deps.repo.findPasskeyByCredentialId(response.id);
    if (!passkey || (options.accountId !== undefined && passkey.accountId !== options.accountId)) return undefined;
    const passwordless = options.accountId === undefined;
    const { verifyAuthenticationResponse } = await webauthn();
    let verified;
    try {
      verified = await verifyAuthenticationResponse({
        response,
        expectedChallenge,
        expectedOrigin: this.deps.relyingParty.origin,
        expectedRPID: this.deps.relyingParty.id,
        credential: { id: passkey.credentialId, publicKey: Buffer.from(passkey.publicKey, 'base64url'), counter: passkey.counter, transports: passkey.transports },
        requireUserVerification: passwordless,
      });
    } catch {
      return undefined;
    }
    if (!verified.verified) return undefined;
    // The user handle of a discoverable credential is the account id it was created for.
    if (passwordless && response.response.userHandle && Buffer.from(response.response.userHandle, 'base64url').toString('utf8') !== passkey.accountId) return undefined;
    const info = verified.authenticationInfo;
    await this.deps.repo.usePasskey(passkey.id, info.newCounter, this.#now());
    const current = { ...passkey, deviceType: info.credentialDeviceType, backedUp: info.credentialBackedUp };
    return { accountId: passkey.accountId, passkey: current, kind: passkeyKind(current), userVerified: info.userVerified };
  }

  /** A new name for one of the account's passkeys: audited; no session ends (nothing about the factor changes). */
  async renamePasskey(accountId: string, id: string, name: string, by: FactorChangeBy): Promise<boolean> {
    const trimmed = name.trim().slice(0, PASSKEY_NAME_MAX);
    if (!trimmed || !(await this.deps.repo.renamePasskey(accountId, id, trimmed))) return false;
    await this.deps.audit.record({ type: 'mfa.renamed', actor: by.actor, accountId, details: { factor: 'passkey', name: trimmed } });
    return true;
  }

  async removePasskey(accountId: string, id: string, by: FactorChangeBy): Promise<boolean> {
    const passkey = (await this.deps.repo.listPasskeys(accountId)).find((p) => p.id === id);
    if (!passkey || !(await this.deps.repo.deletePasskey(accountId, id))) return false;
    await this.#afterRemoval(accountId, by, 'passkey', { name: passkey.name });
    return true;
  }

  /** Whether removing this factor would leave the account without one. */
  async isLastFactor(accountId: string, factor: 'totp' | 'passkey'): Promise<boolean> {
    const s = await this.deps.repo.summary(accountId);
    const others = factor === 'totp' ? s.passkeys : (s.totp ? 1 : 0) + s.passkeys - 1;
    return others <= 0;
  }

  /** An operator removes every factor (the person enrols again at the next sign-in that needs one). */
  async reset(accountId: string, actor: AuditActor): Promise<number> {
    const removed = await this.deps.repo.deleteAll(accountId);
    await this.#changed(accountId, { actor, operator: true }, 'all', 'reset');
    return removed;
  }
}
