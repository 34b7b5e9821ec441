/**
 * Clients that must use DPoP (RFC 9449): registered with `client create --require-dpop` or switched
 * with `client require-dpop [--off]` through the admin CLI, on SQLite and on PostgreSQL. The token
 * endpoint refuses such a client's requests without a DPoP proof and binds its tokens to the
 * proof's key (openid-client as the client); the switch is audited and takes effect on the running
 * server.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as oidc from 'openid-client';
import { basic, postForm, runCli, startTestServer, type TestServer } from '../support/server.ts';
import { resourceCredentials } from '../support/fixtures.ts';
import { createTestSchema, describePostgres, type TestSchema } from '../storage/support.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function suite(env: () => Record<string, string>) {
  let server: TestServer;
  let cliEnv: Record<string, string>;
  let apiKey: string;
  let rs: { clientId: string; secret: string };
  const admin = (...args: string[]) => runCli(['admin', ...args], cliEnv);

  /** A client_credentials request without a DPoP proof. */
  const plainRequest = () =>
    postForm(`${server.url}/connect/token`, { grant_type: 'client_credentials', client_id: 'strict.app', client_secret: apiKey, scope: 'extern.api' });

  /** Retries `probe` until it answers `status` (the change feed reaches the server within a second or so). */
  async function eventually(status: number): Promise<Awaited<ReturnType<typeof plainRequest>>> {
    let last = await plainRequest();
    for (let i = 0; i < 40 && last.status !== status; i++) {
      await sleep(100);
      last = await plainRequest();
    }
    return last;
  }

  before(async () => {
    server = await startTestServer(env());
    cliEnv = { DATABASE_URL: server.env.DATABASE_URL!, PROPUSK_ISSUER: server.issuer };
    rs = await resourceCredentials(server.context, 'extern.api');
    const created = await admin('client', 'create', '--client-id', 'strict.app', '--name', 'Strict', '--grant-types', 'client_credentials', '--scopes', 'extern.api', '--require-dpop', '--json');
    assert.equal(created.code, 0, created.stderr);
    apiKey = (JSON.parse(created.stdout) as { api_key: string }).api_key;
  });
  after(() => server.stop());

  it('client list shows require_dpop', async () => {
    // --all: the API's introspection client is listed too.
    const r = await admin('client', 'list', '--all', '--json');
    assert.equal(r.code, 0, r.stderr);
    const clients = JSON.parse(r.stdout) as { client_id: string; require_dpop: boolean }[];
    assert.equal(clients.find((c) => c.client_id === 'strict.app')?.require_dpop, true);
    assert.equal(clients.find((c) => c.client_id === 'rs.extern.api')?.require_dpop, false);
  });

  it('a token request without a DPoP proof is refused; with one, the token is DPoP-bound to its key', async () => {
    const refused = await plainRequest();
    assert.equal(refused.status, 400, refused.text);
    assert.equal(refused.json.error, 'invalid_grant');
    const config = await oidc.discovery(new URL(server.issuer), 'strict.app', undefined, oidc.ClientSecretPost(apiKey), { execute: [oidc.allowInsecureRequests] });
    const pair = await oidc.randomDPoPKeyPair('ES256');
    const tokens = await oidc.clientCredentialsGrant(config, { scope: 'extern.api' }, { DPoP: oidc.getDPoPHandle(config, pair) });
    assert.equal(tokens.token_type.toLowerCase(), 'dpop');
    const info = await postForm(`${server.url}/connect/introspect`, { token: tokens.access_token }, { authorization: basic(rs.clientId, rs.secret) });
    assert.equal(info.json.token_type, 'DPoP');
    assert.equal(typeof (info.json.cnf as { jkt?: unknown } | undefined)?.jkt, 'string');
  });

  it('client require-dpop --off makes DPoP optional again on the running server, client require-dpop requires it again; both audited', async () => {
    const off = await admin('client', 'require-dpop', 'strict.app', '--off');
    assert.equal(off.code, 0, off.stderr);
    assert.match(off.stdout, /strict\.app: token requests may use DPoP or not/);
    const bearer = await eventually(200);
    assert.equal(bearer.status, 200, bearer.text);
    assert.equal(String(bearer.json.token_type).toLowerCase(), 'bearer');

    const on = await admin('client', 'require-dpop', 'strict.app', '--json');
    assert.equal(on.code, 0, on.stderr);
    assert.deepEqual(JSON.parse(on.stdout), { client_id: 'strict.app', require_dpop: true });
    assert.equal((await eventually(400)).status, 400);

    const audit = await admin('audit', 'tail', '--type', 'client.require_dpop', '--json');
    assert.equal(audit.code, 0, audit.stderr);
    const events = JSON.parse(audit.stdout) as { actor: string; client_id: string; details: { require_dpop: boolean } }[];
    assert.deepEqual(events.map((e) => [e.actor, e.client_id, e.details.require_dpop]), [
      ['admin-cli', 'strict.app', false],
      ['admin-cli', 'strict.app', true],
    ]);

    const unknown = await admin('client', 'require-dpop', 'nobody.app');
    assert.notEqual(unknown.code, 0);
    assert.match(unknown.stderr, /nobody\.app/);
  });
}

describe('clients that require DPoP (SQLite)', () => suite(() => ({})));

describePostgres('clients that require DPoP (PostgreSQL)', () => {
  let schema: TestSchema;
  before(async () => {
    schema = await createTestSchema();
  });
  after(() => schema.drop());
  suite(() => ({ DATABASE_URL: schema.url }));
});
