/**
 * Remembered consent (accounts/consents.ts) in oidc-provider: its `loadExistingGrant` finds the
 * Grant of this browser session for the client, as oidc-provider's default does, and adds the
 * account's remembered consent for the client to it; when the session has none (a new browser, or
 * after signing out), the remembered consent becomes a new Grant of this session. The consent
 * prompt then only asks for what the account never allowed the client.
 *
 * Only on the authorization endpoint: the device flow keeps asking (its user confirms a code typed
 * on another device, and the consent page is where they see which application gets what).
 * `prompt=consent` and public native clients still ask (provider/interactions.ts): their checks do
 * not look at the Grant.
 */
import type { Grant, KoaContextWithOIDC } from 'oidc-provider';
import type { ConsentScopes, RememberedConsent } from '../accounts/consents.ts';
import { grantedResources } from './seam/grant.ts';

export interface RememberedConsents {
  find(accountId: string, clientId: string): Promise<RememberedConsent | undefined>;
}

/** Routes of the authorization endpoint that load a Grant (A and R of oidc-provider's authorization stack). */
const AUTHORIZATION_ROUTES = new Set(['authorization', 'resume']);

const words = (s: string): string[] => s.split(' ').filter(Boolean);

/** Adds to the grant what the remembered consent has and it lacks; true when it changed. */
function addRemembered(grant: Grant, remembered: RememberedConsent): boolean {
  const scope = new Set(words(grant.getOIDCScope()));
  const missingScope = remembered.oidcScope.filter((s) => !scope.has(s));
  if (missingScope.length) grant.addOIDCScope(missingScope.join(' '));
  const claims = new Set(grant.getOIDCClaims());
  const missingClaims = remembered.oidcClaims.filter((c) => !claims.has(c));
  if (missingClaims.length) grant.addOIDCClaims(missingClaims);
  let missingResourceScopes = 0;
  for (const [indicator, scopes] of Object.entries(remembered.resourceScopes)) {
    const has = new Set(words(grant.getResourceScope(indicator)));
    const missing = scopes.filter((s) => !has.has(s));
    if (missing.length) grant.addResourceScope(indicator, missing.join(' '));
    missingResourceScopes += missing.length;
  }
  return missingScope.length + missingClaims.length + missingResourceScopes > 0;
}

/** What a grant holds, as a consent to remember. */
export function consentOf(grant: Grant): ConsentScopes {
  const resources = grantedResources(grant);
  return {
    oidcScope: words(grant.getOIDCScope()),
    oidcClaims: [...grant.getOIDCClaims()],
    resourceScopes: Object.fromEntries(resources.map((indicator) => [indicator, words(grant.getResourceScope(indicator))]).filter(([, scopes]) => scopes!.length > 0)),
  };
}

/**
 * oidc-provider's `loadExistingGrant`: the Grant of this session for the client (the one the
 * consent step just saved, else the session's), completed with the account's remembered consent on
 * the authorization endpoint; a new Grant of the remembered consent when the session has none.
 */
export function loadExistingGrant(consents: RememberedConsents) {
  return async (ctx: KoaContextWithOIDC): Promise<Grant | undefined> => {
    const { oidc } = ctx;
    const client = oidc.client!;
    const grantId = oidc.result?.consent?.grantId || oidc.session!.grantIdFor(client.clientId);
    const existing = grantId ? await oidc.provider.Grant.find(grantId) : undefined;
    if (!AUTHORIZATION_ROUTES.has(oidc.route)) return existing;
    const accountId = oidc.account!.accountId;
    const remembered = await consents.find(accountId, client.clientId);
    if (!remembered) return existing;
    if (existing && existing.accountId !== accountId) return existing; // oidc-provider refuses it (accountId mismatch)
    const grant = existing ?? new oidc.provider.Grant({ accountId, clientId: client.clientId });
    if (addRemembered(grant, remembered) || !existing) await grant.save();
    return grant;
  };
}

/**
 * Propusk's own first-party clients (the console) never show a consent page: their consent is
 * everything they are registered for, as if remembered. Every other client's comes from storage.
 */
export function withFirstPartyConsents(consents: RememberedConsents, firstParty: Readonly<Record<string, ConsentScopes>>): RememberedConsents {
  return {
    find: async (accountId, clientId) => {
      const fixed = Object.hasOwn(firstParty, clientId) ? firstParty[clientId] : undefined;
      if (!fixed) return consents.find(accountId, clientId);
      const epoch = new Date(0);
      return { ...fixed, accountId, clientId, grantedAt: epoch, updatedAt: epoch };
    },
  };
}
