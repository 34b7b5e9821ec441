/**
 * Every page shares one browser session, and every revocation of an account's sessions reaches it on
 * every page: after a password change (in another browser), "sign out everywhere", `admin user
 * revoke-tokens`, `admin user set-password` or `admin user disable`, the same browser is signed
 * out of the integrator portal (its forms, loaded before, change nothing), of `/account`, of the
 * authorize flow (`prompt=none` answers `login_required`) and of the device flow's approval (the
 * code leads to the sign-in page) — at once, on SQLite and on PostgreSQL.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { postForm, runCli } from '../support/server.ts';
import { createClient } from '../support/fixtures.ts';
import { FormsAgent, formOf, paramsOf } from '../codeflow/support/forms-agent.ts';
import { accountPage, signInToAccount } from '../account/support.ts';
import { createTestSchema, describePostgres, type TestSchema } from '../storage/support.ts';
import { acceptAs, invite, issueKey, newClient, newUser, setupPortal, signedInAgent, type PortalSetup } from '../integrations/support.ts';

type User = { login: string; password: string; id: string };

const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
let deviceClients = 0;

/** Whether the browser is signed in, as each kind of page sees it. */
async function surfaces(s: PortalSetup, agent: FormsAgent, clientId: string, device: { clientId: string; apiKey: string }) {
  const portal = await agent.follow('/integrations');
  const account = await agent.follow('/account');
  const authorize = await agent.follow(
    `/connect/authorize?${new URLSearchParams({ client_id: clientId, response_type: 'code', scope: 'openid', redirect_uri: 'https://acme.example/cb', state: 's', nonce: 'n', prompt: 'none' })}`,
  );
  const started = await postForm(`${s.issuer}/connect/deviceauthorization`, { client_id: device.clientId, client_secret: device.apiKey, scope: 'openid' });
  assert.equal(started.status, 200, started.text);
  const confirm = await agent.follow(`/device?user_code=${encodeURIComponent(String(started.json.user_code))}`);
  const hidden = (name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(confirm.html)?.[1] ?? assert.fail(`${name} on the confirmation page`);
  const approval = await agent.follow('/device', { form: { user_code: hidden('user_code'), xsrf: hidden('xsrf'), confirm: 'yes' } });
  return {
    portal: !/action="\/integrations\/sign-in/.test(portal.html),
    account: !/action="\/account\/sign-in/.test(account.html),
    authorize: paramsOf(authorize.url).error !== 'login_required',
    device: approval.status === 200 && !/name="password"/.test(approval.html),
  };
}

const everywhere = (signedIn: boolean) => ({ portal: signedIn, account: signedIn, authorize: signedIn, device: signedIn });

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
      const done = await account.submit(await account.follow('/account/sign-out-everywhere'), '/account/sign-out-everywhere', {});
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
    'admin user set-password',
    async (s, user) => {
      const r = await runCli(['admin', 'user', 'set-password', user.login, '--password-stdin'], s.cliEnv, 'an operator password\n');
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
    it(`${name} ends the browser session on every page at once`, async () => {
      const s = setup();
      const clientId = await newClient(s);
      const device = await createClient(s.server.context, { clientId: `tv.app${++deviceClients}`, grantTypes: [DEVICE_GRANT], scopes: ['openid'] });
      const user = await newUser(s);
      await acceptAs(s, (await invite(s, clientId, ['--email', user.login])).url, user);
      const portal = await signedInAgent(s, user);
      assert.deepEqual(await surfaces(s, portal, clientId, device), everywhere(true), 'one sign-in (on the portal) is a session on every page');
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
      assert.deepEqual(await surfaces(s, portal, clientId, device), everywhere(false));
    });
  }
}

describe('browser sessions and revocation (SQLite)', () => {
  let s: PortalSetup;
  before(async () => {
    s = await setupPortal();
  });
  after(() => s?.server.stop());
  revocationTests(() => s);

  it('signing out of the portal ends the session on the server, on every page, not only the cookie', async () => {
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
    const device = await createClient(s.server.context, { clientId: `tv.app${++deviceClients}`, grantTypes: [DEVICE_GRANT], scopes: ['openid'] });
    assert.deepEqual(await surfaces(s, copy, clientId, device), everywhere(false));
  });
});

describePostgres('browser sessions and revocation (PostgreSQL)', () => {
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
