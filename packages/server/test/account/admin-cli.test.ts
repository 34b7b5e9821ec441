/**
 * Operator revocation through the admin CLI, run as a child process against the database of a
 * running server: user revoke-tokens, user disable, user set-password, client revoke-tokens,
 * client disable/enable, audit tail. Effects are checked over HTTP (introspection, token endpoint,
 * sign-in).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { postForm, runCli } from '../support/server.ts';
import { createClient, createUser } from '../support/fixtures.ts';
import { introspect, setupCodeFlow, type CodeFlowSetup } from '../codeflow/support/setup.ts';
import { FormsAgent, codeFlowTokens, isAccountPage, signInToAccount, tokenState } from './support.ts';

let s: CodeFlowSetup;
let env: Record<string, string>;
before(async () => {
  s = await setupCodeFlow();
  env = { DATABASE_URL: s.server.env.DATABASE_URL!, PROPUSK_ISSUER: s.issuer };
});
after(() => s.server.stop());

const admin = async (args: string[], stdin?: string) => {
  const r = await runCli(['admin', ...args], env, stdin);
  assert.equal(r.code, 0, r.stderr);
  return r.stdout;
};
const json = async <T = Record<string, unknown>>(args: string[], stdin?: string) => JSON.parse(await admin([...args, '--json'], stdin)) as T;

const newUser = async () => {
  const { account, password } = await createUser(s.server.context);
  return { login: account.login, password, id: account.id };
};
const ccToken = (clientId: string, secret: string) =>
  postForm(`${s.issuer}/connect/token`, { grant_type: 'client_credentials', client_id: clientId, client_secret: secret, scope: 'extern.api' });

/** The token endpoint's answer, retried for up to a second until its status is `want` (client changes reach the server through the change feed). */
async function ccWithin(clientId: string, secret: string, want: number) {
  const deadline = Date.now() + 1000;
  let res = await ccToken(clientId, secret);
  while (res.status !== want && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
    res = await ccToken(clientId, secret);
  }
  return res;
}

