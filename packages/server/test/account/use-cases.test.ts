/**
 * The use cases as the services offer them to every caller (admin CLI, pages, any later API),
 * called here directly, without the CLI or a page: each one changes the record, revokes what it
 * must and writes its audit events, with the actor in one format; a refused password change
 * changes nothing and says why; seeded data (no actor) records nothing.
 */
import assert from 'node:assert/strict';
import { generateKeyPairSync, randomInt } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { startTestServer, type TestServer } from '../support/server.ts';
import { createClient, createUser } from '../support/fixtures.ts';
import type { AuditEvent } from '../../src/audit/types.ts';

let server: TestServer;
before(async () => {
  server = await startTestServer();
});
after(() => server.stop());

/** The events of the account or client since `since`, oldest first, as [type, actor, details]. */
async function trail(since: Date, of: { accountId?: string; clientId?: string }): Promise<[string, string | null, Record<string, unknown>][]> {
  const events = await server.context.audit.tail({ since, limit: 1000 });
  const mine = (e: AuditEvent) => (of.accountId === undefined || e.accountId === of.accountId) && (of.clientId === undefined || e.clientId === of.clientId);
  return events.filter(mine).map((e) => [e.type, e.actor, e.details]);
}

/** The events since `since` that `keep` selects, oldest first, with who and what they name. */
async function recorded(since: Date, keep: (e: AuditEvent) => boolean) {
  const events = await server.context.audit.tail({ since, limit: 1000 });
  return events.filter(keep).map(({ type, actor, clientId, accountId, outcome, details }) => ({ type, actor, clientId, accountId, outcome, details }));
}

const justNow = () => new Date(Date.now() - 1000);

describe('account use cases', () => {
  it('setPassword: the new password works, everything of the account is revoked, both audited', async () => {
    const { account, password } = await createUser(server.context);
    const since = new Date(Date.now() - 1000);
    const { account: updated, revoked } = await server.context.accounts.setPassword(account.login, 'an operator password', 'admin-cli');
    assert.equal(updated.id, account.id);
    assert.equal(revoked, 0);
    assert.equal(await server.context.accounts.authenticate(account.login, password), undefined);
    assert.ok(await server.context.accounts.authenticate(account.login, 'an operator password'));
    assert.deepEqual(await trail(since, { accountId: account.id }), [
      ['account.password_set', 'admin-cli', {}],
      ['account.tokens_revoked', 'admin-cli', { reason: 'password_set', artefacts: 0, kept_current_session: false }],
    ]);
    await assert.rejects(server.context.accounts.setPassword(account.login, 'short', 'admin-cli'), { code: 'ERR_INVALID' });
  });

  it('disable and enable: a disabled account cannot sign in; each step audited', async () => {
    const { account, password } = await createUser(server.context);
    const since = new Date(Date.now() - 1000);
    const { account: disabled } = await server.context.accounts.disable(account.id, 'admin-cli');
    assert.equal(disabled.disabled, true);
    assert.equal(await server.context.accounts.authenticate(account.login, password), undefined);
    assert.equal((await server.context.accounts.enable(account.login, 'admin-cli')).disabled, false);
    assert.ok(await server.context.accounts.authenticate(account.login, password));
    assert.deepEqual(await trail(since, { accountId: account.id }), [
      ['account.disabled', 'admin-cli', {}],
      ['account.tokens_revoked', 'admin-cli', { reason: 'account_disabled', artefacts: 0, kept_current_session: false }],
      ['account.enabled', 'admin-cli', {}],
    ]);
  });

  it('changeOwnPassword: every refusal changes nothing and is audited with its reason; success is audited by the account itself', async () => {
    const { account, password } = await createUser(server.context);
    const since = new Date(Date.now() - 1000);
    const change = (currentPassword: string, newPassword: string, confirmPassword = newPassword) =>
      server.context.accounts.changeOwnPassword({ accountId: account.id, currentPassword, newPassword, confirmPassword, ip: '203.0.113.7' });
    assert.deepEqual(await change(password, ''), { ok: false, refusal: 'required' });
    assert.deepEqual(await change(password, 'a new long password', 'another one'), { ok: false, refusal: 'mismatch' });
    assert.deepEqual(await change('not the password', 'a new long password'), { ok: false, refusal: 'incorrect' });
    assert.deepEqual(await change(password, password), { ok: false, refusal: 'unchanged' });
    assert.deepEqual(await change(password, 'short'), { ok: false, refusal: 'rules' });
    assert.ok(await server.context.accounts.authenticate(account.login, password), 'nothing changed');

    const done = await change(password, 'a new long password');
    assert.equal(done.ok, true);
    assert.ok(await server.context.accounts.authenticate(account.login, 'a new long password'));
    const me = `account:${account.id}`;
    const refused = (reason: string): [string, string, Record<string, unknown>] => ['account.password_changed', me, { reason, ip: '203.0.113.7' }];
    assert.deepEqual(await trail(since, { accountId: account.id }), [
      refused('required'),
      refused('mismatch'),
      refused('incorrect'),
      refused('unchanged'),
      refused('rules'),
      ['account.tokens_revoked', me, { reason: 'password_changed', artefacts: 0, kept_current_session: false }],
      ['account.password_changed', me, { revoked: 0 }],
    ]);
  });

  it('setPhone: the number is normalised, or removed; each change audited', async () => {
    const { account } = await createUser(server.context);
    const since = new Date(Date.now() - 1000);
    assert.equal((await server.context.accounts.setPhone(account.login, '+7 (916) 000-11-22', 'admin-cli')).phone, '9160001122');
    assert.equal((await server.context.accounts.setPhone(account.id, null, 'admin-cli')).phone, null);
    assert.deepEqual(await trail(since, { accountId: account.id }), [
      ['account.phone_changed', 'admin-cli', { cleared: false }],
      ['account.phone_changed', 'admin-cli', { cleared: true }],
    ]);
  });

  it('changeOwnPassword of a disabled or unknown account is not found', async () => {
    const { account, password } = await createUser(server.context);
    await server.context.accounts.disable(account.id, 'admin-cli');
    const input = { currentPassword: password, newPassword: 'a new long password', confirmPassword: 'a new long password', ip: '203.0.113.7' };
    await assert.rejects(server.context.accounts.changeOwnPassword({ ...input, accountId: account.id }), { code: 'ERR_NOT_FOUND' });
    await assert.rejects(server.context.accounts.changeOwnPassword({ ...input, accountId: 'no-such-account' }), { code: 'ERR_NOT_FOUND' });
  });
});

