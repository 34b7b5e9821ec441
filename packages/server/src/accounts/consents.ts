/**
 * Remembered consents: what an account allowed an application (OpenID scopes and claims, API
 * scopes), kept per account and client until the account holder revokes the application or the
 * client is disabled or removed. oidc-provider keeps consent in a Grant that belongs to one browser
 * session (sign-out ends it); a remembered consent lets a later session of the same account get a
 * new Grant with the same content without asking again (provider/consents.ts). Asking again is
 * still the rule for the device flow, for public native clients and for `prompt=consent`.
 */

/** What was allowed, in a Grant's own terms. */
export interface ConsentScopes {
  /** OpenID scopes, e.g. `openid profile email`. */
  oidcScope: string[];
  /** Claims allowed through the `claims` request parameter. */
  oidcClaims: string[];
  /** API scopes per resource indicator. */
  resourceScopes: Record<string, string[]>;
}

export interface RememberedConsent extends ConsentScopes {
  accountId: string;
  clientId: string;
  grantedAt: Date;
  updatedAt: Date;
}

export interface ConsentRepository {
  find(accountId: string, clientId: string): Promise<RememberedConsent | undefined>;
  /** Inserts or replaces the account's consent for the client. */
  save(consent: RememberedConsent): Promise<void>;
  /** Forgets the account's consent for the client; true when there was one. */
  forget(accountId: string, clientId: string): Promise<boolean>;
  /** Forgets every account's consent for the client; returns how many went. */
  forgetClient(clientId: string): Promise<number>;
  /** The account's consents, newest first. */
  listOfAccount(accountId: string): Promise<RememberedConsent[]>;
}

const union = (a: readonly string[], b: readonly string[]): string[] => [...new Set([...a, ...b])];

/** Everything in `a` or `b`. */
export function mergeConsentScopes(a: ConsentScopes, b: ConsentScopes): ConsentScopes {
  const resourceScopes: Record<string, string[]> = { ...a.resourceScopes };
  for (const [indicator, scopes] of Object.entries(b.resourceScopes)) resourceScopes[indicator] = union(resourceScopes[indicator] ?? [], scopes);
  return { oidcScope: union(a.oidcScope, b.oidcScope), oidcClaims: union(a.oidcClaims, b.oidcClaims), resourceScopes };
}

/** Every scope name of a consent (OpenID and API), without duplicates. */
export function scopeNames(c: ConsentScopes): string[] {
  return union(c.oidcScope, Object.values(c.resourceScopes).flat());
}

export class ConsentService {
  constructor(private readonly repo: ConsentRepository, private readonly now: () => Date = () => new Date()) {}

  find(accountId: string, clientId: string): Promise<RememberedConsent | undefined> {
    return this.repo.find(accountId, clientId);
  }

  /** Adds what the account just allowed the client to what it had allowed before. */
  async remember(accountId: string, clientId: string, allowed: ConsentScopes): Promise<RememberedConsent> {
    const before = await this.repo.find(accountId, clientId);
    const now = this.now();
    const scopes = before ? mergeConsentScopes(before, allowed) : mergeConsentScopes({ oidcScope: [], oidcClaims: [], resourceScopes: {} }, allowed);
    const consent: RememberedConsent = { accountId, clientId, ...scopes, grantedAt: before?.grantedAt ?? now, updatedAt: now };
    await this.repo.save(consent);
    return consent;
  }

  listOfAccount(accountId: string): Promise<RememberedConsent[]> {
    return this.repo.listOfAccount(accountId);
  }
}
