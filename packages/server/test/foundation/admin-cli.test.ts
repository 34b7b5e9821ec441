/** The admin CLI as a child process against the database of a running server. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { postForm, runCli, startTestServer, type TestServer } from '../support/server.ts';

describe('propusk admin', () => {
  let server: TestServer;
  let env: Record<string, string>;
  before(async () => {
    server = await startTestServer();
    env = { DATABASE_URL: server.env.DATABASE_URL!, PROPUSK_ISSUER: server.issuer };
  });
  after(() => server.stop());

  const json = async (args: string[], stdin?: string) => {
    const r = await runCli(['admin', ...args, '--json'], env, stdin);
    assert.equal(r.code, 0, r.stderr);
    return JSON.parse(r.stdout) as unknown;
  };
  /** The status of a token request, retried for up to a second until it equals `want` ("takes effect within a second"). */
  const statusWithin = async (clientId: string, secret: string, want: number) => {
    const deadline = Date.now() + 1000;
    let status = 0;
    do {
      status = (await cc(clientId, secret)).status;
      if (status !== want) await new Promise((r) => setTimeout(r, 50));
    } while (status !== want && Date.now() < deadline);
    return status;
  };
  const cc = (clientId: string, secret: string) =>
    postForm(`${server.url}/connect/token`, { grant_type: 'client_credentials', client_id: clientId, client_secret: secret, scope: 'extern.api' });

  it('client create prints client_id, api_key and api_key_id; the key works at once', async () => {
    const out = (await json(['client', 'create', '--client-id', 'awesome_device_client', '--name', 'Awesome', '--grant-types', 'client_credentials', '--scopes', 'extern.api'])) as Record<string, string>;
    assert.deepEqual(Object.keys(out).sort(), ['api_key', 'api_key_id', 'client_id']);
    assert.equal(out.client_id, 'awesome_device_client');
    assert.match(out.api_key!, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal((await cc(out.client_id, out.api_key!)).status, 200);
  });

  it('client list and list-keys show the client and its keys, never a key itself', async () => {
    const created = (await json(['client', 'create', '--client-id', 'extern.listed', '--name', 'Listed', '--grant-types', 'client_credentials', '--scopes', 'extern.api'])) as Record<string, string>;
    const list = (await json(['client', 'list'])) as { client_id: string; grant_types: string[] }[];
    const found = list.find((c) => c.client_id === 'extern.listed');
    assert.deepEqual(found?.grant_types, ['client_credentials']);
    const keys = await runCli(['admin', 'client', 'list-keys', 'extern.listed', '--json'], env);
    assert.equal(keys.code, 0);
    assert.ok(keys.stdout.includes(created.api_key_id!));
    assert.ok(!keys.stdout.includes(created.api_key!));
    const human = await runCli(['admin', 'client', 'list'], env);
    assert.match(human.stdout, /extern\.listed/);
    assert.ok(!human.stdout.includes(created.api_key!));
  });

  it('issue-key adds a key; revoke-key stops it on the running server within a second', async () => {
    const created = (await json(['client', 'create', '--client-id', 'rotating', '--name', 'Rotating', '--grant-types', 'client_credentials', '--scopes', 'extern.api'])) as Record<string, string>;
    assert.equal((await cc('rotating', created.api_key!)).status, 200);
    const second = (await json(['client', 'issue-key', 'rotating'])) as Record<string, string>;
    assert.equal(second.client_id, 'rotating');
    assert.notEqual(second.api_key, created.api_key);
    assert.equal(await statusWithin('rotating', second.api_key!, 200), 200, 'new key not accepted within 1 s');
    assert.equal((await cc('rotating', created.api_key!)).status, 200);

    const revoked = (await json(['client', 'revoke-key', 'rotating', created.api_key_id!])) as Record<string, unknown>;
    assert.equal(revoked.revoked, true);
    assert.equal(await statusWithin('rotating', created.api_key!, 401), 401, 'revoked key still accepted after 1 s');
    assert.equal((await cc('rotating', second.api_key!)).status, 200);
  });

  it('user create, list, set-password and disable', async () => {
    const user = (await json(['user', 'create', '--login', 'Anna@Example.com', '--password-stdin', '--phone', '+7 (912) 345-67-89', '--given-name', 'Анна', '--family-name', 'Иванова'], 'correct horse battery\n')) as Record<string, unknown>;
    assert.equal(user.login, 'anna@example.com');
    assert.equal(user.phone, '9123456789');
    assert.equal(user.password_hash, undefined);
    const list = (await json(['user', 'list'])) as { login: string }[];
    assert.ok(list.some((u) => u.login === 'anna@example.com'));
    assert.ok(await server.context.accounts.authenticate('anna@example.com', 'correct horse battery'));
    await json(['user', 'set-password', 'anna@example.com', '--password', 'another long password']);
    assert.equal(await server.context.accounts.authenticate('anna@example.com', 'correct horse battery'), undefined);
    assert.ok(await server.context.accounts.authenticate('9123456789', 'another long password'));
    const disabled = (await json(['user', 'disable', 'anna@example.com'])) as Record<string, unknown>;
    assert.equal(disabled.disabled, true);
    assert.equal(await server.context.accounts.authenticate('anna@example.com', 'another long password'), undefined);
  });

  it('resource create prints the API credentials, which can introspect its tokens', async () => {
    const r = (await json(['resource', 'create', '--scope', 'extern.reports', '--name', 'Reports'])) as Record<string, string>;
    assert.equal(r.scope, 'extern.reports');
    assert.equal(r.indicator, 'urn:propusk:api:extern.reports');
    assert.equal(r.client_id, 'rs.extern.reports');
    assert.match(r.api_key!, /^[A-Za-z0-9_-]{20,}$/);
    assert.equal(r.client_secret, r.api_key, 'the former name, kept for one release');
    const list = (await json(['resource', 'list'])) as { scope: string }[];
    assert.deepEqual(list.map((x) => x.scope).sort(), ['extern.api', 'extern.reports', 'extern.test-tools', 'propusk.admin']);
    const c = (await json(['client', 'create', '--client-id', 'reporter', '--name', 'Reporter', '--grant-types', 'client_credentials', '--scopes', 'extern.reports'])) as Record<string, string>;
    let token: Record<string, unknown> = {};
    const deadline = Date.now() + 2000;
    while (Date.now() < deadline) {
      token = (await postForm(`${server.url}/connect/token`, { grant_type: 'client_credentials', client_id: 'reporter', client_secret: c.api_key!, scope: 'extern.reports' })).json;
      if (token.access_token) break;
      await new Promise((res) => setTimeout(res, 100));
    }
    assert.ok(token.access_token, JSON.stringify(token));
    const auth = `Basic ${Buffer.from(`${r.client_id}:${r.api_key}`).toString('base64')}`;
    const intro = await postForm(`${server.url}/connect/introspect`, { token: token.access_token as string }, { authorization: auth });
    assert.equal(intro.json.active, true);
    assert.equal(intro.json.aud, 'urn:propusk:api:extern.reports');
  });

  it('keys rotate publishes a new key with overlap, picked up by the running server', async () => {
    const before = ((await (await fetch(`${server.url}/.well-known/openid-configuration/jwks`)).json()) as { keys: { kid: string }[] }).keys.map((k) => k.kid);
    const out = (await json(['keys', 'rotate'])) as { kid: string; retired: string[] };
    assert.deepEqual(out.retired, before);
    const deadline = Date.now() + 2000;
    let kids: string[] = [];
    while (Date.now() < deadline) {
      kids = ((await (await fetch(`${server.url}/.well-known/openid-configuration/jwks`)).json()) as { keys: { kid: string }[] }).keys.map((k) => k.kid);
      if (kids.includes(out.kid)) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(kids[0], out.kid, 'the new key is listed first (it signs)');
    for (const k of before) assert.ok(kids.includes(k), 'old key still published');
    const listed = (await json(['keys', 'list'])) as { kid: string; signing: boolean }[];
    assert.deepEqual(listed.filter((k) => k.signing).map((k) => k.kid), [out.kid]);
  });

  describe('bad arguments: one line on stderr, non-zero exit, no stack trace', () => {
    const cases: [string, string[], RegExp][] = [
      ['unknown command', ['admin', 'client', 'explode'], /unknown command/],
      ['unknown option', ['admin', 'client', 'create', '--bogus'], /^propusk admin: unknown flag --bogus for "client create"\n/],
      ['missing required option', ['admin', 'client', 'create', '--client-id', 'x'], /--name is required/],
      ['invalid client id', ['admin', 'client', 'create', '--client-id', 'bad id!', '--name', 'X', '--grant-types', 'client_credentials'], /client_id must be/],
      ['unknown grant type', ['admin', 'client', 'create', '--client-id', 'x1', '--name', 'X', '--grant-types', 'password'], /unknown grant type "password"/],
      ['http redirect uri', ['admin', 'client', 'create', '--client-id', 'x2', '--name', 'X', '--grant-types', 'authorization_code', '--redirect-uris', 'http://example.com/cb'], /must use https/],
      ['unknown scope', ['admin', 'client', 'create', '--client-id', 'x3', '--name', 'X', '--grant-types', 'client_credentials', '--scopes', 'extern.nothing'], /unknown scope "extern.nothing"/],
      ['duplicate client', ['admin', 'client', 'create', '--client-id', 'awesome_device_client', '--name', 'X', '--grant-types', 'client_credentials', '--scopes', 'extern.api'], /already exists/],
      ['revoke unknown key', ['admin', 'client', 'revoke-key', 'awesome_device_client', 'nope'], /not found/],
      ['issue key for unknown client', ['admin', 'client', 'issue-key', 'ghost'], /client ghost not found/],
      ['missing positional', ['admin', 'client', 'issue-key'], /expected <client_id>/],
      ['short password', ['admin', 'user', 'create', '--login', 'x@example.com', '--password', 'short'], /at least 10 characters/],
      ['bad login', ['admin', 'user', 'create', '--login', 'not-an-email', '--password', 'long enough password'], /email/],
      ['bad phone', ['admin', 'user', 'create', '--login', 'y@example.com', '--password', 'long enough password', '--phone', '12'], /phone/],
      ['unknown user', ['admin', 'user', 'disable', 'ghost@example.com'], /not found/],
      ['bad resource format', ['admin', 'resource', 'create', '--scope', 'extern.x', '--name', 'X', '--format', 'xml'], /opaque or jwt/],
    ];
    for (const [name, args, message] of cases) {
      it(name, async () => {
        const r = await runCli(args, env);
        assert.notEqual(r.code, 0);
        assert.match(r.stderr, message);
        assert.doesNotMatch(r.stderr, /\n\s+at /, 'stack trace printed');
        assert.equal(r.stdout, '');
      });
    }
  });
});
