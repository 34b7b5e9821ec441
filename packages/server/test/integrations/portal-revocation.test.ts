/**
 * A portal session ends with the account's other sessions: after a password change, "sign out
 * everywhere", `admin user revoke-tokens` or `admin user disable`, the old portal cookie can
 * neither issue an api-key nor edit redirect URIs — at once, on SQLite and on PostgreSQL.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { runCli } from '../support/server.ts';
import { FormsAgent, formOf } from '../codeflow/support/forms-agent.ts';
import { accountPage, signInToAccount } from '../account/support.ts';
import { createTestSchema, describePostgres, type TestSchema } from '../storage/support.ts';
import { acceptAs, invite, issueKey, newClient, newUser, setupPortal, signedInAgent, type PortalSetup } from './support.ts';

type User = { login: string; password: string; id: string };

/** The forms of the client's page, loaded while the portal session was live. */
async function formsOf(agent: FormsAgent, clientId: string) {
  const page = await agent.follow(`/integrations/clients/${clientId}`);
  assert.equal(page.status, 200);
  const urisPage = await agent.follow(`/integrations/clients/${clientId}/redirect-uris`);
  assert.equal(urisPage.status, 200);
  return { issue: formOf(page.html, `/integrations/clients/${clientId}/keys`), uris: formOf(urisPage.html, `/integrations/clients/${clientId}/redirect-uris`) };
}

const revocations: [name: string, revoke: (s: PortalSetup, user: User) => Promise<void>][] = [
  [
    'a password change on /account',
    async (s, user) => {
      const account = new FormsAgent(s.issuer);
      await signInToAccount(account, user);
      const done = await account.submit(await accountPage(account), '/account/password', { current_password: user.password, new_password: 'another long password', confirm_password: 'another long password' });
      assert.equal(done.status, 200, done.html.slice(0, 300));
    },
  ],
  [
    'sign out everywhere on /account',
    async (s, user) => {
      const account = new FormsAgent(s.issuer);
      await signInToAccount(account, user);
      const done = await account.submit(await accountPage(account), '/account/sign-out-everywhere', {});
      assert.equal(done.status, 200);
    },
  ],
  [
    'admin user revoke-tokens',
    async (s, user) => {
      const r = await runCli(['admin', 'user', 'revoke-tokens', user.login], s.cliEnv);
      assert.equal(r.code, 0, r.stderr);
    },
  ],
  [
    'admin user disable',
    async (s, user) => {
      const r = await runCli(['admin', 'user', 'disable', user.login], s.cliEnv);
      assert.equal(r.code, 0, r.stderr);
    },
  ],
];

function revocationTests(setup: () => PortalSetup): void {
  for (const [name, revoke] of revocations) {
    it(`${name} ends the portal session at once`, async () => {
      const s = setup();
      const clientId = await newClient(s);
      const user = await newUser(s);
      await acceptAs(s, (await invite(s, clientId, ['--email', user.login])).url, user);
      const portal = await signedInAgent(s, user);
      await issueKey(portal, clientId, 'before');
      const forms = await formsOf(portal, clientId);
      const keysBefore = (await s.server.context.clients.listKeys(clientId)).length;
      const urisBefore = (await s.server.context.clients.get(clientId)).redirectUris;

      await revoke(s, user);

      const issue = await portal.request(forms.issue.action, { form: { csrf: forms.issue.csrf, label: 'after' } });
      await issue.body?.cancel();
      assert.notEqual(issue.status, 200, 'no key page');
      assert.equal((await s.server.context.clients.listKeys(clientId)).length, keysBefore, 'no key issued');
      const uris = await portal.request(forms.uris.action, { form: { csrf: forms.uris.csrf, redirect_uris: 'https://attacker.example/cb' } });
      await uris.body?.cancel();
      assert.deepEqual((await s.server.context.clients.get(clientId)).redirectUris, urisBefore, 'redirect URIs unchanged');
      const page = await portal.follow(`/integrations/clients/${clientId}`);
      assert.match(page.html, /name="password"/, 'the old cookie gets the sign-in page');
    });
  }
}

describe('portal sessions and revocation (SQLite)', () => {
  let s: PortalSetup;
  before(async () => {
    s = await setupPortal();
  });
  after(() => s?.server.stop());
  revocationTests(() => s);

  it('signing out of the portal ends the session on the server, not only the cookie', async () => {
    const clientId = await newClient(s);
    const user = await newUser(s);
    const { agent } = await acceptAs(s, (await invite(s, clientId, ['--email', user.login])).url, user);
    const copy = new FormsAgent(s.issuer);
    for (const [k, v] of agent.jar) copy.jar.set(k, v);
    const home = await agent.follow('/integrations');
    const signedOut = await agent.submit(home, '/integrations/sign-out', {});
    assert.equal(signedOut.status, 200);
    const page = await copy.follow(`/integrations/clients/${clientId}`);
    assert.match(page.html, /name="password"/, 'a copy of the old cookie is signed out too');
  });
});

describePostgres('portal sessions and revocation (PostgreSQL)', () => {
  let s: PortalSetup;
  let schema: TestSchema;
  before(async () => {
    schema = await createTestSchema();
    s = await setupPortal({ DATABASE_URL: schema.url });
  });
  after(async () => {
    await s?.server.stop();
    await schema?.drop();
  });
  revocationTests(() => s);
});
