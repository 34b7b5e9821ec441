/**
 * The account and client use cases as the services offer them to every caller (admin CLI, pages,
 * any later API): each one changes the record, revokes what it must and writes its audit events,
 * with the actor in one format; a refused password change changes nothing and says why.
 */
import assert from 'node:assert/strict';
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
