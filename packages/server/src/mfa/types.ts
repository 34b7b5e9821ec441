/**
 * Second factors of an account: an authenticator app (TOTP, RFC 6238), passkeys (WebAuthn) and
 * recovery codes; and what a sign-in tells the applications about how it was made: `amr`
 * (RFC 8176 method references) and `acr` (our two levels, advertised in discovery).
 */

/** A sign-in with the password only. */
export const ACR_PWD = 'urn:propusk:acr:pwd';
/** A sign-in with two factors (password and a second factor, or a passkey with user verification). */
export const ACR_MFA = 'urn:propusk:acr:mfa';
/** Every acr value we issue, weakest first (discovery's `acr_values_supported`). */
export const ACR_VALUES = [ACR_PWD, ACR_MFA] as const;

/**
 * How a passkey holds its key, as its registration told: `hwk` for a credential bound to one
 * authenticator (the private key never leaves its hardware), `swk` for a synced passkey (backed up
 * to the platform's keychain, so the key exists in software beyond one device).
 */
export type PasskeyKind = 'hwk' | 'swk';

/** What proved the person's identity at a sign-in. */
export type SignInMethod =
  | { kind: 'password' }
  | { kind: 'password+totp' }
  | { kind: 'password+passkey'; passkey: PasskeyKind }
  | { kind: 'password+recovery' }
  | { kind: 'passkey'; passkey: PasskeyKind };

export type SecondFactorKind = 'totp' | 'passkey' | 'recovery';

/** RFC 8176 `amr` of a sign-in. */
export function amrOf(method: SignInMethod): string[] {
  switch (method.kind) {
    case 'password':
      return ['pwd'];
    case 'password+totp':
      return ['pwd', 'otp', 'mfa'];
    case 'password+passkey':
      return ['pwd', method.passkey, 'mfa'];
    case 'password+recovery':
      return ['pwd', 'mfa'];
    case 'passkey':
      // Possession of the authenticator and the person's verification on it (PIN or biometric).
      return [method.passkey, 'user', 'mfa'];
  }
}

/** `acr` of a sign-in. */
export const acrOf = (method: SignInMethod): string => (method.kind === 'password' ? ACR_PWD : ACR_MFA);

/** True when `amr` records two factors. */
export const isMultiFactor = (amr: readonly string[] | undefined): boolean => amr?.includes('mfa') === true;

/** The second factors an account has. */
export interface FactorSummary {
  /** An authenticator app is enrolled (confirmed with a code). */
  totp: boolean;
  passkeys: number;
  /** Unused recovery codes. */
  recoveryCodes: number;
}

export const hasSecondFactor = (s: FactorSummary): boolean => s.totp || s.passkeys > 0;

/** The factor names of a summary, for lists (`totp`, `passkey`×n, `recovery-codes`). */
export function factorNames(s: FactorSummary): string[] {
  const names: string[] = [];
  if (s.totp) names.push('totp');
  if (s.passkeys > 0) names.push(s.passkeys === 1 ? 'passkey' : `passkey×${s.passkeys}`);
  if (s.recoveryCodes > 0) names.push('recovery-codes');
  return names;
}

export interface TotpRecord {
  accountId: string;
  /** The secret (base32), sealed with the master key. */
  sealedSecret: string;
  createdAt: Date;
  /** Undefined until enrolment was confirmed with a correct code. */
  confirmedAt: Date | null;
  lastStep: number | null;
  lastUsedAt: Date | null;
}

export interface Passkey {
  id: string;
  accountId: string;
  /** base64url credential id. */
  credentialId: string;
  /** base64url COSE public key. */
  publicKey: string;
  counter: number;
  transports: string[];
  deviceType: 'singleDevice' | 'multiDevice';
  backedUp: boolean;
  name: string;
  createdAt: Date;
  lastUsedAt: Date | null;
}

export interface SecondFactorRepository {
  summary(accountId: string): Promise<FactorSummary>;
  /** Summaries of many accounts (account lists). */
  summaries(accountIds: readonly string[]): Promise<Map<string, FactorSummary>>;

  findTotp(accountId: string): Promise<TotpRecord | undefined>;
  /** Stores a new unconfirmed secret unless the account already has one; returns what is stored. */
  putPendingTotp(accountId: string, sealedSecret: string, at: Date): Promise<TotpRecord>;
  /** Marks enrolment confirmed with the step of the code that confirmed it; false when there is no pending secret. */
  confirmTotp(accountId: string, step: number, at: Date): Promise<boolean>;
  /** Records `step` as used when it is later than the last one (atomic); false for a replay. */
  useTotpStep(accountId: string, step: number, at: Date): Promise<boolean>;
  deleteTotp(accountId: string): Promise<boolean>;

  listPasskeys(accountId: string): Promise<Passkey[]>;
  findPasskeyByCredentialId(credentialId: string): Promise<Passkey | undefined>;
  addPasskey(passkey: Passkey): Promise<void>;
  /** Stores the signature counter and the time of a use. */
  usePasskey(id: string, counter: number, at: Date): Promise<void>;
  renamePasskey(accountId: string, id: string, name: string): Promise<boolean>;
  deletePasskey(accountId: string, id: string): Promise<boolean>;

  /** Replaces every recovery code of the account with these hashes. */
  replaceRecoveryCodes(accountId: string, hashes: readonly string[], at: Date): Promise<void>;
  /** Marks the unused code with this hash used (atomic); false when there is none. */
  useRecoveryCode(accountId: string, hash: string, at: Date): Promise<boolean>;

  /** Removes every factor and recovery code of the account; returns how many went. */
  deleteAll(accountId: string): Promise<number>;
}
