/**
 * The second factor as the authorization endpoint sees it: which requests need one, the login
 * prompt's check that asks for it, and `acr`/`amr` on the tokens issued from such a sign-in.
 *
 * A request needs the second factor (acr `urn:propusk:acr:mfa`) when
 *  - it asks for it: `acr_values` lists `urn:propusk:acr:mfa` and not `urn:propusk:acr:pwd`
 *    (OpenID Connect Core §3.1.2.1 makes `acr_values` voluntary; we honour a request for the
 *    stronger level only, as a step-up), or the `claims` parameter asks for `acr` as essential with
 *    only that value (oidc-provider's own checks then hold too);
 *  - its client is registered with `require_mfa`;
 *  - it is the console's and operators must use a second factor (PROPUSK_ADMIN_REQUIRE_MFA).
 * A session whose sign-in had only the password is then sent to the sign-in pages again, which ask
 * for the second factor only (or enrol one), not the password.
 */
import type { KoaContextWithOIDC } from 'oidc-provider';
import type { ClientDirectory } from '../clients/directory.ts';
import { ACR_MFA, ACR_PWD } from '../mfa/types.ts';
import { CONSOLE_CLIENT_ID } from '../operators/types.ts';

/** The login prompt's check reason when a second factor is needed and the session has none. */
export const MFA_REASON = 'mfa_required';

export interface SecondFactorRequirement {
  clients: Pick<ClientDirectory, 'find'>;
  /** Operators (the console) must use a second factor. */
  operatorsRequireMfa: boolean;
}

interface RequestLike {
  params?: Record<string, unknown> | undefined;
  claims?: { id_token?: { acr?: { essential?: boolean; value?: unknown; values?: unknown } | null } } | undefined;
}

/** True when the authorization request itself asks for the second factor. */
export function requestAsksForMfa(oidc: RequestLike): boolean {
  const acrValues = typeof oidc.params?.acr_values === 'string' ? oidc.params.acr_values.split(' ').filter(Boolean) : [];
  if (acrValues.includes(ACR_MFA) && !acrValues.includes(ACR_PWD)) return true;
  const acr = oidc.claims?.id_token?.acr;
  if (acr?.essential) {
    if (acr.value === ACR_MFA) return true;
    if (Array.isArray(acr.values) && acr.values.includes(ACR_MFA) && !acr.values.includes(ACR_PWD)) return true;
  }
  return false;
}

/** True when a sign-in for this request must take a second factor. */
export async function requestNeedsMfa(req: SecondFactorRequirement, oidc: RequestLike & { client?: { clientId: string } | undefined }): Promise<boolean> {
  if (requestAsksForMfa(oidc)) return true;
  const clientId = oidc.client?.clientId ?? (typeof oidc.params?.client_id === 'string' ? oidc.params.client_id : undefined);
  if (!clientId) return false;
  if (clientId === CONSOLE_CLIENT_ID && req.operatorsRequireMfa) return true;
  return (await req.clients.find(clientId))?.requireMfa === true;
}

/** The login prompt's check: prompt when the request needs a second factor the session's sign-in did not have. */
export function mfaCheck(req: SecondFactorRequirement) {
  return async (ctx: KoaContextWithOIDC): Promise<boolean> => {
    const { oidc } = ctx;
    if (!oidc.session?.accountId) return false;
    const acr = (oidc.result?.login as { acr?: string } | undefined)?.acr ?? oidc.session.acr;
    if (acr === ACR_MFA) return false;
    return requestNeedsMfa(req, oidc as unknown as RequestLike & { client?: { clientId: string } });
  };
}

/**
 * `extraTokenClaims`: access tokens of a person's sign-in carry its `acr`, `amr` and `auth_time`
 * (in the JWT, or in the introspection answer of an opaque token), so an API can demand the second
 * factor (RFC 9470). They come from what the token was issued for: the authorization code, the
 * device code, or the refresh token it was refreshed with.
 */
export function authenticationContextClaims(ctx: KoaContextWithOIDC | undefined, token: { accountId?: string | undefined }): Record<string, unknown> | undefined {
  if (!ctx?.oidc || !token.accountId) return undefined;
  const entities = ctx.oidc.entities as Record<string, { acr?: string; amr?: string[]; authTime?: number } | undefined>;
  const source = entities.AuthorizationCode ?? entities.DeviceCode ?? entities.RefreshToken ?? entities.BackchannelAuthenticationRequest;
  if (!source) return undefined;
  const claims: Record<string, unknown> = {};
  if (typeof source.acr === 'string') claims.acr = source.acr;
  if (Array.isArray(source.amr)) claims.amr = source.amr;
  if (typeof source.authTime === 'number') claims.auth_time = source.authTime;
  return Object.keys(claims).length > 0 ? claims : undefined;
}
