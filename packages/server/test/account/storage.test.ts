/**
 * OidcArtifactRepository on both backends (the conformance helpers of test/storage): revoke by
 * account (with the kept session), by grant (the Grant row too), by client, and the listing of an
 * account's grants with their scopes and last use.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { openDatabase, migrate, type OpenedDatabase } from '../../src/storage/database.ts';
import { KyselyOidcArtifactRepository } from '../../src/storage/repositories/oidc-artifacts.ts';
import { KyselyOidcAdapter } from '../../src/storage/oidc-adapter.ts';
import { createTestSchema, createTestSqlite, describePostgres } from '../storage/support.ts';

const uid = (prefix: string) => `${prefix}-${randomBytes(5).toString('hex')}`;
const now = () => Math.floor(Date.now() / 1000);

function artifacts(newDatabase: () => Promise<{ url: string; cleanup(): Promise<void> }>): void {
  let database: { url: string; cleanup(): Promise<void> };
  let opened: OpenedDatabase;
  let repo: KyselyOidcArtifactRepository;
  const put = (model: string, id: string, payload: Record<string, unknown>, ttl = 600) => new KyselyOidcAdapter(opened.db, model).upsert(id, { kind: model, ...payload }, ttl);
  const exists = async (model: string, id: string) => (await new KyselyOidcAdapter(opened.db, model).find(id)) !== undefined;

  before(async () => {
    database = await newDatabase();
    opened = await openDatabase(database.url);
    await migrate(opened.db);
    repo = new KyselyOidcArtifactRepository(opened.db);
  });
  after(async () => {
    await opened?.close();
    await database?.cleanup();
  });

  /** An account with two sessions and one grant (code, access and refresh token), plus another account's grant. */
  async function seed() {
    // One clock reading for every iat, returned for the assertions (a second may tick meanwhile).
    const t = now();
    const account = uid('acct');
    const grant = uid('grant');
    const other = uid('acct');
    const otherGrant = uid('grant');
    await put('Session', `${account}-s1`, { accountId: account, uid: uid('u') });
    await put('Session', `${account}-s2`, { accountId: account, uid: uid('u') });
    await put('Grant', grant, { accountId: account, clientId: 'web.app', iat: t - 100, openid: { scope: 'openid email' }, resources: { 'urn:x': 'extern.api openid' } });
    await put('AuthorizationCode', `${grant}-code`, { accountId: account, clientId: 'web.app', grantId: grant, iat: t - 90 });
    await put('AccessToken', `${grant}-at`, { accountId: account, clientId: 'web.app', grantId: grant, iat: t - 50 });
    await put('RefreshToken', `${grant}-rt`, { accountId: account, clientId: 'web.app', grantId: grant, iat: t - 60 });
    await put('Grant', otherGrant, { accountId: other, clientId: 'web.app', iat: t });
    await put('AccessToken', `${otherGrant}-at`, { accountId: other, clientId: 'web.app', grantId: otherGrant, iat: t });
    return { t, account, grant, other, otherGrant };
  }

  it('lists the grants of an account with scopes, grant time and last use; nothing of other accounts or expired rows', async () => {
    const { t, account, grant } = await seed();
    await put('Grant', uid('expired'), { accountId: account, clientId: 'old.app', iat: t - 1000 });
    await opened.db.updateTable('oidc_model').set({ expires_at: Date.now() - 1 }).where('client_id', '=', 'old.app').where('account_id', '=', account).execute();
    const grants = await repo.listGrantsOfAccount(account);
    assert.equal(grants.length, 1);
    const [g] = grants;
    assert.equal(g!.grantId, grant);
    assert.equal(g!.clientId, 'web.app');
    assert.deepEqual(g!.scopes, ['openid', 'email', 'extern.api']);
    assert.equal(g!.grantedAt?.getTime(), (t - 100) * 1000);
    assert.equal(g!.lastUsedAt?.getTime(), (t - 50) * 1000, 'the newest token iat');
    assert.ok(g!.expiresAt && g!.expiresAt.getTime() > Date.now());
    assert.deepEqual(await repo.listGrantsOfAccount(uid('nobody')), []);
  });

  it('revokeByGrantId deletes the Grant row and every artefact of the grant, nothing else', async () => {
    const { account, grant, otherGrant } = await seed();
    assert.equal(await repo.revokeByGrantId(grant), 4);
    for (const [m, id] of [['Grant', grant], ['AuthorizationCode', `${grant}-code`], ['AccessToken', `${grant}-at`], ['RefreshToken', `${grant}-rt`]] as const) assert.equal(await exists(m, id), false, m);
    assert.equal(await exists('Session', `${account}-s1`), true);
    assert.equal(await exists('Grant', otherGrant), true);
    assert.equal(await repo.revokeByGrantId(grant), 0);
  });

  it('revokeByAccountId keeps the excepted session only', async () => {
    const { account, other, otherGrant } = await seed();
    assert.equal(await repo.revokeByAccountId(account, { exceptSessionId: `${account}-s1` }), 5);
    assert.equal(await exists('Session', `${account}-s1`), true);
    assert.equal(await exists('Session', `${account}-s2`), false);
    assert.deepEqual(await repo.listGrantsOfAccount(account), []);
    assert.equal(await exists('AccessToken', `${otherGrant}-at`), true, other);
    assert.equal(await repo.revokeByAccountId(account), 1, 'then the kept session too');
  });

  it('revokeByClientId deletes every grant and token of the client, client_credentials included', async () => {
    const { account, grant, other } = await seed();
    await put('ClientCredentials', uid('cc'), { clientId: 'web.app' });
    await put('ClientCredentials', uid('cc'), { clientId: 'svc.app' });
    assert.equal(await repo.revokeByClientId('web.app') >= 7, true);
    assert.deepEqual(await repo.listGrantsOfAccount(account), []);
    assert.deepEqual(await repo.listGrantsOfAccount(other), []);
    assert.equal(await exists('AccessToken', `${grant}-at`), false);
    assert.equal(await exists('Session', `${account}-s1`), true, 'sessions belong to no client');
    assert.equal(await repo.revokeByClientId('svc.app'), 1);
  });
}

describe('oidc artefact revocation: sqlite', () => {
  artifacts(async () => createTestSqlite());
});

describePostgres('oidc artefact revocation: postgres', () => {
  artifacts(async () => {
    const s = await createTestSchema();
    return { url: s.url, cleanup: s.drop };
  });
});
