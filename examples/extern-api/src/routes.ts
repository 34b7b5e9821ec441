/**
 * The demo API's resources: what each route answers for a verified principal.
 * Pure functions of the principal; authentication happens before (app.ts).
 *
 * @module
 */
import type { Principal } from '@propusk/resource-server';
import { demoAccounts, type DemoAccount } from './accounts.ts';

/** The scope every `/v1` route requires. */
export const API_SCOPE = 'extern.api';

/** `GET /v1/me`: who the token belongs to. */
export interface MeResponse {
  /** The end user, or `null` for a token an application obtained for itself (client_credentials). */
  readonly sub: string | null;
  /** The application the token was issued to. */
  readonly client_id: string;
  /** Scopes granted to the token. */
  readonly scopes: readonly string[];
  /** When the token expires (ISO 8601). */
  readonly expires_at: string;
}

/** `GET /v1/accounts`: the organisations of the token's owner. */
export interface AccountsResponse {
  /** Whose accounts these are: the `sub`, or `client:<client_id>` for an application's own token. */
  readonly owner: string;
  readonly accounts: readonly DemoAccount[];
}

export function me(principal: Principal): MeResponse {
  return {
    sub: principal.sub ?? null,
    client_id: principal.clientId,
    scopes: principal.scopes,
    expires_at: principal.expiresAt.toISOString(),
  };
}

export function accounts(principal: Principal): AccountsResponse {
  const owner = ownerOf(principal);
  return { owner, accounts: demoAccounts(owner) };
}

/** The user, or the application itself when the token has no user. */
function ownerOf(principal: Principal): string {
  return principal.sub ?? `client:${principal.clientId}`;
}