describe('client use cases', () => {
  it('disable, enable and revokeTokens: each audited with its revocation', async () => {
    const { clientId } = await createClient(server.context, { clientId: 'use-case.client' });
    const since = new Date(Date.now() - 1000);
    const { client, revoked } = await server.context.clients.disable(clientId, 'admin-cli');
    assert.equal(client.disabled, true);
    assert.equal(revoked, 0);
    assert.equal((await server.context.clients.get(clientId)).disabled, true);
    assert.equal((await server.context.clients.enable(clientId, 'admin-cli')).disabled, false);
    assert.equal((await server.context.clients.revokeTokens(clientId, 'admin-cli')).revoked, 0);
    assert.deepEqual(await trail(since, { clientId }), [
      ['client.disabled', 'admin-cli', {}],
      ['client.tokens_revoked', 'admin-cli', { reason: 'client_disabled', artefacts: 0, consents: 0 }],
      ['client.enabled', 'admin-cli', {}],
      ['client.tokens_revoked', 'admin-cli', { reason: 'operator', artefacts: 0, consents: 0 }],
    ]);
    await assert.rejects(server.context.clients.disable('no.such.client', 'admin-cli'), { code: 'ERR_NOT_FOUND' });
  });

  it('setPartnerRequireAud: the setting changes and is audited', async () => {
    const { clientId } = await createClient(server.context, { clientId: 'use-case.partner' });
    const since = new Date(Date.now() - 1000);
    assert.equal((await server.context.clients.setPartnerRequireAud(clientId, true, 'admin-cli')).partnerRequireAud, true);
    assert.equal((await server.context.clients.setPartnerRequireAud(clientId, false, 'admin-cli')).partnerRequireAud, false);
    assert.deepEqual(await trail(since, { clientId }), [
      ['client.partner_require_aud', 'admin-cli', { require_aud: true }],
      ['client.partner_require_aud', 'admin-cli', { require_aud: false }],
    ]);
  });
});

