/**
 * Invitation and owner storage, the same tests on SQLite and PostgreSQL: round trips,
 * single use under concurrency (one conditional UPDATE), expiry, idempotent owners; and the
 * service's accept on top of it.
 */
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { openDatabase, migrate, type OpenedDatabase } from '../../src/storage/database.ts';
import { createRepositories, type Repositories } from '../../src/storage/index.ts';
import { IntegrationService } from '../../src/integrations/service.ts';
import { AuditService } from '../../src/audit/service.ts';
import { createLogger } from '../../src/logger.ts';
import { createTestSchema, createTestSqlite, describePostgres } from '../storage/support.ts';

interface Backend {
  newDatabase(): Promise<{ url: string; cleanup(): Promise<void> }>;
}

function conformance(backend: Backend): void {
  let database: { url: string; cleanup(): Promise<void> };
  let opened: OpenedDatabase;
  let repos: Repositories;
  let service: IntegrationService;

  before(async () => {
    database = await backend.newDatabase();
    opened = await openDatabase(database.url);
    await migrate(opened.db);
    repos = createRepositories(opened.db);
    service = new IntegrationService({
      invitations: repos.invitations,
      owners: repos.clientOwners,
      clients: { get: async (id) => (await repos.clients.find(id)) ?? assert.fail(`client ${id}`) },
      accounts: { create: () => assert.fail('no account is created here') },
      audit: new AuditService(repos.audit, createLogger('silent')),
    });
  });
  after(async () => {
    await opened?.close();
    await database?.cleanup();
  });

  const newClient = async () => {
    const clientId = `c-${randomBytes(4).toString('hex')}`;
    await repos.clients.create({ clientId, name: clientId, grantTypes: ['client_credentials'], redirectUris: [], postLogoutRedirectUris: [], scopes: [], public: false, applicationType: 'web', permissions: [], disabled: false });
    return clientId;
  };
  const newAccount = async () => {
    const id = randomUUID();
    return repos.accounts.create({ id, login: `${id}@example.com`, email: `${id}@example.com`, emailVerified: true, phone: null, givenName: null, familyName: null, middleName: null, passwordHash: 'x', disabled: false });
  };
  const newInvitation = async (clientId: string, overrides: { expiresAt?: Date; email?: string | null; allowSignup?: boolean } = {}) =>
    repos.invitations.create({
      id: randomUUID(),
      clientId,
      tokenHash: randomBytes(32).toString('hex'),
      email: overrides.email ?? null,
      allowSignup: overrides.allowSignup ?? false,
      createdBy: 'admin-cli',
      createdAt: new Date(Math.floor(Date.now() / 1000) * 1000),
      expiresAt: overrides.expiresAt ?? new Date(Date.now() + 3600_000),
    });

  it('invitations round-trip by token hash; the hash is unique', async () => {
    const clientId = await newClient();
    const created = await newInvitation(clientId, { email: 'a@example.com', allowSignup: true });
    const found = await repos.invitations.findByTokenHash(created.tokenHash);
    assert.deepEqual(found, created);
    assert.equal(await repos.invitations.findByTokenHash('0'.repeat(64)), undefined);
    await assert.rejects(repos.invitations.create({ ...created, id: randomUUID() }));
  });

  it('consume succeeds once, records who used it, and never after expiry', async () => {
    const clientId = await newClient();
    const account = await newAccount();
    const inv = await newInvitation(clientId);
    const at = new Date();
    assert.equal(await repos.invitations.consume(inv.id, account.id, at), true);
    assert.equal(await repos.invitations.consume(inv.id, account.id, at), false);
    const used = await repos.invitations.findByTokenHash(inv.tokenHash);
    assert.equal(used?.usedAt?.getTime(), at.getTime());
    assert.equal(used?.usedBy, account.id);

    const expired = await newInvitation(clientId, { expiresAt: new Date(Date.now() - 1000) });
    assert.equal(await repos.invitations.consume(expired.id, account.id, new Date()), false);
    assert.equal((await repos.invitations.findByTokenHash(expired.tokenHash))?.usedAt, null);
  });

  it('of concurrent consumes exactly one wins', async () => {
    const clientId = await newClient();
    const accounts = await Promise.all(Array.from({ length: 8 }, () => newAccount()));
    const inv = await newInvitation(clientId);
    const results = await Promise.all(accounts.map((a) => repos.invitations.consume(inv.id, a.id, new Date())));
    assert.equal(results.filter(Boolean).length, 1);
  });

  it('owners: add is idempotent; lookups by client and by account', async () => {
    const [c1, c2] = [await newClient(), await newClient()];
    const [a, b] = [await newAccount(), await newAccount()];
    await repos.clientOwners.add({ clientId: c2, accountId: a.id, invitationId: null, addedAt: new Date(1000) });
    await repos.clientOwners.add({ clientId: c1, accountId: a.id, invitationId: 'i1', addedAt: new Date(2000) });
    await repos.clientOwners.add({ clientId: c1, accountId: a.id, invitationId: 'i2', addedAt: new Date(3000) });
    await repos.clientOwners.add({ clientId: c1, accountId: b.id, invitationId: null, addedAt: new Date(4000) });
    assert.deepEqual(await repos.clientOwners.clientIdsOf(a.id), [c1, c2].sort());
    assert.deepEqual(await repos.clientOwners.clientIdsOf(b.id), [c1]);
    assert.deepEqual((await repos.clientOwners.ownersOf(c1)).map((o) => [o.accountId, o.invitationId, o.addedAt.getTime()]), [[a.id, 'i1', 2000], [b.id, null, 4000]]);
    assert.equal(await repos.clientOwners.isOwner(c2, a.id), true);
    assert.equal(await repos.clientOwners.isOwner(c2, b.id), false);
  });

  it('service: of concurrent accepts of one link exactly one account becomes an owner; the rest get ERR_INVITATION_USED', async () => {
    const clientId = await newClient();
    const accounts = await Promise.all(Array.from({ length: 5 }, () => newAccount()));
    const { token } = await service.invite({ clientId, createdBy: 'admin-cli' });
    const results = await Promise.allSettled(accounts.map((a) => service.accept(token, a)));
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
    for (const r of results) if (r.status === 'rejected') assert.equal((r.reason as { code: string }).code, 'ERR_INVITATION_USED');
    assert.equal((await service.ownersOf(clientId)).length, 1);
    await assert.rejects(service.inspect(token), { code: 'ERR_INVITATION_USED' });
    await assert.rejects(service.inspect('A'.repeat(43)), { code: 'ERR_INVITATION_UNKNOWN' });
  });

  it('service: an expired link is refused; an email-bound link only for that account', async () => {
    const clientId = await newClient();
    const account = await newAccount();
    const old = await service.invite({ clientId, createdBy: 'admin-cli', ttlMs: 60_000 }, new Date(Date.now() - 61_000));
    await assert.rejects(service.accept(old.token, account), { code: 'ERR_INVITATION_EXPIRED' });
    const bound = await service.invite({ clientId, createdBy: 'admin-cli', email: 'Someone@Example.com' });
    await assert.rejects(service.accept(bound.token, account), { code: 'ERR_INVITATION_WRONG_ACCOUNT' });
    assert.equal(await service.isOwner(clientId, account.id), false);
    assert.equal((await service.inspect(bound.token)).email, 'someone@example.com');
    await assert.rejects(service.invite({ clientId, createdBy: 'admin-cli', ttlMs: 0 }), { code: 'ERR_INVALID' });
    await assert.rejects(service.invite({ clientId: 'no-such-client', createdBy: 'admin-cli' }));
  });
}

describe('integrations storage: sqlite', () => {
  conformance({ newDatabase: async () => createTestSqlite() });
});

describePostgres('integrations storage: postgres', () => {
  conformance({
    newDatabase: async () => {
      const schema = await createTestSchema();
      return { url: schema.url, cleanup: schema.drop };
    },
  });
});
