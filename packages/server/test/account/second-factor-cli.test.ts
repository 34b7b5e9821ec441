/**
 * Second factors through the admin CLI, run as a child process against the database of a running
 * server: `user list` shows each account's factors, `user reset-mfa` removes them (audited, and the
 * person signs in with the password alone again), `client create --require-mfa` and
 * `client require-mfa [--off]` set whether sign-ins for a client take a second factor, which the
 * running server follows.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { runCli } from '../support/server.ts';
import { createUser, enrolTotp } from '../support/fixtures.ts';
import { setupCodeFlow, signInForCallback, type CodeFlowSetup } from '../codeflow/support/setup.ts';

let s: CodeFlowSetup;
let env: Record<string, string>;
before(async () => {
  s = await setupCodeFlow();
  env = { DATABASE_URL: s.server.env.DATABASE_URL!, PROPUSK_ISSUER: s.issuer };
});
after(() => s.server.stop());

const admin = async (...args: string[]) => {
  const r = await runCli(['admin', ...args], env);
  assert.equal(r.code, 0, r.stderr);
  return r.stdout;
};
const json = async <T>(...args: string[]) => JSON.parse(await admin(...args, '--json')) as T;

type Factors = { totp: boolean; passkeys: number; recovery_codes: number };
type ListedUser = { id: string; login: string; factors: Factors };

const NONE: Factors = { totp: false, passkeys: 0, recovery_codes: 0 };
const TOTP_AND_CODES: Factors = { totp: true, passkeys: 0, recovery_codes: 10 };

/** A new account with an authenticator app (and so its recovery codes). */
async function userWithTotp() {
  const { account, password } = await createUser(s.server.context);
  await enrolTotp(s.server.context, account);
  return { ...account, password };
}

