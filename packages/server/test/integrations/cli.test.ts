/** `propusk admin client invite` as a child process: output, expiry (--ttl), --email, --allow-signup, refusals, audit without the token. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { runCli } from '../support/server.ts';
import { invite, newClient, setupPortal, type PortalSetup } from './support.ts';

let s: PortalSetup;
let clientId: string;
before(async () => {
  s = await setupPortal();
  clientId = await newClient(s);
});
after(() => s?.server.stop());

const DAY = 24 * 3600_000;
const near = (actual: string, expectedMs: number) => {
  const diff = Math.abs(Date.parse(actual) - (Date.now() + expectedMs));
  assert.ok(diff < 60_000, `expires_at ${actual} is ${diff} ms off`);
};

describe('propusk admin client invite', () => {
  it('prints client_id, invitation_id, the one-time url and expires_at (default 7 days)', async () => {
    const r = await invite(s, clientId);
    assert.deepEqual(Object.keys(r).sort(), ['client_id', 'expires_at', 'invitation_id', 'url']);
    assert.equal(r.client_id, clientId);
    assert.match(r.url, new RegExp(`^${s.issuer}/integrations/invitations/[A-Za-z0-9_-]{43}$`));
    assert.match(r.invitation_id, /^[0-9a-f-]{36}$/);
    near(r.expires_at, 7 * DAY);
    const row = await s.server.context.db.selectFrom('invitation').selectAll().where('id', '=', r.invitation_id).executeTakeFirstOrThrow();
    assert.equal(row.allow_signup, 0);
    assert.equal(row.email, null);
    assert.equal(row.used_at, null);
  });

  it('--ttl takes minutes, hours or days; --email and --allow-signup are stored', async () => {
    near((await invite(s, clientId, ['--ttl', '30m'])).expires_at, 30 * 60_000);
    near((await invite(s, clientId, ['--ttl', '12h'])).expires_at, 12 * 3600_000);
    const r = await invite(s, clientId, ['--ttl', '2d', '--email', 'Dev@Acme.Example', '--allow-signup']);
    near(r.expires_at, 2 * DAY);
    const row = await s.server.context.db.selectFrom('invitation').selectAll().where('id', '=', r.invitation_id).executeTakeFirstOrThrow();
    assert.equal(row.email, 'dev@acme.example');
    assert.equal(row.allow_signup, 1);
  });

  it('each invitation is a different link', async () => {
    const a = await invite(s, clientId);
    const b = await invite(s, clientId);
    assert.notEqual(a.url, b.url);
  });

  it('human output shows the link', async () => {
    const r = await runCli(['admin', 'client', 'invite', clientId], s.cliEnv);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`^invitation to client ${clientId.replace('.', '\\.')} .*\\n${s.issuer}/integrations/invitations/[A-Za-z0-9_-]{43}\\n$`));
  });

  it('refuses an unknown client, a bad ttl or email, and missing arguments', async () => {
    const refused = async (args: string[], code: number, message: RegExp) => {
      const r = await runCli(['admin', 'client', 'invite', ...args], s.cliEnv);
      assert.equal(r.code, code, r.stdout + r.stderr);
      assert.equal(r.stdout, '');
      assert.match(r.stderr.split('\n')[0]!, message);
    };
    await refused(['no.such.client'], 1, /^propusk admin: client no\.such\.client not found/);
    for (const ttl of ['7w', '0d', '-1d', '1.5h', '91d', 'd']) await refused([clientId, `--ttl=${ttl}`], 1, /ttl/);
    await refused([clientId, '--email', 'not-an-email'], 1, /email/);
    await refused([], 2, /expected <client_id>/);
    await refused([clientId, '--bogus'], 2, /bogus/);
    const count = await s.server.context.db.selectFrom('invitation').select((eb) => eb.fn.countAll<number>().as('n')).where('client_id', '=', 'no.such.client').executeTakeFirstOrThrow();
    assert.equal(Number(count.n), 0);
  });

  it('is listed in --help and audited without the token', async () => {
    const help = await runCli(['admin', '--help'], s.cliEnv);
    assert.match(help.stdout, /client invite\s+create a one-time integrator-portal invitation link/);
    const r = await invite(s, clientId, ['--email', 'audit@acme.example']);
    const events = await s.server.context.audit.tail({ type: 'integration.invitation_created' });
    const event = events.find((e) => e.details.invitation_id === r.invitation_id);
    assert.ok(event);
    assert.equal(event.actor, 'admin-cli');
    assert.equal(event.clientId, clientId);
    assert.equal(event.details.email, 'audit@acme.example');
    assert.ok(!JSON.stringify(event).includes(r.url.split('/').at(-1)!));
  });
});
