/** Human descriptions of OAuth scopes and OIDC claims: built-in dictionary text first, then the caller's description, then the raw name. */
import type { Locale } from './i18n/locale.ts';
import { isMessageKey, t } from './i18n/t.ts';

/** A scope as passed to consent-like pages. */
export interface ScopeInfo {
  name: string;
  /** Description from configuration, used when the scope has no built-in text. */
  description?: string | undefined;
}

/** Localised description of a scope (`openid`, `profile`, `email`, `phone`, `offline_access`, `extern.api`, `extern.test-tools` are built in). */
export function describeScope(locale: Locale, scope: ScopeInfo): string {
  const key = `scope.${scope.name}`;
  if (isMessageKey(key)) return t(locale, key);
  const description = scope.description?.trim();
  return description ? description : scope.name;
}

/** Localised description of a claim, or the claim name itself. */
export function describeClaim(locale: Locale, claim: string): string {
  const key = `claim.${claim}`;
  return isMessageKey(key) ? t(locale, key) : claim;
}
