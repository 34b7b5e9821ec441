/**
 * OidcArtifactRepository on Kysely: operations on oidc-provider's stored artefacts (sessions,
 * grants, codes, device codes, tokens) that its adapter contract has no method for. "Revoke
 * everything of this user" (password change, operator action) is one indexed DELETE on account_id.
 */
import type { Db } from '../database.ts';

export interface OidcArtifactRepository {
  /** Deletes every session, grant, code and token of the account; returns how many rows went. */
  revokeByAccountId(accountId: string): Promise<number>;
}

export class KyselyOidcArtifactRepository implements OidcArtifactRepository {
  constructor(private readonly db: Db) {}

  async revokeByAccountId(accountId: string): Promise<number> {
    const r = await this.db.deleteFrom('oidc_model').where('account_id', '=', accountId).executeTakeFirst();
    return Number(r.numDeletedRows);
  }
}
