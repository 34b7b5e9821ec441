/**
 * Remembered consents on both backends: ConsentService.remember adds to what was remembered (the
 * first grant time stays), the repository finds, lists (newest first), forgets one and forgets a
 * client's, and the foreign keys delete the consents of a removed client or account.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { openDatabase, migrate, type OpenedDatabase } from '../../src/storage/database.ts';
import { createRepositories } from '../../src/storage/index.ts';
import { ConsentService } from '../../src/accounts/consents.ts';
import { createTestSchema, createTestSqlite, describePostgres } from '../storage/support.ts';

const uid = (prefix: string) => `${prefix}-${randomBytes(5).toString('hex')}`;

function consents(newDatabase: () => Promise<{ url: string; cleanup(): Promise<void> }>): void {
  let database: { url: string; cleanup(): Promise<void> };
  let opened: OpenedDatabase;
  let repos: ReturnType<typeof createRepositories>;
  let clock = new Date('2026-01-01T10:00:00Z');
  let service: ConsentService;

  before(async () => {
    database = await newDatabase();
    opened = await openDatabase(database.url);
    await migrate(opened.db);
    repos = createRepositories(opened.db);
    service = new ConsentService(repos.consents, () => clock);
  });
  after(async () => {
    await repos?.changes.stop();
    await opened?.close();
    await database?.cleanup();
  });

  const now = Date.now();
  async function account(): Promise<string> {
    const id = uid('acct');
    await opened.db
      .insertInto('account')
      .values({ id, login: `${id}@example.com`, email: null, email_verified: 0, phone: null, given_name: null, family_name: null, middle_name: null, password_hash: 'x', disabled: 0, created_at: now, updated_at: now })
      .execute();
    return id;
  }
  async function client(): Promise<string> {
    const id = uid('app');
    await opened.db.insertInto('client').values({ client_id: id, name: id, grant_types: '[]', redirect_uris: '[]', post_logout_redirect_uris: '[]', scopes: '[]', public: 0, application_type: 'web', permissions: '[]', disabled: 0, created_at: now, updated_at: now }).execute();
    return id;
  }

  it('remembers, adds to what was remembered, keeps the first grant time', async () => {
    const [a, c] = [await account(), await client()];
    assert.equal(await service.find(a, c), undefined);
    clock = new Date('2026-01-01T10:00:00Z');
    await service.remember(a, c, { oidcScope: ['openid', 'profile'], oidcClaims: [], resourceScopes: { 'urn:propusk:api:extern.api': ['extern.api'] } });
    clock = new Date('2026-01-02T10:00:00Z');
    await service.remember(a, c, { oidcScope: ['openid', 'email'], oidcClaims: ['email_verified'], resourceScopes: { 'urn:propusk:api:other': ['other.api'] } });
    const found = await service.find(a, c);
    assert.deepEqual(found, {
      accountId: a,
      clientId: c,
      oidcScope: ['openid', 'profile', 'email'],
      oidcClaims: ['email_verified'],
      resourceScopes: { 'urn:propusk:api:extern.api': ['extern.api'], 'urn:propusk:api:other': ['other.api'] },
      grantedAt: new Date('2026-01-01T10:00:00Z'),
      updatedAt: new Date('2026-01-02T10:00:00Z'),
    });
  });

  it("lists an account's consents newest first; forgets one, then a client's", async () => {
    const [a, b, c1, c2] = [await account(), await account(), await client(), await client()];
    const scopes = { oidcScope: ['openid'], oidcClaims: [], resourceScopes: {} };
    clock = new Date('2026-02-01T00:00:00Z');
    await service.remember(a, c1, scopes);
    clock = new Date('2026-02-02T00:00:00Z');
    await service.remember(a, c2, scopes);
    await service.remember(b, c2, scopes);
    assert.deepEqual((await service.listOfAccount(a)).map((x) => x.clientId), [c2, c1]);
    assert.equal(await repos.consents.forget(a, c1), true);
    assert.equal(await repos.consents.forget(a, c1), false, 'already forgotten');
    assert.deepEqual((await service.listOfAccount(a)).map((x) => x.clientId), [c2]);
    assert.equal(await repos.consents.forgetClient(c2), 2);
    assert.deepEqual(await service.listOfAccount(a), []);
    assert.deepEqual(await service.listOfAccount(b), []);
  });

  it('a removed client or account takes its consents with it (foreign keys)', async () => {
    const [a, c] = [await account(), await client()];
    const other = await client();
    const scopes = { oidcScope: ['openid'], oidcClaims: [], resourceScopes: {} };
    await service.remember(a, c, scopes);
    await service.remember(a, other, scopes);
    await opened.db.deleteFrom('client').where('client_id', '=', c).execute();
    assert.deepEqual((await service.listOfAccount(a)).map((x) => x.clientId), [other]);
    await opened.db.deleteFrom('account').where('id', '=', a).execute();
    assert.deepEqual(await service.listOfAccount(a), []);
  });
}

describe('remembered consents: sqlite', () => {
  consents(async () => createTestSqlite());
});

describePostgres('remembered consents: postgres', () => {
  consents(async () => {
    const s = await createTestSchema();
    return { url: s.url, cleanup: s.drop };
  });
});
