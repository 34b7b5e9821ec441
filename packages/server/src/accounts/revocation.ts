/**
 * Revocation everywhere: what an account (or a client) holds at the provider — sessions, grants,
 * codes, device codes, refresh and access tokens — removed at once. oidc-provider looks every
 * artefact up in storage per request, so a deleted row is a token that stops working immediately
 * (introspection `active: false`, refresh `invalid_grant`). oidc-provider has no such API: the
 * storage layer implements `OidcArtifactRepository` on its generic artefact table.
 *
 * Remembered consents (accounts/consents.ts) go when the account holder revokes the application
 * or the client is revoked; signing out (everywhere) and password changes end sessions and tokens,
 * not consents.
 */
import type { AuditActor, AuditDetails, AuditLog } from '../audit/types.ts';
import { notFound } from '../shared/errors.ts';
import { scopeNames, type ConsentRepository } from './consents.ts';

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

/**
 * One application with access to an account, as the account page lists it: the live grants of the
 * client (one per browser session that signed in to it) and the remembered consent, together.
 */
export interface AccountApplication {
  clientId: string;
  /** Every scope allowed: in the remembered consent or in a live grant. */
  scopes: string[];
  /** When the account first allowed the application (the oldest of its consent and grants). */
  grantedAt: Date | null;
  /** When the application last received a token (see AccountGrant). */
  lastUsedAt: Date | null;
  /** The live grants of the client. */
  grantIds: string[];
  /** True while the consent is remembered: a new sign-in to the application is not asked again. */
  remembered: boolean;
}

const newest = (dates: Array<Date | null>): Date | null => dates.reduce<Date | null>((a, d) => (d && (!a || d > a) ? d : a), null);
const oldest = (dates: Array<Date | null>): Date | null => dates.reduce<Date | null>((a, d) => (d && (!a || d < a) ? d : a), null);

export interface RevokeByAccountOptions {
  /** The id of a session (oidc-provider `Session`) that survives: the one changing its own password. */
  exceptSessionId?: string | undefined;
  /** The id of a sign-in interaction that survives: the one enrolling a second factor on its way. */
  exceptInteractionId?: string | undefined;
}

/** Operations on stored oidc-provider artefacts that its adapter contract has no method for. */
export interface OidcArtifactRepository {
  /**
   * Deletes every session (the one browser session of the sign-in, consent, device, account and
   * portal pages), grant, code and token of the account, but the excepted session; returns how
   * many rows went.
   */
  revokeByAccountId(accountId: string, options?: RevokeByAccountOptions): Promise<number>;
  /** Deletes a grant and every artefact issued under it; returns how many rows went. */
  revokeByGrantId(grantId: string): Promise<number>;
  /** Deletes every grant, code and token issued to the client (client_credentials tokens too). */
  revokeByClientId(clientId: string): Promise<number>;
  /** The live grants of the account, newest first. */
  listGrantsOfAccount(accountId: string): Promise<AccountGrant[]>;
}

/** Why everything of an account is being revoked (recorded in the audit event). */
export type AccountRevocationReason = AuditDetails<'account.tokens_revoked'>['reason'];

/** Why everything of a client is being revoked (recorded in the audit event). */
export type ClientRevocationReason = AuditDetails<'client.tokens_revoked'>['reason'];

export class RevocationService {
  constructor(private readonly artifacts: OidcArtifactRepository, private readonly consents: ConsentRepository, private readonly audit: AuditLog) {}

  /** The applications with access to the account (one entry per client), most recently allowed or used first. */
  async applicationsOf(accountId: string): Promise<AccountApplication[]> {
    const [grants, consents] = await Promise.all([this.artifacts.listGrantsOfAccount(accountId), this.consents.listOfAccount(accountId)]);
    const apps = new Map<string, AccountApplication>();
    const entry = (clientId: string): AccountApplication => {
      let app = apps.get(clientId);
      if (!app) apps.set(clientId, (app = { clientId, scopes: [], grantedAt: null, lastUsedAt: null, grantIds: [], remembered: false }));
      return app;
    };
    for (const c of consents) {
      const app = entry(c.clientId);
      app.remembered = true;
      app.scopes = [...new Set([...app.scopes, ...scopeNames(c)])];
      app.grantedAt = oldest([app.grantedAt, c.grantedAt]);
    }
    for (const g of grants) {
      const app = entry(g.clientId);
      app.grantIds.push(g.grantId);
      app.scopes = [...new Set([...app.scopes, ...g.scopes])];
      app.grantedAt = oldest([app.grantedAt, g.grantedAt]);
      app.lastUsedAt = newest([app.lastUsedAt, g.lastUsedAt]);
    }
    const recent = (a: AccountApplication) => newest([a.grantedAt, a.lastUsedAt])?.getTime() ?? 0;
    return [...apps.values()].sort((a, b) => recent(b) - recent(a));
  }

  /**
   * Revokes an application's access to the account: every grant of the client with its codes,
   * refresh and access tokens, and the remembered consent (the next sign-in asks again). An
   * application without access to this account is not found (ERR_NOT_FOUND), exactly like a client
   * that does not exist.
   */
  async revokeApplicationOfAccount(accountId: string, clientId: string, actor: AuditActor): Promise<AccountApplication> {
    const app = (await this.applicationsOf(accountId)).find((a) => a.clientId === clientId);
    if (!app) throw notFound(`application ${clientId}`);
    for (const grantId of app.grantIds) {
      const rows = await this.artifacts.revokeByGrantId(grantId);
      await this.audit.record({ type: 'grant.revoked', actor, accountId, clientId, details: { grant_id: grantId, artefacts: rows } });
    }
    if (await this.consents.forget(accountId, clientId)) {
      await this.audit.record({ type: 'consent.revoked', actor, accountId, clientId, details: { scope: app.scopes.join(' ') } });
    }
    return app;
  }

  /** Revokes everything of the account, but `exceptSessionId` when given; returns how many artefacts went. */
  async revokeAccount(accountId: string, options: { actor: AuditActor; reason: AccountRevocationReason; exceptSessionId?: string | undefined; exceptInteractionId?: string | undefined }): Promise<number> {
    const rows = await this.artifacts.revokeByAccountId(accountId, { exceptSessionId: options.exceptSessionId, exceptInteractionId: options.exceptInteractionId });
    await this.audit.record({
      type: 'account.tokens_revoked',
      actor: options.actor,
      accountId,
      details: { reason: options.reason, artefacts: rows, kept_current_session: options.exceptSessionId !== undefined },
    });
    return rows;
  }

  /**
   * Revokes every grant and token issued to the client and forgets every consent given to it (a
   * client enabled again asks its users again); returns how many artefacts went.
   */
  async revokeClient(clientId: string, options: { actor: AuditActor; reason: ClientRevocationReason }): Promise<number> {
    const rows = await this.artifacts.revokeByClientId(clientId);
    const consents = await this.consents.forgetClient(clientId);
    await this.audit.record({ type: 'client.tokens_revoked', actor: options.actor, clientId, details: { reason: options.reason, artefacts: rows, consents } });
    return rows;
  }
}