/** Retries a sign-in for up to two seconds until it ends as `want` (client changes reach the server through the change feed). */
async function signInEventually(user: { login: string; password: string }, want: 'code' | 'second factor'): Promise<void> {
  const deadline = Date.now() + 2000;
  for (;;) {
    const got = await signInForCallback(s.issuer, user).then(
      () => 'code' as const,
      () => 'second factor' as const,
    );
    if (got === want || Date.now() > deadline) return assert.equal(got, want);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('second factors in the admin CLI', () => {
  it('user list: a 2FA column naming the factors (or -), and a factors object in --json', async () => {
    const withTotp = await userWithTotp();
    const without = (await createUser(s.server.context)).account;
    const listed = await json<ListedUser[]>('user', 'list');
    assert.deepEqual(listed.find((u) => u.id === withTotp.id)?.factors, TOTP_AND_CODES);
    assert.deepEqual(listed.find((u) => u.id === without.id)?.factors, NONE);

    const lines = (await admin('user', 'list')).split('\n');
    assert.match(lines[0]!, /^id\s+login\s+phone\s+disabled\s+2FA\s+created_at$/);
    assert.match(lines.find((l) => l.includes(withTotp.login))!, /\stotp, recovery-codes\s/);
    assert.match(lines.find((l) => l.includes(without.login))!, new RegExp(`${without.login.replace(/\./g, '\\.')}\\s+-\\s+false\\s+-\\s`));
  });

  it('user reset-mfa removes every factor, says what it removed, is audited as the CLI; the password alone signs in again', async () => {
    const user = await userWithTotp();
    await assert.rejects(signInForCallback(s.issuer, user), /no code/, 'the second factor is asked for');

    const out = await admin('user', 'reset-mfa', user.login);
    assert.equal(out, `reset two-step verification of ${user.login}: removed totp, recovery-codes; revoked its sessions, grants and tokens\n`);
    const listed = await json<ListedUser[]>('user', 'list');
    assert.deepEqual(listed.find((u) => u.id === user.id)?.factors, NONE);
    await signInForCallback(s.issuer, user);

    const events = await json<{ type: string; actor: string; account_id: string; details: Record<string, unknown> }[]>('audit', 'tail', '--type', 'mfa.reset');
    const reset = events.filter((e) => e.account_id === user.id);
    assert.deepEqual(reset.map((e) => [e.actor, e.details]), [['admin-cli', { factor: 'all' }]]);
    const revoked = (await json<typeof events>('audit', 'tail', '--type', 'account.tokens_revoked')).filter((e) => e.account_id === user.id).at(-1);
    assert.deepEqual([revoked?.actor, revoked?.details.reason], ['admin-cli', 'mfa_reset']);

    // By id, with --json: the account and what it had; nothing left now.
    const again = await json<ListedUser & { removed: Factors }>('user', 'reset-mfa', user.id);
    assert.deepEqual([again.id, again.login, again.removed], [user.id, user.login, NONE]);
    assert.equal(await admin('user', 'reset-mfa', user.login), `reset two-step verification of ${user.login}: it had no second factor; revoked its sessions, grants and tokens\n`);
  });

  it('user reset-mfa of an unknown account: one line on stderr, exit 1, nothing audited', async () => {
    const before = (await json<unknown[]>('audit', 'tail', '--type', 'mfa.reset', '--limit', '10000')).length;
    const r = await runCli(['admin', 'user', 'reset-mfa', `ghost-${randomBytes(3).toString('hex')}@example.com`], env);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^propusk admin: .*not found\n$/);
    assert.equal(r.stdout, '');
    assert.equal((await json<unknown[]>('audit', 'tail', '--type', 'mfa.reset', '--limit', '10000')).length, before);
    const usage = await runCli(['admin', 'user', 'reset-mfa'], env);
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /expected <user>/);
  });

  it('client create --require-mfa and client require-mfa [--off]: client list shows it, the running server follows, audited', async () => {
    await admin('client', 'create', '--client-id', 'strict.mfa', '--name', 'Strict', '--grant-types', 'authorization_code', '--redirect-uris', 'https://strict.example/cb', '--require-mfa');
    await admin('client', 'create', '--client-id', 'lax.mfa', '--name', 'Lax', '--grant-types', 'client_credentials', '--scopes', 'extern.api');
    const requireMfa = async () => new Map((await json<{ client_id: string; require_mfa: boolean }[]>('client', 'list')).map((c) => [c.client_id, c.require_mfa]));
    let listed = await requireMfa();
    assert.equal(listed.get('strict.mfa'), true);
    assert.equal(listed.get('lax.mfa'), false);
    assert.equal(listed.get('web.app'), false);

    // web.app: a password-only account gets its code, until the client requires a second factor.
    await signInEventually(s.user, 'code');
    assert.equal(await admin('client', 'require-mfa', 'web.app'), 'web.app: sign-ins must use a second factor (two-step verification)\n');
    assert.equal((await requireMfa()).get('web.app'), true);
    await signInEventually(s.user, 'second factor');
    assert.deepEqual(await json('client', 'require-mfa', 'web.app', '--off'), { client_id: 'web.app', require_mfa: false });
    listed = await requireMfa();
    assert.equal(listed.get('web.app'), false);
    await signInEventually(s.user, 'code');

    const events = (await json<{ actor: string; client_id: string; details: { require_mfa: boolean } }[]>('audit', 'tail', '--type', 'client.require_mfa')).filter((e) => e.client_id === 'web.app');
    assert.deepEqual(events.map((e) => [e.actor, e.details.require_mfa]), [
      ['admin-cli', true],
      ['admin-cli', false],
    ]);
    const unknown = await runCli(['admin', 'client', 'require-mfa', 'nobody.app'], env);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /nobody\.app/);
  });

  it('propusk admin --help lists the commands', async () => {
    const help = await runCli(['admin', '--help'], env);
    assert.match(help.stdout, /user reset-mfa\s+remove every second factor of an account/);
    assert.match(help.stdout, /client require-mfa\s+require \(or, with --off, no longer require\) two-step verification/);
    const usage = await runCli(['admin', 'client', 'require-mfa', '--help'], env);
    assert.equal(usage.stdout.split('\n')[0], 'usage: propusk admin client require-mfa <client_id> [--off] [--json]');
  });
});
