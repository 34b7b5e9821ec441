/** An account's second factors as operators see them (the admin CLI's JSON, the management API): what it has, never the factors themselves. */
import type { FactorSummary } from './types.ts';

/** `summary` undefined (an account missing from a summaries() map) has none. */
export const publicFactors = (summary: FactorSummary | undefined) => ({
  totp: summary?.totp ?? false,
  passkeys: summary?.passkeys ?? 0,
  recovery_codes: summary?.recoveryCodes ?? 0,
});

/** The factor summary of what publicFactors answered (for factorNames). */
export const factorSummaryOf = (f: ReturnType<typeof publicFactors>): FactorSummary => ({ totp: f.totp, passkeys: f.passkeys, recoveryCodes: f.recovery_codes });