describe('client use cases called directly audit themselves', () => {
  it('create: the client and its first api-key, each audited; a public client has no key event', async () => {
    const since = justNow();
    const { client, key } = await server.context.clients.create({ clientId: 'direct.create', name: 'Direct', grantTypes: ['client_credentials'], scopes: ['extern.api'] }, 'admin-cli');
    assert.ok(key);
    assert.equal(client.clientId, 'direct.create');
    assert.deepEqual(await trail(since, { clientId: 'direct.create' }), [
      ['client.created', 'admin-cli', {}],
      ['api_key.issued', 'admin-cli', { api_key_id: key.api_key_id }],
    ]);
    await server.context.clients.create({ clientId: 'direct.public', name: 'Public', grantTypes: ['authorization_code'], redirectUris: ['http://localhost:8080/cb'], public: true }, 'admin-cli');
    assert.deepEqual(await trail(since, { clientId: 'direct.public' }), [['client.created', 'admin-cli', {}]]);
  });

  it('issueKey and revokeKey: by an operator, and by an owner in the portal (`via: portal`, with the account)', async () => {
    const { clientId } = await createClient(server.context, { clientId: 'direct.keys' });
    const { account } = await createUser(server.context);
    const since = justNow();
    const byOperator = await server.context.clients.issueKey(clientId, 'ops', 'admin-cli');
    const byOwner = await server.context.clients.issueKey(clientId, undefined, { portalOwner: account.id });
    await server.context.clients.revokeKey(clientId, byOperator.api_key_id, 'admin-cli');
    await server.context.clients.revokeKey(clientId, byOwner.api_key_id, { portalOwner: account.id });
    const owner = `account:${account.id}`;
    assert.deepEqual(await recorded(since, (e) => e.clientId === clientId), [
      { type: 'api_key.issued', actor: 'admin-cli', clientId, accountId: null, outcome: 'success', details: { api_key_id: byOperator.api_key_id } },
      { type: 'api_key.issued', actor: owner, clientId, accountId: account.id, outcome: 'success', details: { api_key_id: byOwner.api_key_id, via: 'portal' } },
      { type: 'api_key.revoked', actor: 'admin-cli', clientId, accountId: null, outcome: 'success', details: { api_key_id: byOperator.api_key_id } },
      { type: 'api_key.revoked', actor: owner, clientId, accountId: account.id, outcome: 'success', details: { api_key_id: byOwner.api_key_id, via: 'portal' } },
    ]);
    await assert.rejects(server.context.clients.revokeKey(clientId, byOperator.api_key_id, 'admin-cli'), { code: 'ERR_NOT_FOUND' });
    assert.equal((await recorded(since, (e) => e.clientId === clientId)).length, 4, 'a refused revocation records nothing');
  });

  it('setPermission: granted and withdrawn, each audited', async () => {
    const { clientId } = await createClient(server.context, { clientId: 'direct.permission' });
    const since = justNow();
    assert.deepEqual((await server.context.clients.setPermission(clientId, 'trusted', true, 'admin-cli')).permissions, ['trusted']);
    assert.deepEqual((await server.context.clients.setPermission(clientId, 'trusted', false, 'admin-cli')).permissions, []);
    assert.deepEqual(await trail(since, { clientId }), [
      ['client.permission_granted', 'admin-cli', { permission: 'trusted' }],
      ['client.permission_revoked', 'admin-cli', { permission: 'trusted' }],
    ]);
  });

  it('setRedirectUris: the owner\'s change is audited with the lists before and after', async () => {
    const { clientId } = await createClient(server.context, { clientId: 'direct.redirects', grantTypes: ['authorization_code'], redirectUris: ['https://app.example/cb'], scopes: ['openid'] });
    const { account } = await createUser(server.context);
    const since = justNow();
    await server.context.clients.setRedirectUris(clientId, ['https://app.example/cb', 'http://localhost:8080/cb'], { portalOwner: account.id });
    assert.deepEqual(await recorded(since, (e) => e.clientId === clientId), [
      {
        type: 'client.redirect_uris_changed',
        actor: `account:${account.id}`,
        clientId,
        accountId: account.id,
        outcome: 'success',
        details: { before: ['https://app.example/cb'], after: ['https://app.example/cb', 'http://localhost:8080/cb'], via: 'portal' },
      },
    ]);
  });

  it('seeded data (no actor) records nothing', async () => {
    const since = justNow();
    const { clientId } = await createClient(server.context, { clientId: 'direct.seeded' });
    await server.context.clients.issueKey(clientId, 'seed', null);
    await server.context.clients.setPermission(clientId, 'trusted', true, null);
    const { account } = await createUser(server.context);
    assert.deepEqual(await recorded(since, (e) => e.clientId === clientId || e.accountId === account.id), []);
  });
});