describe('operator revocation (admin CLI)', () => {
  it('user revoke-tokens: every token and session of the account stops working; the account can sign in again', async () => {
    const user = await newUser();
    const agent = new FormsAgent(s.issuer);
    const tokens = await codeFlowTokens(s, agent, user);
    const bystander = await codeFlowTokens(s, new FormsAgent(s.issuer));
    const out = await json(['user', 'revoke-tokens', user.login]);
    assert.equal(out.account_id, user.id);
    assert.ok((out.revoked as number) >= 4, `session, grant, code, access and refresh token: ${String(out.revoked)}`);
    const state = await tokenState(s, tokens);
    assert.equal(state.active, false);
    assert.equal(state.refresh.error, 'invalid_grant');
    assert.ok(!isAccountPage(await agent.follow('/account')), 'the browser session is gone');
    assert.equal((await introspect(s, bystander.access_token)).active, true, 'other accounts are untouched');
    assert.ok(isAccountPage(await signInToAccount(new FormsAgent(s.issuer), user)), 'the account itself still works');
    const human = await admin(['user', 'revoke-tokens', user.id]);
    assert.match(human, /^revoked \d+ session\(s\), grant\(s\) and token\(s\) of /);
  });

  it('user disable revokes everything and blocks sign-in; user enable lets the account sign in again', async () => {
    const user = await newUser();
    const tokens = await codeFlowTokens(s, new FormsAgent(s.issuer), user);
    const out = await json(['user', 'disable', user.login]);
    assert.equal(out.disabled, true);
    assert.ok((out.revoked as number) >= 4);
    const state = await tokenState(s, tokens);
    assert.equal(state.active, false);
    assert.equal(state.refresh.error, 'invalid_grant');
    const refused = await signInToAccount(new FormsAgent(s.issuer), user);
    assert.equal(refused.status, 401, 'a disabled account cannot sign in');
    assert.match(refused.html, /Неверный логин или пароль/, 'with the generic message');
    assert.equal((await json(['user', 'enable', user.login])).disabled, false);
    assert.ok(isAccountPage(await signInToAccount(new FormsAgent(s.issuer), user)));
    assert.equal((await tokenState(s, tokens)).active, false, 'enabling does not bring old tokens back');
  });

  it('user set-password revokes the tokens of the account and says so', async () => {
    const user = await newUser();
    const tokens = await codeFlowTokens(s, new FormsAgent(s.issuer), user);
    const human = await admin(['user', 'set-password', user.login, '--password-stdin'], 'a new operator password\n');
    assert.match(human, /password set for .+; revoked [1-9]\d* session\(s\), grant\(s\) and token\(s\) of the account/);
    const state = await tokenState(s, tokens);
    assert.equal(state.active, false);
    assert.equal(state.refresh.error, 'invalid_grant');
    assert.equal((await signInToAccount(new FormsAgent(s.issuer), user)).status, 401);
    assert.ok(isAccountPage(await signInToAccount(new FormsAgent(s.issuer), { login: user.login, password: 'a new operator password' })));
  });

  it('client revoke-tokens: every grant and token of that client, users and client_credentials alike, and nothing else', async () => {
    const svc = await createClient(s.server.context, { clientId: 'svc.revoked' });
    const other = await createClient(s.server.context, { clientId: 'svc.other' });
    const svcToken = String((await ccToken(svc.clientId, svc.apiKey)).json.access_token);
    const otherToken = String((await ccToken(other.clientId, other.apiKey)).json.access_token);
    const userTokens = await codeFlowTokens(s, new FormsAgent(s.issuer), await newUser());

    const out = await json(['client', 'revoke-tokens', 'svc.revoked']);
    assert.deepEqual(out, { client_id: 'svc.revoked', revoked: 1 });
    assert.equal((await introspect(s, svcToken)).active, false);
    assert.equal((await introspect(s, otherToken)).active, true);
    assert.equal((await introspect(s, userTokens.access_token)).active, true);
    assert.equal((await ccToken(svc.clientId, svc.apiKey)).status, 200, 'the client itself still works');

    const web = await json(['client', 'revoke-tokens', 'web.app']);
    assert.ok((web.revoked as number) >= 3);
    const state = await tokenState(s, userTokens);
    assert.equal(state.active, false);
    assert.equal(state.refresh.error, 'invalid_grant');
    assert.equal((await introspect(s, otherToken)).active, true);

    const unknown = await runCli(['admin', 'client', 'revoke-tokens', 'no.such.client'], env);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /not found/);
  });

  it('client disable: its tokens are revoked and token requests are refused with invalid_client; client enable restores new requests only', async () => {
    const svc = await createClient(s.server.context, { clientId: 'svc.disabled' });
    const token = String((await ccToken(svc.clientId, svc.apiKey)).json.access_token);
    assert.equal((await introspect(s, token)).active, true);
    const out = await json(['client', 'disable', 'svc.disabled']);
    assert.equal(out.disabled, true);
    assert.equal(out.revoked, 1);
    assert.equal((await introspect(s, token)).active, false);
    const refused = await ccWithin(svc.clientId, svc.apiKey, 401);
    assert.equal(refused.status, 401);
    assert.equal(refused.json.error, 'invalid_client');

    const enabled = await json(['client', 'enable', 'svc.disabled']);
    assert.equal(enabled.disabled, false);
    assert.equal((await ccWithin(svc.clientId, svc.apiKey, 200)).status, 200);
    assert.equal((await introspect(s, token)).active, false, 'old tokens stay revoked');
    assert.match(await admin(['client', 'disable', 'svc.disabled']), /^disabled client svc\.disabled; revoked \d+ grant\(s\), code\(s\) and token\(s\)/);
  });

  it('audit tail filters by --since and --type, limits with --limit, prints JSON with --json; bad --since is a usage error', async () => {
    const user = await newUser();
    await json(['user', 'revoke-tokens', user.login]);
    const revocations = await json<{ type: string; account_id: string | null; at: string; details: Record<string, unknown> }[]>(['audit', 'tail', '--type', 'account.tokens_revoked', '--since', '10m']);
    assert.ok(revocations.length >= 1);
    assert.ok(revocations.every((e) => e.type === 'account.tokens_revoked'));
    const mine = revocations.find((e) => e.account_id === user.id);
    assert.ok(mine);
    assert.equal(mine.details.reason, 'operator');
    assert.ok(Date.parse(mine.at) > Date.now() - 600_000);
    assert.deepEqual(await json(['audit', 'tail', '--since', '2999-01-01T00:00:00Z']), []);
    const iso = new Date(Date.now() - 3_600_000).toISOString();
    assert.ok((await json<unknown[]>(['audit', 'tail', '--since', iso])).length > 0);
    assert.equal((await json<unknown[]>(['audit', 'tail', '--limit', '1'])).length, 1);
    const clients = await json<{ type: string; client_id: string }[]>(['audit', 'tail', '--type', 'client.disabled']);
    assert.ok(clients.some((e) => e.client_id === 'svc.disabled'));

    const human = await admin(['audit', 'tail', '--type', 'account.tokens_revoked', '--since', '1d']);
    assert.match(human, /^at\s+type\s+outcome\s+actor\s+account_id\s+client_id\s+count\s+last_at\s+source_ip\s+details/);
    assert.match(human, new RegExp(`account\\.tokens_revoked\\s+success\\s+admin-cli\\s+${user.id}`));
    for (const bad of ['yesterday', '10x', '', '2025-13-45']) {
      const r = await runCli(['admin', 'audit', 'tail', '--since', bad], env);
      assert.equal(r.code, 2, `--since ${JSON.stringify(bad)}: ${r.stderr}`);
    }
    const badLimit = await runCli(['admin', 'audit', 'tail', '--limit', '0'], env);
    assert.equal(badLimit.code, 2);
  });
});
