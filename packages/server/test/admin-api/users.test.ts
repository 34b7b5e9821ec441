/** Users through the management API: search and pages, create without a password, change, disable, enable, revoke, reset second factors, applications, links, events. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { postForm, basic } from '../support/server.ts';
import { createTestSchema, describePostgres, type TestSchema } from '../storage/support.ts';
import { setupCodeFlow, signInForCallback, exchangeCode, type CodeFlowSetup } from '../codeflow/support/setup.ts';
import { createPartner, linkedUser } from '../trusted/support.ts';
import { enrolTotp } from '../support/fixtures.ts';
import { api, machineOperator } from './support.ts';

type Factors = { totp: boolean; passkeys: number; recovery_codes: number };
type User = { id: string; login: string; phone: string | null; given_name: string | null; disabled: boolean; roles: string[]; email_verified: boolean; factors: Factors };

function usersSuite(database: 'SQLite' | 'PostgreSQL'): void {
  let s: CodeFlowSetup;
  let schema: TestSchema | undefined;
  let admin: string;
  let support: string;
  let auditor: string;
  const url = () => s.server.url;

  before(async () => {
    if (database === 'PostgreSQL') schema = await createTestSchema();
    s = await setupCodeFlow(undefined, schema ? { DATABASE_URL: schema.url } : {});
    admin = (await machineOperator(s.server.context, url(), 'users.admin', 'admin')).token;
    support = (await machineOperator(s.server.context, url(), 'users.support', 'support')).token;
    auditor = (await machineOperator(s.server.context, url(), 'users.auditor', 'auditor')).token;
  });
  after(async () => {
    await s.server.stop();
    await schema?.drop();
  });

  it('a walk of 230 accounts by cursor returns each once, by login', async () => {
    const ctx = s.server.context;
    const tag = randomBytes(3).toString('hex');
    // Setup through the repository: 230 argon2 hashes would take minutes on one core.
    for (let i = 0; i < 230; i++) {
      await ctx.repos.accounts.create({ id: `walk-${tag}-${i}`, login: `walk-${tag}-${String(i).padStart(3, '0')}@example.com`, email: null, emailVerified: false, phone: null, givenName: null, familyName: null, middleName: null, passwordHash: 'x', disabled: false });
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await api(url(), support, 'GET', `/users?query=walk-${tag}&limit=${seen.length === 0 ? 200 : 13}${cursor ? `&cursor=${cursor}` : ''}`);
      assert.equal(res.status, 200, res.text);
      seen.push(...res.json.items.map((u: User) => u.login));
      cursor = res.json.next_cursor;
    } while (cursor);
    assert.equal(seen.length, 230);
    assert.equal(new Set(seen).size, 230);
    assert.deepEqual(seen, [...seen].sort());
  });

  it('search by login, name (any case, Cyrillic too), phone in any written form, id', async () => {
    const ctx = s.server.context;
    const account = await ctx.accounts.create({ login: `Search.Me.${randomBytes(3).toString('hex')}@example.com`, password: 'correct horse battery', givenName: 'Зинаида', familyName: 'Орлова', phone: '9161234567' }, null);
    const find = async (query: string) => ((await api(url(), support, 'GET', `/users?query=${encodeURIComponent(query)}`)).json.items as User[]).map((u) => u.id);
    for (const query of ['search.me', 'SEARCH.ME', 'зинаида', 'Зинаида', 'ОРЛОВА', 'орлов', '9161234567', '+7 (916) 123-45-67', '8 916 123 45 67', '1234567', account.id]) {
      assert.ok((await find(query)).includes(account.id), `query ${query}`);
    }
    assert.deepEqual(await find('no-such-person-anywhere'), []);
    assert.ok(!(await find('_')).includes(account.id), '_ is not a wildcard');
  });

  it('creates an account without a password; support may not; a set-password link then works', async () => {
    const login = `new.${randomBytes(3).toString('hex')}@example.com`;
    const denied = await api(url(), support, 'POST', '/users', { login });
    assert.equal(denied.status, 403);
    const res = await api(url(), admin, 'POST', '/users', { login, given_name: 'Пётр', phone: '+7 916 000-00-01', email_verified: true });
    assert.equal(res.status, 201, res.text);
    assert.equal(res.json.login, login);
    assert.equal(res.json.phone, '9160000001');
    assert.equal('password_hash' in res.json, false);
    assert.equal((await api(url(), admin, 'POST', '/users', { login })).status, 409);
    assert.equal((await api(url(), admin, 'POST', '/users', { login: `other.${login}`, phone: '9160000001' })).status, 409, 'the phone is taken');
    const link = await api(url(), support, 'POST', `/users/${res.json.id}/password-link`);
    assert.equal(link.status, 201);
    const events = await s.server.context.repos.audit.tail({ type: 'account.created', limit: 1 });
    assert.equal(events.at(-1)?.actor, 'client:users.admin');
    assert.deepEqual(events.at(-1)?.details, { password: false });
  });

  it('changes names, phone and e-mail verification, audited with the field names only', async () => {
    const { json: created } = await api(url(), admin, 'POST', '/users', { login: `patch.${randomBytes(3).toString('hex')}@example.com` });
    const res = await api(url(), admin, 'PATCH', `/users/${created.id}`, { family_name: 'Смирнов', phone: '9160000077', email_verified: true });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.phone, '9160000077');
    assert.equal(res.json.email_verified, true);
    const event = (await s.server.context.repos.audit.tail({ type: 'account.updated', limit: 1 })).at(-1);
    assert.deepEqual(event?.details, { fields: ['family_name', 'phone', 'email_verified'] });
    const cleared = await api(url(), admin, 'PATCH', `/users/${created.id}`, { phone: null });
    assert.equal(cleared.json.phone, null);
    assert.equal((await api(url(), admin, 'PATCH', `/users/${created.id}`, {})).status, 400);
    assert.equal((await api(url(), admin, 'PATCH', `/users/${created.id}`, { phone: '123' })).status, 400);
    assert.equal((await api(url(), support, 'PATCH', `/users/${created.id}`, { given_name: 'x' })).status, 403);
    assert.equal((await api(url(), admin, 'GET', `/users/${created.id}`)).json.family_name, 'Смирнов');
  });

  it('disable refuses sign-in and kills tokens; enable lets the person in; revoke-tokens ends tokens only', async () => {
    const ctx = s.server.context;
    const { account, password } = await (async () => {
      const password = `pw-${randomBytes(6).toString('hex')}`;
      return { account: await ctx.accounts.create({ login: `dis.${randomBytes(3).toString('hex')}@example.com`, password }, null), password };
    })();
    const tokenOf = async () => {
      const { callback } = await signInForCallback(s.issuer, { login: account.login, password });
      const res = await exchangeCode(s, callback.searchParams.get('code')!);
      return res.json.access_token as string;
    };
    const active = async (token: string) => (await postForm(`${url()}/connect/introspect`, { token }, { authorization: basic(s.rs.clientId, s.rs.secret) })).json.active;

    const token = await tokenOf();
    assert.equal(await active(token), true);
    const revoked = await api(url(), support, 'POST', `/users/${account.id}/revoke-tokens`);
    assert.equal(revoked.status, 200, revoked.text);
    assert.ok(revoked.json.revoked >= 1);
    assert.equal(revoked.json.user.disabled, false);
    assert.equal(await active(token), false);

    const second = await tokenOf();
    assert.equal((await api(url(), auditor, 'POST', `/users/${account.id}/disable`)).status, 403);
    assert.equal(await active(second), true, 'a 403 changed nothing');
    const disabled = await api(url(), support, 'POST', `/users/${account.id}/disable`);
    assert.equal(disabled.status, 200);
    assert.equal(disabled.json.user.disabled, true);
    assert.equal(await active(second), false);
    await assert.rejects(tokenOf(), /code|sign/i);
    const enabled = await api(url(), support, 'POST', `/users/${encodeURIComponent(account.login)}/enable`);
    assert.equal(enabled.json.user.disabled, false);
    assert.equal(await active(await tokenOf()), true);
    const events = await ctx.repos.audit.tail({ type: 'account.disabled', limit: 1 });
    assert.equal(events.at(-1)?.actor, 'client:users.support');
  });

  it('users carry their factors; mfa/reset removes every one, revokes every session and token, is audited; the person signs in with the password alone', async () => {
    const ctx = s.server.context;
    const password = `pw-${randomBytes(6).toString('hex')}`;
    const account = await ctx.accounts.create({ login: `lost.phone.${randomBytes(3).toString('hex')}@example.com`, password }, null);
    const none: Factors = { totp: false, passkeys: 0, recovery_codes: 0 };
    assert.deepEqual((await api(url(), auditor, 'GET', `/users/${account.id}`)).json.factors, none);

    await enrolTotp(ctx, account);
    const enrolled: Factors = { totp: true, passkeys: 0, recovery_codes: 10 };
    assert.deepEqual((await api(url(), auditor, 'GET', `/users/${account.id}`)).json.factors, enrolled);
    const listed = (await api(url(), auditor, 'GET', `/users?query=${encodeURIComponent(account.login)}`)).json.items as User[];
    assert.deepEqual(listed.map((u) => [u.id, u.factors]), [[account.id, enrolled]]);
    await assert.rejects(signInForCallback(s.issuer, { login: account.login, password }), /no code/, 'the password alone no longer signs in');

    const refused = await api(url(), auditor, 'POST', `/users/${account.id}/mfa/reset`);
    assert.equal(refused.status, 403);
    assert.deepEqual(await ctx.secondFactors.summary(account.id), { totp: true, passkeys: 0, recoveryCodes: 10 }, 'a 403 changed nothing');

    const reset = await api(url(), support, 'POST', `/users/${encodeURIComponent(account.login)}/mfa/reset`);
    assert.equal(reset.status, 200, reset.text);
    assert.deepEqual(reset.json.removed, enrolled);
    assert.equal(reset.json.user.id, account.id);
    assert.deepEqual(reset.json.user.factors, none);
    assert.deepEqual(await ctx.secondFactors.summary(account.id), { totp: false, passkeys: 0, recoveryCodes: 0 });
    const [revoked, resetEvent] = (await api(url(), support, 'GET', `/users/${account.id}/events?limit=2`)).json.items;
    assert.deepEqual([resetEvent.type, resetEvent.actor, resetEvent.details], ['mfa.reset', 'client:users.support', { factor: 'all' }]);
    assert.deepEqual([revoked.type, revoked.actor, revoked.details.reason], ['account.tokens_revoked', 'client:users.support', 'mfa_reset']);
    await signInForCallback(s.issuer, { login: account.login, password });

    const again = await api(url(), support, 'POST', `/users/${account.id}/mfa/reset`);
    assert.equal(again.status, 200, 'an account without factors is reset all the same');
    assert.deepEqual(again.json.removed, none);
    assert.equal((await api(url(), support, 'POST', '/users/no-such-user/mfa/reset')).status, 404);
    assert.equal((await api(url(), support, 'POST', `/users/${account.id}/mfa/reset`, { all: true })).status, 400, 'no body is taken');
  });

  it('applications, links and events of an account', async () => {
    const ctx = s.server.context;
    const { callback } = await signInForCallback(s.issuer, s.user);
    await exchangeCode(s, callback.searchParams.get('code')!);
    const apps = await api(url(), support, 'GET', `/users/${s.user.id}/applications`);
    assert.equal(apps.status, 200, apps.text);
    const web = apps.json.items.find((a: { client_id: string }) => a.client_id === 'web.app');
    assert.ok(web, apps.text);
    assert.equal(web.client_name, 'Бухгалтерия Онлайн');
    assert.ok(web.scopes.includes('extern.api'));

    const partner = await createPartner(ctx, `users.partner.${randomBytes(2).toString('hex')}`);
    const linked = await linkedUser(ctx, partner, 'svc-42');
    const links = await api(url(), support, 'GET', `/users/${linked.id}/links`);
    assert.deepEqual(links.json.items.map((l: { client_id: string; service_user_id: string }) => [l.client_id, l.service_user_id]), [[partner.clientId, 'svc-42']]);

    await api(url(), support, 'POST', `/users/${linked.id}/revoke-tokens`);
    const events = await api(url(), support, 'GET', `/users/${linked.id}/events?limit=1`);
    assert.equal(events.status, 200);
    assert.equal(events.json.items[0].type, 'account.tokens_revoked');
    assert.equal(events.json.items[0].account_id, linked.id);
    for (const sub of ['applications', 'links', 'events']) assert.equal((await api(url(), support, 'GET', `/users/no-such-user/${sub}`)).status, 404);
  });
}

describe('management API: users (SQLite)', () => usersSuite('SQLite'));
describePostgres('management API: users (PostgreSQL)', () => usersSuite('PostgreSQL'));