describe('account, link, partner-key, resource and signing-key use cases called directly audit themselves', () => {
  it('accounts.create: audited as account.created by its actor', async () => {
    const since = justNow();
    const account = await server.context.accounts.create({ login: 'direct.create@example.com', password: 'a long enough password' }, 'admin-cli');
    assert.deepEqual(await trail(since, { accountId: account.id }), [['account.created', 'admin-cli', { password: true }]]);
  });

  it('links: createBySupport audits a new link only; remove audits the removal; linkByPhone is audited by the partner', async () => {
    const { clientId } = await createClient(server.context, { clientId: 'direct.links' });
    const phone = `9${String(randomInt(0, 1e9)).padStart(9, '0')}`;
    const { account } = await createUser(server.context, { phone });
    const since = justNow();
    assert.equal((await server.context.links.createBySupport(clientId, 'sub-1', account.id, 'admin-cli')).outcome, 'created');
    assert.equal((await server.context.links.createBySupport(clientId, 'sub-1', account.id, 'admin-cli')).outcome, 'exists');
    await server.context.links.remove(clientId, 'sub-1', 'admin-cli');
    assert.equal((await server.context.links.linkByPhone(clientId, 'sub-2', phone)).outcome, 'created');
    assert.deepEqual(await recorded(since, (e) => e.clientId === clientId), [
      { type: 'link.created', actor: 'admin-cli', clientId, accountId: account.id, outcome: 'success', details: { service_user_id: 'sub-1' } },
      { type: 'link.removed', actor: 'admin-cli', clientId, accountId: account.id, outcome: 'success', details: { service_user_id: 'sub-1' } },
      { type: 'link.by_phone', actor: `client:${clientId}`, clientId, accountId: account.id, outcome: 'success', details: { service_user_id: 'sub-2', result: 'created' } },
    ]);
  });

  it('partner keys: each key added and removed is audited', async () => {
    const { clientId } = await createClient(server.context, { clientId: 'direct.partner', grantTypes: ['trusted'] });
    const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const since = justNow();
    const [added] = await server.context.partnerKeys.add(clientId, JSON.stringify({ ...publicKey.export({ format: 'jwk' }), kid: 'direct-1' }), 'admin-cli');
    assert.ok(added);
    await server.context.partnerKeys.remove(clientId, 'direct-1', 'admin-cli');
    assert.deepEqual(await trail(since, { clientId }), [
      ['partner_key.added', 'admin-cli', { partner_key_id: added.id, kid: 'direct-1', source: 'jwk' }],
      ['partner_key.removed', 'admin-cli', { partner_key_id: added.id, kid: 'direct-1' }],
    ]);
  });

  it('resources.create: the resource, its introspection client and key; one resource.created event', async () => {
    const since = justNow();
    const { resource, key } = await server.context.resources.create({ scope: 'direct.api', name: 'Direct API' }, 'admin-cli');
    assert.equal(key.client_id, 'rs.direct.api');
    assert.equal(resource.introspectionClientId, 'rs.direct.api');
    assert.ok(await server.context.clientDirectory.verifyApiKey(key.client_id, key.api_key), 'the introspection key works');
    assert.deepEqual(await trail(since, { clientId: 'rs.direct.api' }), [['resource.created', 'admin-cli', { scope: 'direct.api', indicator: 'urn:propusk:api:direct.api' }]]);
  });

  it('keys.rotate: audited with the new key id and its algorithm', async () => {
    const since = justNow();
    const { kid } = await server.context.keys.rotate('admin-cli');
    assert.deepEqual(await recorded(since, (e) => e.type === 'signing_key.rotated'), [
      { type: 'signing_key.rotated', actor: 'admin-cli', clientId: null, accountId: null, outcome: 'success', details: { kid, alg: 'RS256' } },
    ]);
  });
});

describe('integrator-portal use cases called directly audit themselves', () => {
  it('invite, signUp and accept: each step audited, a second accept audited as a failure', async () => {
    const { clientId } = await createClient(server.context, { clientId: 'direct.portal' });
    const { account: owner } = await createUser(server.context);
    const since = justNow();
    const { invitation: first } = await server.context.integrations.invite({ clientId, createdBy: 'admin-cli', allowSignup: true });
    const { invitation: second, token } = await server.context.integrations.invite({ clientId, createdBy: { portalOwner: owner.id } });
    const created = (i: typeof first) => ({ invitation_id: i.id, email: null, allow_signup: i.allowSignup, expires_at: i.expiresAt.toISOString() });
    const newcomer = await server.context.integrations.signUp(first, { login: 'direct.newcomer@example.com', password: 'a long enough password' });
    await server.context.integrations.accept(token, newcomer);
    await assert.rejects(server.context.integrations.accept(token, newcomer), { code: 'ERR_INVITATION_USED' });
    const me = `account:${newcomer.id}`;
    assert.deepEqual(await recorded(since, (e) => e.clientId === clientId || e.accountId === newcomer.id), [
      { type: 'integration.invitation_created', actor: 'admin-cli', clientId, accountId: null, outcome: 'success', details: created(first) },
      { type: 'integration.invitation_created', actor: `account:${owner.id}`, clientId, accountId: owner.id, outcome: 'success', details: created(second) },
      { type: 'integration.account_created', actor: me, clientId, accountId: newcomer.id, outcome: 'success', details: { invitation_id: first.id } },
      { type: 'integration.invitation_accepted', actor: me, clientId, accountId: newcomer.id, outcome: 'success', details: { invitation_id: second.id } },
      { type: 'integration.owner_added', actor: me, clientId, accountId: newcomer.id, outcome: 'success', details: { invitation_id: second.id } },
      { type: 'integration.invitation_accepted', actor: me, clientId: null, accountId: newcomer.id, outcome: 'failure', details: { reason: 'ERR_INVITATION_USED' } },
    ]);
    assert.ok(await server.context.integrations.isOwner(clientId, newcomer.id));
  });
});
