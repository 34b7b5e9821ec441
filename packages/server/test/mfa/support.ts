/** What the second-factor tests share: TOTP codes computed from a page's secret, and reading the pages. */
import * as OTPAuth from 'otpauth';
import type { Page } from '../codeflow/support/forms-agent.ts';

/** The base32 secret of the enrolment page (`data-totp-secret`). */
export function totpSecretOf(page: Page | string): string {
  const html = typeof page === 'string' ? page : page.html;
  const secret = /data-totp-secret="([A-Z2-7]+)"/.exec(html)?.[1];
  if (!secret) throw new Error(`no data-totp-secret in page:\n${html.slice(0, 1500)}`);
  return secret;
}

/** The RFC 6238 code of `secret` for the time step `offset` steps away from now. */
export function totpCode(secret: string, offset = 0): string {
  const totp = new OTPAuth.TOTP({ algorithm: 'SHA1', digits: 6, period: 30, secret: OTPAuth.Secret.fromBase32(secret) });
  return totp.generate({ timestamp: Date.now() + offset * 30_000 });
}

/** The recovery codes of the page that shows them (`data-recovery-code`). */
export function recoveryCodesOf(page: Page): string[] {
  return [...page.html.matchAll(/<code data-recovery-code>([A-Z0-9-]+)<\/code>/g)].map((m) => m[1]!);
}

/** Milliseconds until the next TOTP step begins. */
export const untilNextStep = (): number => 30_000 - (Date.now() % 30_000) + 50;

/** Waits for the next step when fewer than `seconds` are left in this one, so offsets stay what the test means. */
export async function freshStep(seconds = 8): Promise<void> {
  if (untilNextStep() < seconds * 1000) await new Promise((r) => setTimeout(r, untilNextStep()));
}
