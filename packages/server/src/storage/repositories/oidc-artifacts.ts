/**
 * OidcArtifactRepository on Kysely: operations on oidc-provider's stored artefacts (sessions,
 * grants, codes, device codes, tokens) that its adapter contract has no method for. Each revocation
 * is one indexed DELETE (on account_id, grant_id or client_id), so it is atomic on both backends.
 */
import type { Db } from '../database.ts';
import { storedId } from '../oidc-adapter.ts';
import type { AccountGrant, OidcArtifactRepository, RevokeByAccountOptions } from '../../accounts/revocation.ts';

export type { OidcArtifactRepository } from '../../accounts/revocation.ts';

/** Artefacts whose `iat` says the application received something under a grant. */
const TOKEN_MODELS = ['AccessToken', 'RefreshToken', 'AuthorizationCode', 'DeviceCode'];

interface GrantPayload {
  clientId?: string;
  iat?: number;
  exp?: number;
  openid?: { scope?: string };
  resources?: Record<string, string>;
}

const fromEpochSeconds = (s: unknown): Date | null => (typeof s === 'number' ? new Date(s * 1000) : null);

export class KyselyOidcArtifactRepository implements OidcArtifactRepository {
  constructor(private readonly db: Db) {}

  async revokeByAccountId(accountId: string, options: RevokeByAccountOptions = {}): Promise<number> {
    const { exceptSessionId, exceptInteractionId } = options;
    let q = this.db.deleteFrom('oidc_model').where('account_id', '=', accountId);
    if (exceptSessionId !== undefined) q = q.where((eb) => eb.not(eb.and([eb('model', '=', 'Session'), eb('id', '=', storedId('Session', exceptSessionId))])));
    if (exceptInteractionId !== undefined) q = q.where((eb) => eb.not(eb.and([eb('model', '=', 'Interaction'), eb('id', '=', storedId('Interaction', exceptInteractionId))])));
    const r = await q.executeTakeFirst();
    return Number(r.numDeletedRows);
  }

  async revokeByGrantId(grantId: string): Promise<number> {
    const r = await this.db
      .deleteFrom('oidc_model')
      .where((eb) => eb.or([eb('grant_id', '=', grantId), eb.and([eb('model', '=', 'Grant'), eb('id', '=', grantId)])]))
      .executeTakeFirst();
    return Number(r.numDeletedRows);
  }

  async revokeByClientId(clientId: string): Promise<number> {
    const r = await this.db.deleteFrom('oidc_model').where('client_id', '=', clientId).executeTakeFirst();
    return Number(r.numDeletedRows);
  }

  async listGrantsOfAccount(accountId: string): Promise<AccountGrant[]> {
    const now = Date.now();
    const rows = await this.db
      .selectFrom('oidc_model')
      .select(['model', 'id', 'grant_id', 'client_id', 'payload', 'expires_at'])
      .where('account_id', '=', accountId)
      .where((eb) => eb.or([eb('model', '=', 'Grant'), eb('model', 'in', TOKEN_MODELS)]))
      .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
      .execute();
    const lastUsed = new Map<string, number>();
    for (const r of rows) {
      if (r.model === 'Grant' || r.grant_id === null) continue;
      const iat = (JSON.parse(r.payload) as { iat?: unknown }).iat;
      if (typeof iat === 'number' && iat > (lastUsed.get(r.grant_id) ?? 0)) lastUsed.set(r.grant_id, iat);
    }
    const grants: AccountGrant[] = [];
    for (const r of rows) {
      if (r.model !== 'Grant') continue;
      const p = JSON.parse(r.payload) as GrantPayload;
      const scopes = [p.openid?.scope ?? '', ...Object.values(p.resources ?? {})].flatMap((s) => s.split(' ')).filter(Boolean);
      grants.push({
        grantId: r.id,
        clientId: r.client_id ?? p.clientId ?? '',
        scopes: [...new Set(scopes)],
        grantedAt: fromEpochSeconds(p.iat),
        lastUsedAt: fromEpochSeconds(lastUsed.get(r.id)),
        expiresAt: r.expires_at === null ? null : new Date(Number(r.expires_at)),
      });
    }
    return grants.sort((a, b) => (b.grantedAt?.getTime() ?? 0) - (a.grantedAt?.getTime() ?? 0));
  }
}
