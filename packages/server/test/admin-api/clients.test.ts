/**
 * The clients operations of the management API, through HTTP (every answer checked against the
 * served OpenAPI document by api()), each with its effect seen through a public interface: an
 * issued key works at the token endpoint and a revoked one is refused, a disabled client is
 * refused, changed redirect URIs are what the authorization endpoint accepts, a permission and a
 * partner key added here let the trusted grant through. Secrets appear in the answer that creates
 * them and nowhere else (lists, reads, audit, the server's log); the audit actor is the operator;
 * support and auditor change nothing; bad input is a 4xx problem.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { basic, postForm, startTestServer, type TestServer } from '../support/server.ts';
import { createClient, createUser, resourceCredentials } from '../support/fixtures.ts';
import { claims, requestToken, sign, type Partner } from '../trusted/support.ts';
import { reqX509Cert } from '../unit/trusted/helpers.ts';
import { eventually } from '../cluster/support.ts';
import { api, machineOperator, type MachineOperator } from './support.ts';
import { publicJwk } from './samples.ts';

describe('management API: clients', () => {
  let server: TestServer;
  let admin: MachineOperator;
  let support: MachineOperator;
  let auditor: MachineOperator;
  const logs: string[] = [];
  /** Every secret an answer handed out, to look for everywhere else at the end. */
  const secrets: string[] = [];
  let rs: { clientId: string; secret: string };

  before(async () => {
    server = await startTestServer({ PROPUSK_LOG_LEVEL: 'trace' }, { logStream: { write: (line) => void logs.push(line) } });
    admin = await machineOperator(server.context, server.url, 'ops.admin', 'admin');
    support = await machineOperator(server.context, server.url, 'ops.support', 'support');
    auditor = await machineOperator(server.context, server.url, 'ops.auditor', 'auditor');
    rs = await resourceCredentials(server.context, 'extern.api');
  });
  after(() => server.stop());

  const call = (method: string, path: string, body?: unknown) => api(server.url, admin.token, method, path, body);
  const ccToken = (clientId: string, secret: string, scope = 'extern.api') =>
    postForm(`${server.url}/connect/token`, { grant_type: 'client_credentials', client_id: clientId, client_secret: secret, scope });
  const introspect = async (token: string) => (await postForm(`${server.url}/connect/introspect`, { token }, { authorization: basic(rs.clientId, rs.secret) })).json;
  const authorize = (clientId: string, redirectUri: string) =>
    fetch(`${server.url}/connect/authorize?${new URLSearchParams({ response_type: 'code', client_id: clientId, scope: 'openid', redirect_uri: redirectUri, state: 'st', nonce: 'n' })}`, { redirect: 'manual' });
  const lastEvent = async (type: string, clientId: string) => (await server.context.audit.tail({ type, limit: 1000 })).filter((e) => e.clientId === clientId).at(-1);

  async function problem(method: string, path: string, body: unknown, status: number, slug: string, detail?: RegExp) {
    const res = await call(method, path, body);
    assert.equal(res.status, status, `${method} ${path} ${JSON.stringify(body)}: ${res.text}`);
    assert.equal(res.json.type, `urn:propusk:problem:${slug}`, res.text);
    if (detail) assert.match(res.json.detail, detail, res.text);
    return res;
  }

  describe('register', () => {
    it('a confidential client: its first api-key, once, works at /connect/token; audited with the operator as actor', async () => {
      const res = await call('POST', '/clients', { client_id: 'svc.one', name: 'Service one', grant_types: ['client_credentials'], scopes: ['extern.api'] });
      assert.equal(res.status, 201, res.text);
      assert.equal(res.json.client_id, 'svc.one');
      assert.equal(res.json.kind, 'client');
      assert.deepEqual(res.json.grant_types, ['client_credentials']);
      assert.equal(res.json.application_type, 'web');
      assert.match(res.json.api_key, /^[0-9a-f-]{36}$/);
      secrets.push(res.json.api_key);
      assert.equal((await ccToken('svc.one', res.json.api_key)).status, 200);

      const read = await call('GET', '/clients/svc.one');
      assert.equal(read.status, 200);
      assert.equal(read.json.api_key, undefined);
      assert.ok(!read.text.includes(res.json.api_key));
      const keys = await call('GET', '/clients/svc.one/keys');
      assert.deepEqual(keys.json.items.map((k: { api_key_id: string }) => k.api_key_id), [res.json.api_key_id]);
      assert.deepEqual(Object.keys(keys.json.items[0]).sort(), ['api_key_id', 'created_at', 'label', 'last_used_at', 'revoked_at']);

      assert.equal((await lastEvent('client.created', 'svc.one'))?.actor, 'client:ops.admin');
      const issued = await lastEvent('api_key.issued', 'svc.one');
      assert.equal(issued?.actor, 'client:ops.admin');
      assert.deepEqual(issued?.details, { api_key_id: res.json.api_key_id });
    });

    it('issue_key false registers a confidential client without a key (invitation workflow); public clients have none', async () => {
      const res = await call('POST', '/clients', { client_id: 'svc.invited', name: 'Invited', grant_types: ['client_credentials'], issue_key: false });
      assert.equal(res.status, 201, res.text);
      assert.equal(res.json.api_key, null);
      assert.equal(res.json.api_key_id, null);
      assert.deepEqual((await call('GET', '/clients/svc.invited/keys')).json.items, []);
      assert.equal((await server.context.audit.tail({ type: 'api_key.issued', limit: 1000 })).filter((e) => e.clientId === 'svc.invited').length, 0);

      const pub = await call('POST', '/clients', {
        client_id: 'spa.one',
        name: 'SPA',
        grant_types: ['authorization_code', 'refresh_token'],
        redirect_uris: ['https://spa.example/cb'],
        public: true,
        application_type: 'web',
      });
      assert.equal(pub.status, 201, pub.text);
      assert.equal(pub.json.api_key, null);
      assert.equal(pub.json.public, true);
      assert.deepEqual(pub.json.scopes, ['openid']);
      assert.equal((await authorize('spa.one', 'https://spa.example/cb')).status, 303);
    });

    it('bad registrations are 400/409 problems naming the rule, and register nothing', async () => {
      const base = { client_id: 'svc.bad', name: 'Bad', grant_types: ['client_credentials'] };
      await problem('POST', '/clients', { ...base, client_id: 'no spaces' }, 400, 'invalid-request', /client_id must be/);
      await problem('POST', '/clients', { ...base, name: '  ' }, 400, 'invalid-request', /name must be/);
      await problem('POST', '/clients', { ...base, grant_types: [] }, 400, 'invalid-request', /grant types must not be empty/);
      await problem('POST', '/clients', { ...base, grant_types: ['password'] }, 400, 'invalid-request');
      // The short names are not grant types (the CLI does not take them either).
      await problem('POST', '/clients', { ...base, grant_types: ['device_code'] }, 400, 'invalid-request');
      await problem('POST', '/clients', { ...base, grant_types: ['jwt-bearer'] }, 400, 'invalid-request');
      await problem('POST', '/clients', { ...base, scopes: ['nope.api'] }, 400, 'invalid-request', /unknown scope "nope.api"/);
      await problem('POST', '/clients', { ...base, grant_types: ['authorization_code'] }, 400, 'invalid-request', /needs at least one redirect URI/);
      await problem('POST', '/clients', { ...base, redirect_uris: ['https://x.example/cb'] }, 400, 'invalid-request', /only used by the authorization_code grant/);
      for (const uri of ['http://example.com/cb', 'https://x.example/cb#frag', 'not a url', 'com.example.app:/cb']) {
        await problem('POST', '/clients', { ...base, grant_types: ['authorization_code'], redirect_uris: [uri] }, 400, 'invalid-request');
      }
      await problem('POST', '/clients', { ...base, grant_types: ['authorization_code'], redirect_uris: Array.from({ length: 21 }, (_, i) => `https://x.example/${i}`) }, 400, 'invalid-request', /at most 20/);
      await problem('POST', '/clients', { ...base, public: true }, 400, 'invalid-request', /public client cannot use client_credentials/);
      await problem('POST', '/clients', { ...base, application_type: 'desktop' }, 400, 'invalid-request');
      await problem('POST', '/clients', { ...base, secret: 'x' }, 400, 'invalid-request');
      await problem('POST', '/clients', { ...base, issue_key: 'no' }, 400, 'invalid-request');
      await problem('POST', '/clients', { name: 'No id', grant_types: ['client_credentials'] }, 400, 'invalid-request');
      assert.equal((await call('GET', '/clients/svc.bad')).status, 404);
      await problem('POST', '/clients', { ...base, client_id: 'svc.one' }, 409, 'conflict', /already exists/);
    });
  });

  describe('read', () => {
    it('lists every client once by client_id, page by page, with kind and operator roles; never a key', async () => {
      const seen: { client_id: string; kind: string; roles: string[] }[] = [];
      let cursor: string | null = null;
      do {
        const page = await call('GET', `/clients?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
        assert.equal(page.status, 200, page.text);
        assert.ok(page.json.items.length <= 2);
        for (const secret of secrets) assert.ok(!page.text.includes(secret));
        seen.push(...page.json.items);
        cursor = page.json.next_cursor;
      } while (cursor);
      const ids = seen.map((c) => c.client_id);
      assert.deepEqual(ids, [...ids].sort());
      assert.equal(new Set(ids).size, ids.length);
      assert.deepEqual(ids.sort(), (await server.context.clients.list()).map((c) => c.clientId).sort());
      const byId = new Map(seen.map((c) => [c.client_id, c]));
      assert.equal(byId.get('propusk-console')?.kind, 'first-party');
      assert.equal(byId.get('rs.propusk.admin')?.kind, 'introspection');
      assert.equal(byId.get('rs.extern.api')?.kind, 'introspection');
      assert.equal(byId.get('svc.one')?.kind, 'client');
      assert.deepEqual(byId.get('ops.admin')?.roles, ['admin']);
      assert.deepEqual(byId.get('svc.one')?.roles, []);
    });

    it('filters by kind', async () => {
      const ids = async (kind: string) => (await call('GET', `/clients?kind=${kind}&limit=200`)).json.items.map((c: { client_id: string }) => c.client_id);
      assert.deepEqual(await ids('first-party'), ['propusk-console']);
      const introspection = await ids('introspection');
      assert.ok(introspection.includes('rs.propusk.admin') && introspection.includes('rs.extern.api'));
      assert.ok(introspection.every((id: string) => id.startsWith('rs.')));
      const clients = await ids('client');
      assert.ok(clients.includes('svc.one') && !clients.includes('propusk-console') && !clients.some((id: string) => id.startsWith('rs.')));
      await problem('GET', '/clients?kind=robot', undefined, 400, 'invalid-request');
    });

    it('bad cursors, limits and unknown ids are problems', async () => {
      for (const path of ['/clients', '/clients/svc.one/keys', '/clients/svc.one/partner-keys']) {
        await problem('GET', `${path}?cursor=%%%`, undefined, 400, 'invalid-cursor');
        await problem('GET', `${path}?cursor=${Buffer.from('["a","b","c"]').toString('base64url')}`, undefined, 400, 'invalid-cursor');
        await problem('GET', `${path}?limit=0`, undefined, 400, 'invalid-request');
        await problem('GET', `${path}?bogus=1`, undefined, 400, 'invalid-request');
      }
      for (const path of ['/clients/nobody', '/clients/nobody/keys', '/clients/nobody/partner-keys']) await problem('GET', path, undefined, 404, 'not-found');
    });
  });

  describe('change', () => {
    it('redirect URIs: the authorization endpoint accepts the new one at once and refuses the old; audited with before and after', async () => {
      const created = await call('POST', '/clients', { client_id: 'web.one', name: 'Web', grant_types: ['authorization_code'], redirect_uris: ['https://old.example/cb'], scopes: ['openid'] });
      assert.equal(created.status, 201, created.text);
      secrets.push(created.json.api_key);
      assert.equal((await authorize('web.one', 'https://old.example/cb')).status, 303);
      assert.equal((await authorize('web.one', 'https://new.example/cb')).status, 400);

      const res = await call('PATCH', '/clients/web.one', { redirect_uris: ['https://new.example/cb'], name: 'Web (renamed)' });
      assert.equal(res.status, 200, res.text);
      assert.deepEqual(res.json.redirect_uris, ['https://new.example/cb']);
      assert.equal(res.json.name, 'Web (renamed)');
      assert.equal((await authorize('web.one', 'https://new.example/cb')).status, 303);
      assert.equal((await authorize('web.one', 'https://old.example/cb')).status, 400);

      const event = await lastEvent('client.updated', 'web.one');
      assert.equal(event?.actor, 'client:ops.admin');
      assert.deepEqual(event?.details, {
        changed: ['name', 'redirect_uris'],
        before: { redirect_uris: ['https://old.example/cb'] },
        after: { redirect_uris: ['https://new.example/cb'] },
      });
      const again = await call('PATCH', '/clients/web.one', { redirect_uris: ['https://new.example/cb'] });
      assert.equal(again.status, 200);
      assert.equal((await server.context.audit.tail({ type: 'client.updated', limit: 1000 })).filter((e) => e.clientId === 'web.one').length, 1, 'no change, no event');
    });

    it('scopes and grant types: the token endpoint follows at once', async () => {
      const { apiKey } = await createClient(server.context, { clientId: 'svc.scopes' });
      assert.equal((await ccToken('svc.scopes', apiKey, 'extern.test-tools')).status, 400);
      const res = await call('PATCH', '/clients/svc.scopes', { scopes: ['extern.api', 'extern.test-tools'] });
      assert.equal(res.status, 200, res.text);
      assert.equal((await ccToken('svc.scopes', apiKey, 'extern.test-tools')).status, 200);
      assert.deepEqual((await lastEvent('client.updated', 'svc.scopes'))?.details, {
        changed: ['scopes'],
        before: { scopes: ['extern.api'] },
        after: { scopes: ['extern.api', 'extern.test-tools'] },
      });

      const grants = await call('PATCH', '/clients/svc.scopes', { grant_types: ['authorization_code'], redirect_uris: ['https://svc.example/cb'] });
      assert.equal(grants.status, 200, grants.text);
      const refused = await ccToken('svc.scopes', apiKey);
      assert.equal(refused.status, 400, refused.text);
      assert.equal(refused.json.error, 'unauthorized_client');
    });

    it('require_mfa: at registration and by PATCH (alone or with other members), audited as client.require_mfa; the same value changes nothing', async () => {
      const created = await call('POST', '/clients', { client_id: 'svc.mfa', name: 'Strict', grant_types: ['authorization_code'], redirect_uris: ['https://mfa.example/cb'], require_mfa: true });
      assert.equal(created.status, 201, created.text);
      assert.equal(created.json.require_mfa, true);
      secrets.push(created.json.api_key);
      assert.equal((await call('GET', '/clients/svc.mfa')).json.require_mfa, true);
      assert.equal((await call('POST', '/clients', { client_id: 'svc.nomfa', name: 'Lax', grant_types: ['client_credentials'], scopes: ['extern.api'], issue_key: false })).json.require_mfa, false);

      const off = await call('PATCH', '/clients/svc.mfa', { require_mfa: false });
      assert.equal(off.status, 200, off.text);
      assert.equal(off.json.require_mfa, false);
      const event = await lastEvent('client.require_mfa', 'svc.mfa');
      assert.deepEqual([event?.actor, event?.details], ['client:ops.admin', { require_mfa: false }]);
      assert.equal(await lastEvent('client.updated', 'svc.mfa'), undefined, 'nothing else changed');

      const both = await call('PATCH', '/clients/svc.mfa', { name: 'Strict again', require_mfa: true });
      assert.equal(both.status, 200, both.text);
      assert.deepEqual([both.json.name, both.json.require_mfa], ['Strict again', true]);
      assert.deepEqual((await lastEvent('client.updated', 'svc.mfa'))?.details.changed, ['name']);
      const same = await call('PATCH', '/clients/svc.mfa', { require_mfa: true });
      assert.equal(same.json.require_mfa, true);
      const events = (await server.context.audit.tail({ type: 'client.require_mfa', limit: 1000 })).filter((e) => e.clientId === 'svc.mfa');
      assert.deepEqual(events.map((e) => e.details.require_mfa), [false, true], 'the same value again is no change');
    });

    it('a change is checked as a whole as at registration; a refused one changes nothing', async () => {
      const before = (await call('GET', '/clients/web.one')).json;
      await problem('PATCH', '/clients/web.one', { redirect_uris: ['http://evil.example/cb'] }, 400, 'invalid-request', /must use https/);
      await problem('PATCH', '/clients/web.one', { redirect_uris: [] }, 400, 'invalid-request', /needs at least one redirect URI/);
      await problem('PATCH', '/clients/web.one', { grant_types: ['client_credentials'] }, 400, 'invalid-request', /only used by the authorization_code grant/);
      await problem('PATCH', '/clients/web.one', { grant_types: ['device_code'] }, 400, 'invalid-request');
      await problem('PATCH', '/clients/web.one', { scopes: ['nope.api'] }, 400, 'invalid-request', /unknown scope/);
      await problem('PATCH', '/clients/web.one', { name: '' }, 400, 'invalid-request', /name must be/);
      await problem('PATCH', '/clients/web.one', { post_logout_redirect_uris: ['ftp://x.example/'] }, 400, 'invalid-request', /post-logout redirect URI/);
      await problem('PATCH', '/clients/web.one', { public: true }, 400, 'invalid-request');
      await problem('PATCH', '/clients/web.one', { client_id: 'other' }, 400, 'invalid-request');
      await problem('PATCH', '/clients/web.one', { scopes: 'openid' }, 400, 'invalid-request');
      await problem('PATCH', '/clients/spa.one', { grant_types: ['authorization_code', 'client_credentials'] }, 400, 'invalid-request', /public client/);
      await problem('PATCH', '/clients/web.one', { scopes: ['openid', 'propusk.admin'] }, 400, 'invalid-request', /operator roles/);
      await problem('PATCH', '/clients/nobody', { name: 'x' }, 404, 'not-found');
      assert.deepEqual((await call('GET', '/clients/web.one')).json, before);
    });

    it("Propusk's console and the introspection clients of APIs are managed by Propusk: 409", async () => {
      const console = (await call('GET', '/clients/propusk-console')).json;
      await problem('PATCH', '/clients/propusk-console', { redirect_uris: ['https://evil.example/cb'] }, 409, 'conflict', /console/);
      await problem('PATCH', '/clients/propusk-console', { name: 'Mine' }, 409, 'conflict');
      await problem('PATCH', '/clients/propusk-console', { scopes: ['openid'] }, 409, 'conflict');
      await problem('PATCH', '/clients/propusk-console', { require_mfa: true }, 409, 'conflict');
      await problem('PATCH', '/clients/rs.extern.api', { require_mfa: true }, 409, 'conflict');
      assert.deepEqual((await call('GET', '/clients/propusk-console')).json, console);
      await problem('PATCH', '/clients/rs.extern.api', { grant_types: ['client_credentials'] }, 409, 'conflict', /introspection client/);
      await problem('PATCH', '/clients/rs.propusk.admin', { scopes: ['openid'] }, 409, 'conflict', /introspection client/);
      const renamed = await call('PATCH', '/clients/rs.extern.api', { name: 'Extern API introspection' });
      assert.equal(renamed.status, 200, renamed.text);
      assert.equal(renamed.json.name, 'Extern API introspection');
      assert.deepEqual(renamed.json.grant_types, []);
    });
  });

  describe('disable, enable, revoke tokens', () => {
    it('a disabled client is refused at the token endpoint and its tokens are gone; enabled, it works again', async () => {
      const { apiKey } = await createClient(server.context, { clientId: 'svc.off' });
      const token = (await ccToken('svc.off', apiKey)).json.access_token as string;
      const res = await call('POST', '/clients/svc.off/disable');
      assert.equal(res.status, 200, res.text);
      assert.equal(res.json.disabled, true);
      assert.ok(res.json.revoked >= 1);
      const refused = await ccToken('svc.off', apiKey);
      assert.equal(refused.status, 401, refused.text);
      assert.equal(refused.json.error, 'invalid_client');
      assert.equal((await introspect(token)).active, false);
      assert.equal((await lastEvent('client.disabled', 'svc.off'))?.actor, 'client:ops.admin');

      const enabled = await call('POST', '/clients/svc.off/enable');
      assert.equal(enabled.status, 200, enabled.text);
      assert.equal(enabled.json.disabled, false);
      assert.equal((await ccToken('svc.off', apiKey)).status, 200);
      assert.equal((await lastEvent('client.enabled', 'svc.off'))?.actor, 'client:ops.admin');
    });

    it('revoke-tokens: the tokens stop working, the client does not', async () => {
      const { apiKey } = await createClient(server.context, { clientId: 'svc.revoke' });
      const token = (await ccToken('svc.revoke', apiKey)).json.access_token as string;
      assert.equal((await introspect(token)).active, true);
      const res = await call('POST', '/clients/svc.revoke/revoke-tokens');
      assert.equal(res.status, 200, res.text);
      assert.deepEqual(res.json, { client_id: 'svc.revoke', revoked: 1 });
      assert.equal((await introspect(token)).active, false);
      assert.equal((await ccToken('svc.revoke', apiKey)).status, 200);
      assert.equal((await lastEvent('client.tokens_revoked', 'svc.revoke'))?.actor, 'client:ops.admin');
    });

    it('unknown clients and bodies where none is taken', async () => {
      for (const action of ['disable', 'enable', 'revoke-tokens']) {
        await problem('POST', `/clients/nobody/${action}`, undefined, 404, 'not-found');
        await problem('POST', `/clients/svc.one/${action}`, { force: true }, 400, 'invalid-request');
      }
    });
  });

  describe('api-keys', () => {
    it('issue: the key works at once and is shown only in that answer; revoke: refused within a second; audited', async () => {
      const issued = await call('POST', '/clients/svc.one/keys', { label: 'rotation 2' });
      assert.equal(issued.status, 201, issued.text);
      assert.equal(issued.json.client_id, 'svc.one');
      secrets.push(issued.json.api_key);
      assert.equal((await ccToken('svc.one', issued.json.api_key)).status, 200);
      const list = await call('GET', '/clients/svc.one/keys');
      const meta = list.json.items.find((k: { api_key_id: string }) => k.api_key_id === issued.json.api_key_id);
      assert.equal(meta.label, 'rotation 2');
      assert.equal(meta.revoked_at, null);
      assert.ok(!list.text.includes(issued.json.api_key));
      assert.ok(!/hash/i.test(list.text));
      assert.equal((await lastEvent('api_key.issued', 'svc.one'))?.actor, 'client:ops.admin');

      const revoked = await call('DELETE', `/clients/svc.one/keys/${issued.json.api_key_id}`);
      assert.equal(revoked.status, 204, revoked.text);
      assert.equal(revoked.text, '');
      const { afterMs } = await eventually('the revoked key is refused', 1000, async () => ((await ccToken('svc.one', issued.json.api_key)).status === 401 ? true : undefined));
      assert.ok(afterMs < 1000);
      const after = (await call('GET', '/clients/svc.one/keys')).json.items.find((k: { api_key_id: string }) => k.api_key_id === issued.json.api_key_id);
      assert.ok(after.revoked_at);
      const event = await lastEvent('api_key.revoked', 'svc.one');
      assert.equal(event?.actor, 'client:ops.admin');
      assert.deepEqual(event?.details, { api_key_id: issued.json.api_key_id });
    });

    it('keys are paged oldest first', async () => {
      const { apiKeyId } = await createClient(server.context, { clientId: 'svc.many' });
      const ids = [apiKeyId];
      for (let i = 0; i < 4; i++) ids.push((await call('POST', '/clients/svc.many/keys', {})).json.api_key_id);
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page = await call('GET', `/clients/svc.many/keys?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
        seen.push(...page.json.items.map((k: { api_key_id: string }) => k.api_key_id));
        cursor = page.json.next_cursor;
      } while (cursor);
      assert.deepEqual(seen, ids);
    });

    it('unknown keys and clients, revoked keys, public clients, long labels', async () => {
      await problem('DELETE', '/clients/svc.one/keys/no-such-key', undefined, 404, 'not-found');
      const revoked = (await call('GET', '/clients/svc.one/keys')).json.items.find((k: { revoked_at: string | null }) => k.revoked_at !== null);
      await problem('DELETE', `/clients/svc.one/keys/${revoked.api_key_id}`, undefined, 404, 'not-found');
      await problem('DELETE', '/clients/nobody/keys/x', undefined, 404, 'not-found');
      await problem('POST', '/clients/nobody/keys', {}, 404, 'not-found');
      await problem('POST', '/clients/spa.one/keys', {}, 400, 'invalid-request', /public/);
      await problem('POST', '/clients/svc.one/keys', { label: 'x'.repeat(201) }, 400, 'invalid-request', /label/);
      await problem('POST', '/clients/svc.one/keys', { label: 7 }, 400, 'invalid-request');
      await problem('POST', '/clients/svc.one/keys', { note: 'x' }, 400, 'invalid-request');
    });
  });

  describe('invitations', () => {
    it('the invitation link, once, opens the invitation page; audited without the link', async () => {
      const res = await call('POST', '/clients/svc.invited/invitations', { email: 'owner@example.com', ttl: '2d', allow_signup: true });
      assert.equal(res.status, 201, res.text);
      assert.equal(res.json.client_id, 'svc.invited');
      assert.ok(res.json.url.startsWith(`${server.url}/integrations/`), res.json.url);
      const expires = Date.parse(res.json.expires_at) - Date.now();
      assert.ok(expires > 47 * 3600_000 && expires <= 48 * 3600_000, res.json.expires_at);
      const token = res.json.url.split('/').at(-1) as string;
      secrets.push(token);
      const page = await fetch(res.json.url, { headers: { 'accept-language': 'en' } });
      assert.equal(page.status, 200);
      const event = await lastEvent('integration.invitation_created', 'svc.invited');
      assert.equal(event?.actor, 'client:ops.admin');
      assert.equal(event?.details.invitation_id, res.json.invitation_id);
      assert.equal(event?.details.email, 'owner@example.com');
    });

    it('bad input', async () => {
      await problem('POST', '/clients/nobody/invitations', {}, 404, 'not-found');
      await problem('POST', '/clients/svc.invited/invitations', { ttl: '91d' }, 400, 'invalid-request', /90d/);
      await problem('POST', '/clients/svc.invited/invitations', { ttl: 'soon' }, 400, 'invalid-request', /ttl/);
      await problem('POST', '/clients/svc.invited/invitations', { email: 'not-an-email' }, 400, 'invalid-request', /email/);
      await problem('POST', '/clients/svc.invited/invitations', { allow_signup: 'yes' }, 400, 'invalid-request');
    });
  });

  describe('permissions and partner keys: the trusted grant', () => {
    const SUB = 'partner-user-1';
    let partner: Partner;

    before(async () => {
      const created = await call('POST', '/clients', { client_id: 'partner.api', name: 'Partner', grant_types: ['trusted'], scopes: ['extern.api'] });
      assert.equal(created.status, 201, created.text);
      secrets.push(created.json.api_key);
      const { privateKey, publicKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
      partner = { clientId: 'partner.api', apiKey: created.json.api_key, privateKey, publicKey, kid: 'partner-1' };
      const { account } = await createUser(server.context);
      await server.context.links.createBySupport('partner.api', SUB, account.id, null);
    });

    const trusted = async (key = partner.privateKey, kid = partner.kid) => requestToken(server, partner, await sign({ ...partner, kid }, claims(partner, SUB), {}, key));

    it('a JWK object added here and the trusted permission granted here let the trusted grant through; revoked, it is refused', async () => {
      const added = await call('POST', '/clients/partner.api/partner-keys', { key: { ...partner.publicKey.export({ format: 'jwk' }), kid: partner.kid } });
      assert.equal(added.status, 201, added.text);
      assert.equal(added.json.keys.length, 1);
      assert.equal(added.json.keys[0].kid, partner.kid);
      assert.equal(added.json.keys[0].source, 'jwk');
      assert.equal((await lastEvent('partner_key.added', 'partner.api'))?.actor, 'client:ops.admin');

      const before = await trusted();
      assert.equal(before.status, 400, before.text);
      assert.equal(before.json.error, 'unauthorized_client');

      const granted = await call('PUT', '/clients/partner.api/permissions/trusted');
      assert.equal(granted.status, 200, granted.text);
      assert.deepEqual(granted.json, { client_id: 'partner.api', permissions: ['trusted'] });
      assert.equal((await call('PUT', '/clients/partner.api/permissions/trusted')).json.permissions.length, 1, 'granting twice changes nothing');
      const ok = await trusted();
      assert.equal(ok.status, 200, ok.text);
      assert.equal((await lastEvent('client.permission_granted', 'partner.api'))?.actor, 'client:ops.admin');

      const withdrawn = await call('DELETE', '/clients/partner.api/permissions/trusted');
      assert.equal(withdrawn.status, 200, withdrawn.text);
      assert.deepEqual(withdrawn.json.permissions, []);
      assert.equal((await trusted()).status, 400);
      assert.equal((await lastEvent('client.permission_revoked', 'partner.api'))?.actor, 'client:ops.admin');
      assert.equal((await call('PUT', '/clients/partner.api/permissions/trusted')).status, 200);
    });

    it('an SPKI PEM, a certificate and a JWKS as text are accepted; a JWT signed with each key passes', async () => {
      const spki = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
      const fromSpki = await call('POST', '/clients/partner.api/partner-keys', { key: spki.publicKey.export({ type: 'spki', format: 'pem' }) });
      assert.equal(fromSpki.status, 201, fromSpki.text);
      assert.equal(fromSpki.json.keys[0].source, 'spki');
      assert.equal((await trusted(spki.privateKey, fromSpki.json.keys[0].kid)).status, 200);

      const cert = reqX509Cert();
      const fromCert = await call('POST', '/clients/partner.api/partner-keys', { key: cert.certPem, require_aud: false });
      assert.equal(fromCert.status, 201, fromCert.text);
      assert.equal(fromCert.json.keys[0].source, 'certificate');
      assert.match(fromCert.json.keys[0].x5t_s256, /^[A-Za-z0-9_-]{43}$/);
      assert.ok(fromCert.json.keys[0].not_after);
      assert.equal((await trusted(cert.privateKey, fromCert.json.keys[0].kid)).status, 200);

      const jwks = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
      const fromJwks = await call('POST', '/clients/partner.api/partner-keys', { key: JSON.stringify({ keys: [{ ...jwks.publicKey.export({ format: 'jwk' }), kid: 'set-1' }] }) });
      assert.equal(fromJwks.status, 201, fromJwks.text);
      assert.equal((await trusted(jwks.privateKey, 'set-1')).status, 200);

      const list = await call('GET', '/clients/partner.api/partner-keys');
      assert.equal(list.status, 200);
      assert.deepEqual(list.json.items.map((k: { kid: string }) => k.kid), [partner.kid, fromSpki.json.keys[0].kid, fromCert.json.keys[0].kid, 'set-1']);
      assert.ok(!/"(n|e|d)":/.test(list.text), 'no key material in the list');
    });

    it('require_aud makes the partner name the audience', async () => {
      const key = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
      const res = await call('POST', '/clients/partner.api/partner-keys', { key: { ...key.publicKey.export({ format: 'jwk' }), kid: 'aud-1' }, require_aud: true });
      assert.equal(res.status, 201, res.text);
      assert.equal(res.json.partner_require_aud, true);
      assert.equal((await call('GET', '/clients/partner.api')).json.partner_require_aud, true);
      assert.equal((await trusted(key.privateKey, 'aud-1')).status, 400, 'no aud');
      const withAud = await requestToken(server, partner, await sign({ ...partner, kid: 'aud-1' }, claims(partner, SUB, { aud: server.issuer }), {}, key.privateKey));
      assert.equal(withAud.status, 200, withAud.text);
      await server.context.clients.setPartnerRequireAud('partner.api', false, 'admin-cli');
    });

    it('remove by kid or by id: JWTs signed with the key are refused; audited', async () => {
      const byKid = await call('DELETE', `/clients/partner.api/partner-keys/${partner.kid}`);
      assert.equal(byKid.status, 204, byKid.text);
      const refused = await trusted();
      assert.equal(refused.status, 400, refused.text);
      assert.equal(refused.json.error, 'invalid_grant');
      const removed = await lastEvent('partner_key.removed', 'partner.api');
      assert.equal(removed?.actor, 'client:ops.admin');
      assert.equal(removed?.details.kid, partner.kid);

      const set1 = (await call('GET', '/clients/partner.api/partner-keys')).json.items.find((k: { kid: string }) => k.kid === 'set-1');
      assert.equal((await call('DELETE', `/clients/partner.api/partner-keys/${set1.key_id}`)).status, 204);
      await problem('DELETE', `/clients/partner.api/partner-keys/${set1.key_id}`, undefined, 404, 'not-found');
    });

    it('refused keys and unknown permissions: 400 naming what is wrong; duplicates 409; unknown ids 404', async () => {
      const count = async () => (await call('GET', '/clients/partner.api/partner-keys')).json.items.length;
      const before = await count();
      const pair = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
      await problem('POST', '/clients/partner.api/partner-keys', { key: pair.privateKey.export({ format: 'jwk' }) }, 400, 'invalid-request', /private/);
      await problem('POST', '/clients/partner.api/partner-keys', { key: pair.privateKey.export({ type: 'pkcs8', format: 'pem' }) }, 400, 'invalid-request', /private key/);
      const small = crypto.generateKeyPairSync('rsa', { modulusLength: 1024 });
      await problem('POST', '/clients/partner.api/partner-keys', { key: small.publicKey.export({ format: 'jwk' }) }, 400, 'invalid-request', /2048/);
      const ec = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
      await problem('POST', '/clients/partner.api/partner-keys', { key: ec.publicKey.export({ format: 'jwk' }) }, 400, 'invalid-request', /RSA/);
      await problem('POST', '/clients/partner.api/partner-keys', { key: 'hello' }, 400, 'invalid-request');
      await problem('POST', '/clients/partner.api/partner-keys', { key: '' }, 400, 'invalid-request');
      await problem('POST', '/clients/partner.api/partner-keys', { key: {} }, 400, 'invalid-request');
      await problem('POST', '/clients/partner.api/partner-keys', { key: 42 }, 400, 'invalid-request');
      await problem('POST', '/clients/partner.api/partner-keys', {}, 400, 'invalid-request');
      await problem('POST', '/clients/partner.api/partner-keys', { key: publicJwk(), extra: 1 }, 400, 'invalid-request');
      await problem('POST', '/clients/partner.api/partner-keys', { key: { ...pair.publicKey.export({ format: 'jwk' }), kid: 'aud-1' } }, 409, 'conflict', /aud-1/);
      await problem('POST', '/clients/spa.one/partner-keys', { key: publicJwk() }, 400, 'invalid-request', /public/);
      await problem('POST', '/clients/nobody/partner-keys', { key: publicJwk() }, 404, 'not-found');
      await problem('DELETE', '/clients/partner.api/partner-keys/nothing', undefined, 404, 'not-found');
      await problem('DELETE', '/clients/nobody/partner-keys/nothing', undefined, 404, 'not-found');
      assert.equal(await count(), before);

      const unknown = await problem('PUT', '/clients/partner.api/permissions/admin', undefined, 400, 'invalid-request', /trusted, link-by-phone/);
      assert.match(unknown.json.detail, /unknown permission "admin"/);
      await problem('DELETE', '/clients/partner.api/permissions/everything', undefined, 400, 'invalid-request', /trusted, link-by-phone/);
      await problem('PUT', '/clients/nobody/permissions/trusted', undefined, 404, 'not-found');
      await problem('PUT', '/clients/partner.api/permissions/trusted', { on: true }, 400, 'invalid-request');
    });
  });

  it('support and auditor get 403 on every change, and nothing changes', async () => {
    const { apiKeyId } = await createClient(server.context, { clientId: 'svc.guarded', grantTypes: ['client_credentials', 'trusted'] });
    const [key] = await server.context.partnerKeys.add('svc.guarded', JSON.stringify(publicJwk()), null);
    const state = async () => JSON.stringify([
      (await call('GET', '/clients/svc.guarded')).json,
      (await call('GET', '/clients/svc.guarded/keys')).json,
      (await call('GET', '/clients/svc.guarded/partner-keys')).json,
      (await call('GET', '/clients?limit=200')).json.items.map((c: { client_id: string }) => c.client_id),
    ]);
    const mutations: [string, string, unknown?][] = [
      ['POST', '/clients', { client_id: 'svc.sneaky', name: 'Sneaky', grant_types: ['client_credentials'] }],
      ['PATCH', '/clients/svc.guarded', { name: 'Changed' }],
      ['POST', '/clients/svc.guarded/disable'],
      ['POST', '/clients/svc.guarded/enable'],
      ['POST', '/clients/svc.guarded/revoke-tokens'],
      ['POST', '/clients/svc.guarded/keys', {}],
      ['DELETE', `/clients/svc.guarded/keys/${apiKeyId}`],
      ['POST', '/clients/svc.guarded/invitations', {}],
      ['PUT', '/clients/svc.guarded/permissions/trusted'],
      ['DELETE', '/clients/svc.guarded/permissions/trusted'],
      ['POST', '/clients/svc.guarded/partner-keys', { key: publicJwk() }],
      ['DELETE', `/clients/svc.guarded/partner-keys/${key!.id}`],
    ];
    const before = await state();
    const events = (await server.context.audit.tail({ limit: 100_000 })).length;
    for (const who of [support, auditor]) {
      for (const [method, path, body] of mutations) {
        const res = await api(server.url, who.token, method, path, body);
        assert.equal(res.status, 403, `${who.clientId} ${method} ${path}: ${res.text}`);
        assert.equal(res.json.type, 'urn:propusk:problem:forbidden');
      }
    }
    assert.equal(await state(), before);
    assert.equal((await server.context.audit.tail({ limit: 100_000 })).length, events, 'nothing audited');
    assert.equal((await api(server.url, auditor.token, 'GET', '/clients/svc.guarded')).status, 200, 'an auditor reads');
    assert.equal((await api(server.url, support.token, 'GET', '/clients/svc.guarded')).status, 403, 'support does not');
  });

  it('no secret handed out above appears in a list, a read, the audit trail or the server log', async () => {
    assert.equal(secrets.length, 6);
    const lists = [(await call('GET', '/clients?limit=200')).text];
    for (const id of ['svc.one', 'web.one', 'partner.api', 'svc.invited', 'svc.mfa']) {
      lists.push((await call('GET', `/clients/${id}`)).text, (await call('GET', `/clients/${id}/keys`)).text);
    }
    const audit = JSON.stringify(await server.context.audit.tail({ limit: 100_000 }));
    const log = logs.join('\n');
    assert.ok(log.includes('audit client.created'), 'the log was captured');
    for (const secret of secrets) {
      for (const text of lists) assert.ok(!text.includes(secret), 'not in a list or a read');
      assert.ok(!audit.includes(secret), 'not in the audit trail');
      assert.ok(!log.includes(secret), 'not in the log');
    }
  });
});
