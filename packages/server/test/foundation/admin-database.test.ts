/**
 * The admin CLI does not guess. Run from another folder it refuses to create a new, empty
 * database in place of the server's (unless told with --create-database), and --verbose says which
 * database it opened. `client invite` prints the link with the issuer the server runs as (recorded
 * when it starts), or says it does not know it.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCli, startTestServer } from '../support/server.ts';

/** The environment of an operator's shell: no DATABASE_URL, no PROPUSK_ISSUER. */
const clean = (extra: Record<string, string> = {}) => ({ PROPUSK_ADMIN_LOG_LEVEL: 'warn', ...extra });

describe('which database the admin CLI opens', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'propusk-admin-db-'));
    mkdirSync(join(dir, 'sub'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('from a folder without a database: one line, exit 1, and nothing created', async () => {
    const r = await runCli(['admin', 'user', 'list'], clean(), undefined, { cwd: join(dir, 'sub'), inheritEnv: false });
    assert.equal(r.code, 1);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.match(r.stderr, new RegExp(`no Propusk database at ${join(dir, 'sub', 'data', 'propusk.sqlite').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    assert.match(r.stderr, /--create-database/);
    assert.equal(existsSync(join(dir, 'sub', 'data', 'propusk.sqlite')), false);
  });

  it('--create-database creates it; --verbose names it', async () => {
    const created = await runCli(['admin', 'user', 'list', '--create-database', '--verbose'], clean(), undefined, { cwd: dir, inheritEnv: false });
    assert.equal(created.code, 0, created.stderr);
    assert.match(created.stderr, new RegExp(`database ${join(dir, 'data', 'propusk.sqlite').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(does not exist\\)`));
    assert.ok(existsSync(join(dir, 'data', 'propusk.sqlite')));
    const again = await runCli(['admin', '--verbose', 'user', 'list', '--json'], clean(), undefined, { cwd: dir, inheritEnv: false });
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stderr, /propusk\.sqlite \(\d+ migrations applied\)/);
    assert.deepEqual(JSON.parse(again.stdout), []);
  });
});

describe('client invite and the issuer', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'propusk-admin-issuer-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('says the issuer is unknown before any server started; afterwards uses the one the server runs as', async () => {
    const url = `sqlite:${join(dir, 'p.sqlite')}`;
    const env = clean({ DATABASE_URL: url });
    const client = await runCli(['admin', 'client', 'create', '--create-database', '--client-id', 'acme.web', '--name', 'Acme', '--grant-types', 'client_credentials', '--scopes', 'extern.api', '--json'], env, undefined, { inheritEnv: false });
    assert.equal(client.code, 0, client.stderr);
    const before = await runCli(['admin', 'client', 'invite', 'acme.web', '--json'], env, undefined, { inheritEnv: false });
    assert.equal(before.code, 0, before.stderr);
    assert.match(before.stderr, /the server's address is unknown/);
    const unknown = JSON.parse(before.stdout) as { url: string };
    assert.deepEqual(Object.keys(unknown).sort(), ['client_id', 'expires_at', 'invitation_id', 'url'], 'the documented fields');
    assert.match(unknown.url, /^\/integrations\/invitations\/[\w-]+$/, 'the path only, not a guessed http://localhost:3000');

    const server = await startTestServer({ DATABASE_URL: url, PROPUSK_ISSUER: 'https://id.example.test' });
    try {
      const after = await runCli(['admin', 'client', 'invite', 'acme.web', '--json'], env, undefined, { inheritEnv: false });
      assert.equal(after.code, 0, after.stderr);
      assert.doesNotMatch(after.stderr, /unknown/);
      assert.match((JSON.parse(after.stdout) as { url: string }).url, /^https:\/\/id\.example\.test\/integrations\/invitations\/[\w-]+$/);
    } finally {
      await server.stop();
    }
  });
});
