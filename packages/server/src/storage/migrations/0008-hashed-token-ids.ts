/**
 * Bearer secrets out of the database: rows of the models whose id is the token, code or session
 * cookie itself (storage/oidc-adapter.ts, HASHED_ID_MODELS) are re-keyed by the SHA-256 of that id,
 * and the id is dropped from their stored payload (`jti`); device-poll rows, keyed by the device
 * code, are re-keyed the same way; interactions lose their copy of the session cookie. A pending
 * device code keeps its `jti`, and a device-flow interaction its `deviceCode`, until they expire
 * (minutes; an hour at most): the adapter needs them to save an approval, and new rows keep them
 * sealed with PROPUSK_MASTER_KEY instead, which a migration does not have. Portable SQL only; rows
 * are read by key and rewritten in chunks, so memory holds the keys, not the payloads.
 */
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';

/** As HASHED_ID_MODELS in storage/oidc-adapter.ts when this migration was written (a migration must not follow later changes). */
const MODELS = ['AccessToken', 'ClientCredentials', 'RefreshToken', 'AuthorizationCode', 'DeviceCode', 'Session', 'BackchannelAuthenticationRequest'];
const CHUNK = 500;

const hashId = (id: string) => createHash('sha256').update(id, 'utf8').digest('base64url');

interface Tables {
  oidc_model: { model: string; id: string; payload: string };
  device_poll: { id: string };
}

export async function up(untyped: Kysely<unknown>): Promise<void> {
  const db = untyped as unknown as Kysely<Tables>;
  for (const model of MODELS) {
    const ids = (await db.selectFrom('oidc_model').select('id').where('model', '=', model).execute()).map((r) => r.id);
    for (let i = 0; i < ids.length; i += CHUNK) {
      const rows = await db.selectFrom('oidc_model').select(['id', 'payload']).where('model', '=', model).where('id', 'in', ids.slice(i, i + CHUNK)).execute();
      for (const row of rows) {
        let payload = row.payload;
        if (model !== 'DeviceCode') {
          const { jti: _jti, ...rest } = JSON.parse(row.payload) as Record<string, unknown>;
          payload = JSON.stringify(rest);
        }
        await db.updateTable('oidc_model').set({ id: hashId(row.id), payload }).where('model', '=', model).where('id', '=', row.id).execute();
      }
    }
  }
  // An interaction's copy of its session's cookie (oidc-provider never reads it back).
  const interactions = await db.selectFrom('oidc_model').select(['id', 'payload']).where('model', '=', 'Interaction').execute();
  for (const row of interactions) {
    const payload = JSON.parse(row.payload) as { session?: { cookie?: unknown } };
    if (payload.session?.cookie === undefined) continue;
    delete payload.session.cookie;
    await db.updateTable('oidc_model').set({ payload: JSON.stringify(payload) }).where('model', '=', 'Interaction').where('id', '=', row.id).execute();
  }
  const polls = (await db.selectFrom('device_poll').select('id').execute()).map((r) => r.id);
  for (const id of polls) await db.updateTable('device_poll').set({ id: hashId(id) }).where('id', '=', id).execute();
}

/** The ids cannot be recovered from their hashes: going back leaves the rows as they are (they stop being found, as after a revocation). */
export async function down(): Promise<void> {}
