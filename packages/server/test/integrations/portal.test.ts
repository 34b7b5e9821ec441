/**
 * The integrator portal over HTTP with a cookie-jar agent (no JavaScript): invitation links (once,
 * expiry, unknown), sign-in and sign-up, owners only, CSRF, redirect URIs, and the api-key shown
 * exactly once — never again on a page, in the logs or in audit events.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { FormsAgent, formOf } from '../codeflow/support/forms-agent.ts';
import { acceptAs, clientCredentials, invite, issueKey, newClient, newUser, setupPortal, signedInAgent, type PortalSetup } from './support.ts';

let s: PortalSetup;
before(async () => {
  s = await setupPortal();
});
after(() => s?.server.stop());

const path = (url: string) => new URL(url).pathname;

describe('invitation links', () => {
  it('sign in on the link makes the account an owner; the link then answers 410 (used)', async () => {
    const clientId = await newClient(s, { name: 'Бухгалтерия <Онлайн>' });
    const user = await newUser(s);
    const inv = await invite(s, clientId);
    const anonymous = new FormsAgent(s.issuer, { 'accept-language': 'ru' });
    const invitation = await anonymous.follow(inv.url);
    assert.equal(invitation.status, 200);
    assert.ok(invitation.html.includes('Бухгалтерия &lt;Онлайн&gt;'), 'client name, escaped');
    assert.ok(invitation.html.includes(clientId));
    assert.doesNotMatch(invitation.html, /\/sign-up"/, 'no sign-up form without --allow-signup');

    const { agent, page } = await acceptAs(s, inv.url, user);
    assert.equal(path(page.url), `/integrations/clients/${clientId}`);
    assert.ok(await s.server.context.integrations.isOwner(clientId, user.id));

    const again = await agent.follow(inv.url);
    assert.equal(again.status, 410);
    assert.match(again.html, /already been used|уже использовано/);
    const other = await newUser(s);
    const fresh = new FormsAgent(s.issuer);
    const stale = await fresh.follow(inv.url);
    assert.equal(stale.status, 410);
    // A copy of the sign-in form posted after the link was used is refused too, and nobody becomes an owner.
    const replay = await fresh.request(`${path(inv.url)}/sign-in`, { form: { csrf: formOf(invitation.html, '/sign-in').csrf, login: other.login, password: other.password } });
    assert.ok(replay.status === 403 || replay.status === 410, String(replay.status));
    assert.equal(await s.server.context.integrations.isOwner(clientId, other.id), false);

    const events = await s.server.context.audit.tail({ type: 'integration.invitation_accepted' });
    assert.ok(events.some((e) => e.clientId === clientId && e.accountId === user.id && e.outcome === 'success'));
  });

  it('an expired link answers 410 and cannot be accepted; an unknown one 404', async () => {
    const clientId = await newClient(s);
    const user = await newUser(s);
    const { token, invitation } = await s.server.context.integrations.invite({ clientId, createdBy: 'admin-cli', ttlMs: 60_000 }, new Date(Date.now() - 120_000));
    assert.ok(invitation.expiresAt.getTime() < Date.now());
    const agent = new FormsAgent(s.issuer);
    const page = await agent.follow(`/integrations/invitations/${token}`);
    assert.equal(page.status, 410);
    assert.match(page.html, /expired|истёк/);
    assert.equal(await s.server.context.integrations.isOwner(clientId, user.id), false);
    await assert.rejects(s.server.context.integrations.accept(token, user as never), { code: 'ERR_INVITATION_EXPIRED' });

    for (const bad of ['A'.repeat(43), 'short', `${token}x`]) {
      const unknown = await agent.follow(`/integrations/invitations/${bad}`);
      assert.equal(unknown.status, 404, bad);
      assert.match(unknown.html, /not valid|недействительна/);
    }
  });

  it('stores only the SHA-256 of the token', async () => {
    const clientId = await newClient(s);
    const inv = await invite(s, clientId);
    const token = inv.url.split('/').at(-1)!;
    assert.match(token, /^[A-Za-z0-9_-]{43}$/);
    const row = await s.server.context.db.selectFrom('invitation').selectAll().where('id', '=', inv.invitation_id).executeTakeFirstOrThrow();
    assert.equal(row.token_hash, createHash('sha256').update(token).digest('hex'));
    assert.ok(!JSON.stringify(row).includes(token));
  });

  it('an invitation for an email refuses other accounts (403) and stays usable', async () => {
    const clientId = await newClient(s);
    const intended = await newUser(s);
    const intruder = await newUser(s);
    const inv = await invite(s, clientId, ['--email', intended.login.toUpperCase()]);
    const agent = new FormsAgent(s.issuer);
    const page = await agent.follow(inv.url);
    assert.ok(page.html.includes(intended.login));
    const refused = await agent.submit(page, '/sign-in', { login: intruder.login, password: intruder.password });
    assert.equal(refused.status, 403);
    assert.equal(await s.server.context.integrations.isOwner(clientId, intruder.id), false);
    const { page: accepted } = await acceptAs(s, inv.url, intended);
    assert.equal(path(accepted.url), `/integrations/clients/${clientId}`);
  });

  it('a wrong password gets the generic sign-in error and accepts nothing', async () => {
    const clientId = await newClient(s);
    const user = await newUser(s);
    const inv = await invite(s, clientId);
    const agent = new FormsAgent(s.issuer, { 'accept-language': 'en' });
    const page = await agent.follow(inv.url);
    const wrong = await agent.submit(page, '/sign-in', { login: user.login, password: 'not-the-password' });
    assert.equal(wrong.status, 401);
    assert.match(wrong.html, /Incorrect login or password/);
    const unknown = await agent.submit(page, '/sign-in', { login: 'nobody@example.com', password: 'whatever-123' });
    assert.equal(unknown.status, 401);
    assert.equal(unknown.html.replace(/value="[^"]*"/g, ''), wrong.html.replace(/value="[^"]*"/g, ''), 'same page for unknown login and wrong password');
    assert.equal(await s.server.context.integrations.isOwner(clientId, user.id), false);
  });
});

describe('signed in already', () => {
  it('the invitation page offers "Accept invitation" to the signed-in account', async () => {
    const clientId = await newClient(s);
    const user = await newUser(s);
    const agent = await signedInAgent(s, user);
    const inv = await invite(s, clientId);
    const page = await agent.follow(`${inv.url}?lang=en`);
    assert.match(page.html, />Accept invitation<\/button>/);
    assert.ok(page.html.includes(user.login));
    const accepted = await agent.submit(page, '/accept', {});
    assert.equal(path(accepted.url), `/integrations/clients/${clientId}`);
    assert.ok(await s.server.context.integrations.isOwner(clientId, user.id));
  });

  it('sign-in returns only to portal paths', async () => {
    const user = await newUser(s);
    for (const [next, expected] of [['//evil.example/x', '/integrations'], ['https://evil.example/', '/integrations'], ['/account', '/integrations'], ['/integrations/clients/x', '/integrations/clients/x']]) {
      const agent = new FormsAgent(s.issuer);
      const page = await agent.follow(`/integrations/sign-in?next=${encodeURIComponent(next!)}`);
      const form = formOf(page.html, '/integrations/sign-in');
      const res = await agent.request(form.action, { form: { csrf: form.csrf, login: user.login, password: user.password } });
      assert.equal(res.status, 303);
      assert.equal(res.headers.get('location'), expected, next);
    }
  });

  it('behind https the sign-in form binding and the session cookie are Secure, HttpOnly, SameSite=Lax', async () => {
    const https = await setupPortal({ PROPUSK_ISSUER: 'https://id.example.test' });
    try {
      const user = await newUser(https);
      const res = await fetch(`${https.server.url}/integrations`, { headers: { accept: 'text/html' } });
      assert.equal(res.status, 200);
      const binding = res.headers.getSetCookie().filter((c) => c.startsWith('propusk.csrf'));
      assert.equal(binding.length, 2, 'the sign-in form binds its token to a signed cookie (value and signature)');
      const form = formOf(await res.text(), '/integrations/sign-in');
      const signIn = await fetch(new URL(form.action, https.server.url), {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: binding.map((c) => c.split(';')[0]).join('; ') },
        body: new URLSearchParams({ csrf: form.csrf, login: user.login, password: user.password }),
      });
      assert.equal(signIn.status, 303);
      const session = signIn.headers.getSetCookie().filter((c) => c.startsWith('_session'));
      assert.equal(session.length, 2, 'the browser session shared by every page (value and signature)');
      for (const cookie of [...binding, ...session]) {
        assert.match(cookie, /;\s*secure/i, cookie);
        assert.match(cookie, /;\s*httponly/i, cookie);
        assert.match(cookie, /;\s*samesite=lax/i, cookie);
      }
    } finally {
      await https.server.stop();
    }
  });
});

describe('sign-up on the invitation page', () => {
  it('is offered with --allow-signup: the new account becomes an owner; password rules apply', async () => {
    const clientId = await newClient(s);
    const inv = await invite(s, clientId, ['--allow-signup', '--email', 'new.integrator@example.com']);
    const agent = new FormsAgent(s.issuer, { 'accept-language': 'en' });
    const page = await agent.follow(inv.url);
    assert.match(page.html, /action="\/integrations\/invitations\/[^"]+\/sign-up"/);

    const short = await agent.submit(page, '/sign-up', { email: 'new.integrator@example.com', password: 'short' });
    assert.equal(short.status, 400);
    assert.match(short.html, /at least 10 characters/);
    const otherEmail = await agent.submit(page, '/sign-up', { email: 'someone.else@example.com', password: 'long-enough-password' });
    assert.equal(otherEmail.status, 400);
    await assert.rejects(s.server.context.accounts.resolve('someone.else@example.com'), { code: 'ERR_NOT_FOUND' });

    const done = await agent.submit(page, '/sign-up', { email: 'New.Integrator@example.com', password: 'long-enough-password' });
    assert.equal(path(done.url), `/integrations/clients/${clientId}`);
    const account = await s.server.context.accounts.resolve('new.integrator@example.com');
    assert.ok(await s.server.context.integrations.isOwner(clientId, account.id));
    assert.ok(await s.server.context.accounts.authenticate('new.integrator@example.com', 'long-enough-password'));
  });

  it('is neither offered nor accepted without --allow-signup', async () => {
    const clientId = await newClient(s);
    const inv = await invite(s, clientId);
    const agent = new FormsAgent(s.issuer);
    const page = await agent.follow(inv.url);
    assert.doesNotMatch(page.html, /sign-up/);
    const csrf = formOf(page.html, '/sign-in').csrf;
    const res = await agent.request(`${path(inv.url)}/sign-up`, { form: { csrf, email: 'sneaky@example.com', password: 'long-enough-password' } });
    assert.equal(res.status, 404);
    await assert.rejects(s.server.context.accounts.resolve('sneaky@example.com'), { code: 'ERR_NOT_FOUND' });
  });
});

describe('access control', () => {
  let owner: FormsAgent;
  let stranger: FormsAgent;
  let clientId: string;
  let keyId: string;

  before(async () => {
    clientId = await newClient(s);
    const user = await newUser(s);
    ({ agent: owner } = await acceptAs(s, (await invite(s, clientId)).url, user));
    await issueKey(owner, clientId);
    keyId = (await s.server.context.clients.listKeys(clientId)).find((k) => !k.revokedAt)!.id;
    stranger = await signedInAgent(s, await newUser(s));
  });

  it('without a session every portal page is the sign-in page', async () => {
    const anonymous = new FormsAgent(s.issuer, { 'accept-language': 'en' });
    for (const url of ['/integrations', `/integrations/clients/${clientId}`, `/integrations/clients/${clientId}/redirect-uris`]) {
      const page = await anonymous.follow(url);
      assert.equal(page.status, 200);
      assert.match(page.html, /action="\/integrations\/sign-in\?next=/);
      assert.doesNotMatch(page.html, /Ромашка|acme\.example/, 'nothing of the client is shown');
    }
  });

  it('another signed-in user gets 404 for the client on every page and every POST, and changes nothing', async () => {
    const list = await stranger.follow('/integrations');
    assert.equal(list.status, 200);
    assert.ok(!list.html.includes(clientId));
    const csrf = formOf(list.html, '/integrations/sign-out').csrf;
    const missing = await stranger.follow('/integrations/clients/no.such.client');
    for (const url of [`/integrations/clients/${clientId}`, `/integrations/clients/${clientId}/redirect-uris`, `/integrations/clients/${clientId}/keys/${keyId}/revoke`]) {
      const page = await stranger.follow(url);
      assert.equal(page.status, 404, url);
      assert.equal(page.html.replace(/[0-9a-f-]{36}/g, ''), missing.html.replace(/[0-9a-f-]{36}/g, ''), 'same answer as for a client that does not exist');
    }
    const posts: [string, Record<string, string>][] = [
      [`/integrations/clients/${clientId}/keys`, { label: 'x' }],
      [`/integrations/clients/${clientId}/keys/${keyId}/revoke`, { confirm: 'yes' }],
      [`/integrations/clients/${clientId}/redirect-uris`, { redirect_uris: 'https://evil.example/cb' }],
      [`/integrations/clients/${clientId}/invitations`, { email: '' }],
    ];
    const keysBefore = await s.server.context.clients.listKeys(clientId);
    for (const [url, form] of posts) {
      const res = await stranger.request(url, { form: { csrf, ...form } });
      assert.equal(res.status, 404, url);
    }
    assert.deepEqual(await s.server.context.clients.listKeys(clientId), keysBefore);
    assert.deepEqual((await s.server.context.clients.get(clientId)).redirectUris, ['https://acme.example/cb']);
    assert.equal((await s.server.context.integrations.ownersOf(clientId)).length, 1);
  });

  it('POSTs without the CSRF token, or with another session\'s token, are refused with 403', async () => {
    const keysBefore = await s.server.context.clients.listKeys(clientId);
    const strangerCsrf = formOf((await stranger.follow('/integrations')).html, '/integrations/sign-out').csrf;
    for (const csrf of [undefined, '', strangerCsrf, 'x'.repeat(43)]) {
      for (const url of [`/integrations/clients/${clientId}/keys`, `/integrations/clients/${clientId}/keys/${keyId}/revoke`, `/integrations/clients/${clientId}/redirect-uris`]) {
        const res = await owner.request(url, { form: { ...(csrf === undefined ? {} : { csrf }), confirm: 'yes', redirect_uris: 'https://x.example/cb' } });
        assert.equal(res.status, 403, `${url} csrf=${csrf}`);
      }
    }
    assert.deepEqual(await s.server.context.clients.listKeys(clientId), keysBefore);
    assert.deepEqual((await s.server.context.clients.get(clientId)).redirectUris, ['https://acme.example/cb']);
  });

  it('state changes are POST only', async () => {
    for (const url of [`/integrations/clients/${clientId}/keys`, '/integrations/sign-out', `/integrations/clients/${clientId}/invitations`]) {
      const res = await owner.request(url);
      assert.equal(res.status, 405, url);
    }
  });

  it('sign out ends the session: the pages show the sign-in form again', async () => {
    const agent = await signedInAgent(s, await newUser(s));
    const list = await agent.follow('/integrations');
    const out = await agent.submit(list, '/integrations/sign-out', {});
    assert.equal(path(out.url), '/integrations/sign-in');
    const after = await agent.follow('/integrations');
    assert.match(after.html, /action="\/integrations\/sign-in/);
  });

  it('the portal signs in with the browser session of every page (HttpOnly, SameSite=Lax); forged cookies are ignored', async () => {
    const agent = new FormsAgent(s.issuer);
    const page = await agent.follow('/integrations');
    const user = await newUser(s);
    const res = await agent.request(formOf(page.html, '/integrations/sign-in').action, { form: { csrf: formOf(page.html, '/integrations/sign-in').csrf, login: user.login, password: user.password } });
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('_session='))!;
    assert.ok(cookie, 'the provider session cookie');
    assert.match(cookie, /path=\/;/i);
    assert.match(cookie, /httponly/i);
    assert.match(cookie, /samesite=lax/i);
    assert.doesNotMatch(res.headers.getSetCookie().join('\n'), /propusk\.portal=/, 'no session of its own');
    // The same session is signed in on /account.
    const account = await agent.follow('/account');
    assert.match(account.html, /action="\/account\/sign-out/);
    // Another session id under the copied signature, or a signature of our own making, is not a session.
    for (const [value, sig] of [[`${agent.jar.get('_session')}x`, agent.jar.get('_session.sig')!], [agent.jar.get('_session')!, 'AAAAAAAAAAAAAAAAAAAAAAAAAAA']] as const) {
      const forgedAgent = new FormsAgent(s.issuer);
      forgedAgent.jar.set('_session', value!);
      forgedAgent.jar.set('_session.sig', sig);
      const forgedPage = await forgedAgent.follow('/integrations');
      assert.match(forgedPage.html, /action="\/integrations\/sign-in/);
    }
  });
});

describe('api-keys', () => {
  it('Issue key shows the GUID once (no-store, copy button, warning); it works at /connect/token at once, and revoking refuses it at once', async () => {
    const clientId = await newClient(s);
    const user = await newUser(s);
    const { agent } = await acceptAs(s, (await invite(s, clientId)).url, user, { 'accept-language': 'en' });
    const issued = await issueKey(agent, clientId, 'prod server');
    assert.equal(issued.headers.get('cache-control'), 'no-store');
    assert.match(issued.html, /data-copy-target="api-key"/);
    assert.match(issued.html, /shown only once/);
    assert.match(issued.html, /<script src="\/assets\/propusk.js" defer><\/script>/);

    const ok = await clientCredentials(s, clientId, issued.key);
    assert.equal(ok.status, 200, ok.text);
    assert.equal(ok.json.token_type, 'Bearer');

    const clientPage = await agent.follow(`/integrations/clients/${clientId}`);
    assert.match(clientPage.html, /prod server/);
    const keyId = /\/keys\/([0-9a-f-]{36})\/revoke/.exec(clientPage.html)![1]!;
    const confirm = await agent.follow(`/integrations/clients/${clientId}/keys/${keyId}/revoke`);
    assert.equal(confirm.status, 200);
    assert.match(confirm.html, /Revoke api-key\?/);
    assert.equal((await clientCredentials(s, clientId, issued.key)).status, 200, 'the confirmation page alone revokes nothing');
    // Without confirm=yes the POST only leads back to the confirmation.
    const form = formOf(confirm.html, '/revoke');
    const unconfirmed = await agent.request(form.action, { form: { csrf: form.csrf } });
    assert.equal(unconfirmed.status, 303);
    assert.equal((await clientCredentials(s, clientId, issued.key)).status, 200);

    const revoked = await agent.submit(confirm, '/revoke', { confirm: 'yes' });
    assert.equal(path(revoked.url), `/integrations/clients/${clientId}`);
    assert.match(revoked.html, /has been revoked/);
    const refused = await clientCredentials(s, clientId, issued.key);
    assert.equal(refused.status, 401);
    assert.equal(refused.json.error, 'invalid_client');
    const again = await agent.follow(`/integrations/clients/${clientId}/keys/${keyId}/revoke`);
    assert.equal(again.status, 404);

    const types = (await s.server.context.audit.tail({ limit: 1000 })).filter((e) => e.clientId === clientId).map((e) => e.type);
    for (const t of ['integration.invitation_created', 'integration.invitation_accepted', 'integration.owner_added', 'api_key.issued', 'api_key.revoked']) assert.ok(types.includes(t), t);
  });

  it('the key never appears again: not on any portal page, not in the logs, not in audit events', async () => {
    const clientId = await newClient(s);
    const user = await newUser(s);
    const inv = await invite(s, clientId);
    const { agent } = await acceptAs(s, inv.url, user);
    const { key, html } = await issueKey(agent, clientId);
    assert.ok(html.includes(key));
    assert.equal((await clientCredentials(s, clientId, key)).status, 200);

    const keyId = (await s.server.context.clients.listKeys(clientId)).find((k) => !k.revokedAt)!.id;
    const pages = [
      '/integrations',
      '/integrations/sign-in',
      `/integrations/clients/${clientId}`,
      `/integrations/clients/${clientId}/redirect-uris`,
      `/integrations/clients/${clientId}/keys/${keyId}/revoke`,
      `/integrations/clients/${clientId}?done=revoked`,
      inv.url,
    ];
    for (const url of pages) {
      for (const lang of ['ru', 'en']) {
        const page = await agent.follow(`${url}${url.includes('?') ? '&' : '?'}lang=${lang}`);
        assert.ok(page.html.length > 0, url);
        assert.ok(!page.html.includes(key), `key on ${url}`);
      }
    }
    // An invitation for a colleague is a page of its own; it does not carry the key either.
    const clientPage = await agent.follow(`/integrations/clients/${clientId}`);
    const inviteForm = formOf(clientPage.html, '/invitations');
    const colleague = await agent.request(inviteForm.action, { form: { csrf: inviteForm.csrf, email: '' } });
    assert.ok(!(await colleague.text()).includes(key));

    const logText = s.logs.join('');
    assert.ok(logText.length > 0, 'logs were captured');
    assert.ok(logText.includes('audit api_key.issued'), 'the audit line is in the captured log');
    assert.ok(!logText.includes(key), 'the key is not in the logs');
    assert.ok(!logText.includes(inv.url.split('/').at(-1)!), 'the invitation token is not in the logs');
    const events = await s.server.context.audit.tail({ limit: 10_000 });
    assert.ok(!JSON.stringify(events).includes(key), 'the key is not in audit events');
    assert.ok(!JSON.stringify(events).includes(inv.url.split('/').at(-1)!), 'the invitation token is not in audit events');
  });

  it('several owners: an owner invites a colleague, who then sees and manages the same client', async () => {
    const clientId = await newClient(s);
    const first = await newUser(s);
    const second = await newUser(s);
    const { agent } = await acceptAs(s, (await invite(s, clientId)).url, first);
    const clientPage = await agent.follow(`/integrations/clients/${clientId}`);
    const form = formOf(clientPage.html, '/invitations');
    const posted = await agent.request(form.action, { form: { csrf: form.csrf, email: second.login } });
    await posted.body?.cancel();
    assert.equal(posted.status, 303, 'post/redirect/get');
    const res = await agent.request(posted.headers.get('location')!);
    const html = await res.text();
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('cache-control'), 'no-store');
    const url = /<code id="invitation-url"[^>]*>([^<]+)<\/code>/.exec(html)![1]!;
    assert.ok(url.startsWith(`${s.issuer}/integrations/invitations/`));
    const { agent: colleague } = await acceptAs(s, url, second);
    const list = await colleague.follow('/integrations');
    assert.ok(list.html.includes(clientId));
    assert.equal((await s.server.context.integrations.ownersOf(clientId)).length, 2);
    const ownersPage = await colleague.follow(`/integrations/clients/${clientId}`);
    assert.ok(ownersPage.html.includes(first.login) && ownersPage.html.includes(second.login));
    const events = await s.server.context.audit.tail({ type: 'integration.invitation_created' });
    assert.ok(events.some((e) => e.clientId === clientId && e.actor === `account:${first.id}` && e.details.email === second.login));
  });

  it('permissions are shown read-only', async () => {
    const clientId = await newClient(s);
    await s.server.context.clients.setPermission(clientId, 'link-by-phone', true, null);
    const { agent } = await acceptAs(s, (await invite(s, clientId)).url, await newUser(s), { 'accept-language': 'en' });
    const page = await agent.follow(`/integrations/clients/${clientId}`);
    assert.match(page.html, /Linking users by phone \(register-external-service-id\)<\/dt><dd>granted/);
    assert.match(page.html, /Trusted authentication \(grant_type=trusted\)<\/dt><dd>not granted/);
    assert.doesNotMatch(page.html, /name="permission|\/permissions"/, 'no form changes permissions');
  });
});

describe('redirect URIs', () => {
  it('http://example.com is refused; http://localhost:8080/cb is accepted, audited and used by /connect/authorize at once', async () => {
    const clientId = await newClient(s);
    const user = await newUser(s);
    const { agent } = await acceptAs(s, (await invite(s, clientId)).url, user, { 'accept-language': 'en' });
    const editor = await agent.follow(`/integrations/clients/${clientId}/redirect-uris`);
    assert.equal(editor.status, 200);
    assert.ok(editor.html.includes('https://acme.example/cb'));

    for (const list of ['https://acme.example/cb\nhttp://example.com/cb', 'http://example.com', 'https://acme.example/cb#frag', 'not a url', '', ' \n ']) {
      const refused = await agent.submit(editor, '/redirect-uris', { redirect_uris: list });
      assert.equal(refused.status, 400, list);
      assert.match(refused.html, /<p class="field__error" id="redirect-uris-error" role="alert">/);
    }
    const named = await agent.submit(editor, '/redirect-uris', { redirect_uris: 'http://example.com/cb' });
    assert.ok(named.html.includes('“http://example.com/cb” cannot be used'));
    assert.deepEqual((await s.server.context.clients.get(clientId)).redirectUris, ['https://acme.example/cb']);

    const authorize = (redirectUri: string) =>
      fetch(`${s.issuer}/connect/authorize?${new URLSearchParams({ response_type: 'code', client_id: clientId, scope: 'openid', redirect_uri: redirectUri, state: 'st', nonce: 'n' })}`, { redirect: 'manual' });
    assert.equal((await authorize('http://localhost:8080/cb')).status, 400, 'not registered yet');

    const saved = await agent.submit(editor, '/redirect-uris', { redirect_uris: 'https://acme.example/cb\r\nhttp://localhost:8080/cb\n' });
    assert.equal(path(saved.url), `/integrations/clients/${clientId}`);
    assert.match(saved.html, /Redirect URIs saved/);
    assert.deepEqual((await s.server.context.clients.get(clientId)).redirectUris, ['https://acme.example/cb', 'http://localhost:8080/cb']);
    const res = await authorize('http://localhost:8080/cb');
    assert.equal(res.status, 303, 'the new redirect URI is accepted at once');
    assert.match(res.headers.get('location') ?? '', /\/interaction\//);

    const events = await s.server.context.audit.tail({ type: 'client.redirect_uris_changed' });
    assert.ok(events.some((e) => e.clientId === clientId && e.accountId === user.id));
  });

  it('a client without the authorization_code grant has no editor', async () => {
    const clientId = await newClient(s, { grantTypes: ['client_credentials'] });
    const { agent } = await acceptAs(s, (await invite(s, clientId)).url, await newUser(s));
    const page = await agent.follow(`/integrations/clients/${clientId}`);
    assert.doesNotMatch(page.html, /redirect-uris"/);
    assert.equal((await agent.follow(`/integrations/clients/${clientId}/redirect-uris`)).status, 404);
  });
});
