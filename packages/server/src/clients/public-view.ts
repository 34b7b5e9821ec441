/** A client as operators see it (the admin CLI's JSON, the management API): its registration, never its api-keys. */
import type { Client } from './types.ts';

export function publicClient(c: Client) {
  return {
    client_id: c.clientId,
    name: c.name,
    grant_types: c.grantTypes,
    redirect_uris: c.redirectUris,
    post_logout_redirect_uris: c.postLogoutRedirectUris,
    scopes: c.scopes,
    public: c.public,
    application_type: c.applicationType,
    require_dpop: c.requireDpop === true,
    require_mfa: c.requireMfa === true,
    permissions: c.permissions,
    disabled: c.disabled,
    created_at: c.createdAt.toISOString(),
  };
}
