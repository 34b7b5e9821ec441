/**
 * Signed-in portal sessions, one row each in the table of oidc-provider's artefacts (model
 * `PortalSession`, keyed by the SHA-256 of the session id, with its `account_id` and `expires_at`).
 * Keeping them there puts them under the same statements as every other session of the account:
 * revoking the account's sessions and tokens (password change, sign out everywhere, an operator's
 * revoke-tokens or disable) deletes them too, and the sweeper drops expired ones.
 */
import { createHash } from 'node:crypto';
import type { Db } from '../database.ts';
import type { PortalSessionStore } from '../../integrations/types.ts';

const MODEL = 'PortalSession';
const rowId = (sid: string): string => createHash('sha256').update(sid).digest('base64url');

export class KyselyPortalSessionStore implements PortalSessionStore {
  constructor(private readonly db: Db) {}

  async create(sid: string, accountId: string, expiresAt: number): Promise<void> {
    await this.db
      .insertInto('oidc_model')
      .values({ model: MODEL, id: rowId(sid), payload: '{}', grant_id: null, user_code: null, uid: null, account_id: accountId, client_id: null, expires_at: expiresAt, consumed_at: null })
      .execute();
  }

  async isLive(sid: string, accountId: string, now = Date.now()): Promise<boolean> {
    const row = await this.db
      .selectFrom('oidc_model')
      .select('expires_at')
      .where('model', '=', MODEL)
      .where('id', '=', rowId(sid))
      .where('account_id', '=', accountId)
      .executeTakeFirst();
    return row !== undefined && (row.expires_at === null || row.expires_at > now);
  }

  async end(sid: string): Promise<void> {
    await this.db.deleteFrom('oidc_model').where('model', '=', MODEL).where('id', '=', rowId(sid)).execute();
  }
}
