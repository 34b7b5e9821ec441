/**
 * Revocation everywhere: what an account (or a client) holds at the provider — sessions, grants,
 * codes, device codes, refresh and access tokens — removed at once. oidc-provider looks every
 * artefact up in storage per request, so a deleted row is a token that stops working immediately
 * (introspection `active: false`, refresh `invalid_grant`). oidc-provider has no such API: the
 * storage layer implements `OidcArtifactRepository` on its generic artefact table.
 */
import type { AuditLog } from '../audit/types.ts';
import { notFound } from '../shared/errors.ts';

/** One authorization an account gave an application (an oidc-provider Grant). */
export interface AccountGrant {
  grantId: string;
  clientId: string;
  /** Every scope of the grant: OpenID scopes and API resource scopes, without duplicates. */
  scopes: string[];
  /** When the grant was first made (its `iat`). */
  grantedAt: Date | null;
  /**
   * When the application last received a token under this grant: the newest `iat` among the
   * grant's stored codes, access and refresh tokens. `null` once those have all been swept.
   */
  lastUsedAt: Date | null;
  expiresAt: Date | null;
}

export interface RevokeByAccountOptions {
  /** The id of a session (oidc-provider `Session`) that survives: the one changing its own password. */
  exceptSessionId?: string | undefined;
}

/** Operations on stored oidc-provider artefacts that its adapter contract has no method for. */
export interface OidcArtifactRepository {
  /** Deletes every session, grant, code and token of the account (but the excepted session); returns how many rows went. */
  revokeByAccountId(accountId: string, options?: RevokeByAccountOptions): Promise<number>;
  /** Deletes a grant and every artefact issued under it; returns how many rows went. */
  revokeByGrantId(grantId: string): Promise<number>;
  /** Deletes every grant, code and token issued to the client (client_credentials tokens too). */
  revokeByClientId(clientId: string): Promise<number>;
  /** The live grants of the account, newest first. */
  listGrantsOfAccount(accountId: string): Promise<AccountGrant[]>;
}

/** Who asked: the account holder on the account pages, or an operator through the admin CLI. */
export type RevocationActor = 'self-service' | 'admin-cli';

/** Why everything of an account is being revoked (recorded in the audit event). */
export type AccountRevocationReason = 'operator' | 'password_changed' | 'password_set' | 'sign_out_everywhere' | 'account_disabled';

export class RevocationService {
  constructor(private readonly artifacts: OidcArtifactRepository, private readonly audit: AuditLog) {}

  /** The applications holding access for the account (one entry per grant). */
  grantsOf(accountId: string): Promise<AccountGrant[]> {
    return this.artifacts.listGrantsOfAccount(accountId);
  }

  /**
   * Revokes one grant of the account: the grant and its codes, refresh and access tokens. A grant
   * of another account is not found (ERR_NOT_FOUND), exactly like a grant that does not exist.
   */
  async revokeGrantOfAccount(accountId: string, grantId: string, actor: RevocationActor): Promise<AccountGrant> {
    const grant = (await this.artifacts.listGrantsOfAccount(accountId)).find((g) => g.grantId === grantId);
    if (!grant) throw notFound(`grant ${grantId}`);
    const rows = await this.artifacts.revokeByGrantId(grantId);
    await this.audit.record({ type: 'grant.revoked', actor, accountId, clientId: grant.clientId, details: { grant_id: grantId, artefacts: rows } });
    return grant;
  }

  /** Revokes everything of the account, but `exceptSessionId` when given; returns how many artefacts went. */
  async revokeAccount(accountId: string, options: { actor: RevocationActor; reason: AccountRevocationReason; exceptSessionId?: string | undefined }): Promise<number> {
    const rows = await this.artifacts.revokeByAccountId(accountId, { exceptSessionId: options.exceptSessionId });
    await this.audit.record({
      type: 'account.tokens_revoked',
      actor: options.actor,
      accountId,
      details: { reason: options.reason, artefacts: rows, kept_current_session: options.exceptSessionId !== undefined },
    });
    return rows;
  }

  /** Revokes every grant and token issued to the client; returns how many artefacts went. */
  async revokeClient(clientId: string, options: { actor: RevocationActor; reason: 'operator' | 'client_disabled' }): Promise<number> {
    const rows = await this.artifacts.revokeByClientId(clientId);
    await this.audit.record({ type: 'client.tokens_revoked', actor: options.actor, clientId, details: { reason: options.reason, artefacts: rows } });
    return rows;
  }
}
