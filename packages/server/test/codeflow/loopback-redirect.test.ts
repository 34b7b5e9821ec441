/**
 * RFC 8252's loopback rule (any port on a loopback redirect URI) is for native apps only: a client
 * registered with `client create --application-type native` (the default for public clients). A
 * web client (the default for confidential ones) gets exactly its registered URIs. Clients are
 * registered with the admin CLI, on SQLite and on PostgreSQL.
 */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { runCli, startTestServer, type TestServer } from '../support/server.ts';
import { createTestSchema, describePostgres, type TestSchema } from '../storage/support.ts';

const REGISTERED = 'http://localhost:8765/callback';
const OTHER_PORT = 'http://localhost:9999/callback';

function authorize(issuer: string, clientId: string, redirectUri: string): Promise<Response> {
  const verifier = randomBytes(32).toString('base64url');
  const query = new URLSearchParams({
    client_id: clientId,
    response_type: 'code',
    scope: 'openid',
    redirect_uri: redirectUri,
    state: 'st',
    nonce: 'no',
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
  });
  return fetch(`${issuer}/connect/authorize?${query}`, { redirect: 'manual' });
}

function suite(env: () => Record<string, string>) {
  let server: TestServer;
  let cliEnv: Record<string, string>;
  const admin = (...args: string[]) => runCli(['admin', ...args], cliEnv);
  before(async () => {
    server = await startTestServer(env());
    cliEnv = { DATABASE_URL: server.env.DATABASE_URL!, PROPUSK_ISSUER: server.issuer };
    const common = ['--grant-types', 'authorization_code', '--redirect-uris', REGISTERED, '--scopes', 'openid', '--json'];
    for (const args of [
      ['--client-id', 'web.confidential', '--name', 'Web'],
      ['--client-id', 'native.public', '--name', 'Native', '--public'],
      ['--client-id', 'native.confidential', '--name', 'Desktop', '--application-type', 'native'],
    ]) {
      const r = await admin('client', 'create', ...args, ...common);
      assert.equal(r.code, 0, r.stderr);
    }
  });
  after(() => server.stop());

  it('a confidential web client on another loopback port: error page, no redirect', async () => {
    const res = await authorize(server.issuer, 'web.confidential', OTHER_PORT);
    assert.equal(res.status, 400);
    assert.equal(res.headers.get('location'), null);
    assert.match(res.headers.get('content-type') ?? '', /text\/html/);
    assert.match(await res.text(), /redirect_uri/);
  });

  it('the same web client with its registered URI goes on', async () => {
    const res = await authorize(server.issuer, 'web.confidential', REGISTERED);
    assert.equal(res.status, 303);
  });

  it('a native client (public by default, or confidential by choice) may use any loopback port', async () => {
    for (const clientId of ['native.public', 'native.confidential']) {
      const res = await authorize(server.issuer, clientId, OTHER_PORT);
      assert.equal(res.status, 303, clientId);
      assert.doesNotMatch(res.headers.get('location') ?? '', /^http:\/\/localhost:9999/, 'sign-in first, not an error redirect');
    }
  });

  it('client list shows the application type', async () => {
    const r = await admin('client', 'list', '--json');
    assert.equal(r.code, 0, r.stderr);
    const types = Object.fromEntries((JSON.parse(r.stdout) as { client_id: string; application_type: string }[]).map((c) => [c.client_id, c.application_type]));
    assert.equal(types['web.confidential'], 'web');
    assert.equal(types['native.public'], 'native');
    assert.equal(types['native.confidential'], 'native');
    const human = await admin('client', 'list');
    assert.match(human.stdout, /^client_id +name +grant_types +type +status$/m);
    assert.match(human.stdout, /^native\.public +Native +authorization_code +public native +active$/m);
    assert.match(human.stdout, /^web\.confidential +Web +authorization_code +confidential web +active$/m);
  });

  it('client create refuses an unknown application type and a web client with a private-use scheme', async () => {
    const bad = await admin('client', 'create', '--client-id', 'x.bad', '--name', 'Bad', '--grant-types', 'authorization_code', '--redirect-uris', REGISTERED, '--application-type', 'desktop');
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /application type/i);
    const scheme = await admin('client', 'create', '--client-id', 'x.scheme', '--name', 'Scheme', '--grant-types', 'authorization_code', '--redirect-uris', 'com.example.app:/cb', '--application-type', 'web');
    assert.notEqual(scheme.code, 0);
    assert.match(scheme.stderr, /native/);
  });
}

describe('loopback redirect URIs (SQLite)', () => suite(() => ({})));

describePostgres('loopback redirect URIs (PostgreSQL)', () => {
  let schema: TestSchema;
  before(async () => {
    schema = await createTestSchema();
  });
  after(() => schema.drop());
  suite(() => ({ DATABASE_URL: schema.url }));
});
