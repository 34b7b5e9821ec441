/**
 * Operators must use a second factor (PROPUSK_ADMIN_REQUIRE_MFA=1): an operator's first sign-in to
 * the console sets one up on the spot and lands in the console; an operator signing in to any other
 * application is asked for it too, while an account without a role is not; and the management API
 * refuses a person's token from a sign-in without it with RFC 9470's answer (the same token works on
 * an instance where the policy is off, on the same database).
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { FormsAgent, formOf } from '../codeflow/support/forms-agent.ts';
import { pkce } from '../codeflow/support/setup.ts';
import { createClient } from '../support/fixtures.ts';
import { postForm, startTestServer, type TestServer } from '../support/server.ts';
import { operatorAccount, signIn } from '../console/support.ts';
import { api } from '../admin-api/support.ts';
import { freshStep, totpCode, totpSecretOf } from './support.ts';

let strict: TestServer;
let lax: TestServer | undefined;
before(async () => {
  strict = await startTestServer({ PROPUSK_ADMIN_REQUIRE_MFA: '1', PROPUSK_SIGN_IN_DELAY_MS: '0' });
});
after(async () => {
  await lax?.stop();
  await strict?.stop();
});

describe('operators must use a second factor', () => {
  it('an operator without a factor sets one up at the console sign-in, then lands in the console', async () => {
    await freshStep();
    const admin = await operatorAccount(strict.context, 'admin');
    const agent = new FormsAgent(strict.issuer);
    const login = await agent.follow('/console/sign-in');
    assert.match(login.html, /name="password"/);
    const enrol = await agent.submit(login, '/login', { login: admin.login, password: admin.password });
    const secret = totpSecretOf(enrol);
    const codes = await agent.submit(enrol, '/enrol-totp', { code: totpCode(secret) });
    const landed = await agent.submit(codes, '/continue', {});
    assert.equal(landed.status, 200, landed.html.slice(0, 500));
    assert.ok(new URL(landed.url).pathname.startsWith('/console'), landed.url);
    assert.doesNotMatch(landed.html, /name="password"/);
    // The console's own API calls pass: the page lists what the operator may see.
    const users = await agent.follow('/console/users');
    assert.equal(users.status, 200);
  });

  it('an operator signing in to another application is asked for the factor; an account without a role is not', async () => {
    const app = await createClient(strict.context, { clientId: 'app.web', grantTypes: ['authorization_code'], redirectUris: ['http://127.0.0.1:9/cb'], scopes: ['openid'] });
    const authorize = (agent: FormsAgent) =>
      agent.follow(`/connect/authorize?${new URLSearchParams({ response_type: 'code', client_id: app.clientId, scope: 'openid', redirect_uri: 'http://127.0.0.1:9/cb', state: 's1', nonce: 'n1' })}`);
    const support = await operatorAccount(strict.context, 'support');
    const a = new FormsAgent(strict.issuer);
    const afterPassword = await a.submit(await authorize(a), '/login', { login: support.login, password: support.password });
    assert.match(afterPassword.html, /data-totp-secret=/, 'an operator sets up a factor');

    const person = await operatorAccount(strict.context, null);
    const b = new FormsAgent(strict.issuer);
    const done = await b.submit(await authorize(b), '/login', { login: person.login, password: person.password });
    assert.doesNotMatch(done.html, /data-totp-secret=|one-time-code/, 'no second step for an account without a role');
  });

});

describe('the console asks for the second factor', () => {
  it('an operator with a factor: password, then the code, then the console', async () => {
    await freshStep();
    const admin = await operatorAccount(strict.context, 'admin');
    const begun = (await strict.context.secondFactors.beginTotp({ id: admin.id, login: admin.login }))!;
    await strict.context.secondFactors.confirmTotp({ id: admin.id, login: admin.login }, totpCode(begun.secret), { actor: 'admin-cli' });
    const agent = new FormsAgent(strict.issuer);
    const login = await agent.follow('/console/sign-in');
    const second = await agent.submit(login, '/login', { login: admin.login, password: admin.password });
    assert.match(second.html, /one-time-code/);
    const landed = await agent.submit(second, '/second-factor', { method: 'totp', code: totpCode(begun.secret, 1) });
    assert.ok(new URL(landed.url).pathname.startsWith('/console'), landed.url);
    assert.equal(landed.status, 200);
    assert.ok(signIn);
  });
});

describe('the management API under the policy', () => {
  it("the management API refuses a person's token without the second factor: 401 insufficient_user_authentication", async () => {
    const auditor = await operatorAccount(strict.context, 'auditor');
    // The console's token from a sign-in with the password only, on the instance without the policy.
    const { verifier, challenge } = pkce();
    // A second instance on the same database, with the policy off (it registers its own console callback).
    lax = await startTestServer({ DATABASE_URL: strict.env.DATABASE_URL!, PROPUSK_ADMIN_REQUIRE_MFA: '0' });
    const redirectUri = `${lax.issuer}/console/callback`;
    const agent = new FormsAgent(lax.issuer);
    const url = new URL('/connect/authorize', lax.issuer);
    for (const [k, v] of Object.entries({ response_type: 'code', client_id: 'propusk-console', scope: 'openid propusk.admin', resource: 'urn:propusk:api:propusk.admin', redirect_uri: redirectUri, code_challenge: challenge, code_challenge_method: 'S256', state: randomBytes(8).toString('hex'), nonce: randomBytes(8).toString('hex') })) url.searchParams.set(k, v);
    const page = await agent.follow(url.href);
    const f = formOf(page.html, '/login');
    let res = await agent.request(new URL(f.action, page.url).href, { form: { csrf: f.csrf, login: auditor.login, password: auditor.password } });
    let location = res.headers.get('location')!;
    for (let i = 0; i < 5 && !location.startsWith(redirectUri); i++) {
      res = await agent.request(new URL(location, lax.issuer).href);
      location = res.headers.get('location')!;
    }
    const code = new URL(location).searchParams.get('code')!;
    const tokens = await postForm(`${lax.issuer}/connect/token`, { grant_type: 'authorization_code', code, client_id: 'propusk-console', redirect_uri: redirectUri, code_verifier: verifier });
    assert.equal(tokens.status, 200, tokens.text);
    const token = String(tokens.json.access_token);

    const allowed = await api(lax.url, token, 'GET', '/audit');
    assert.equal(allowed.status, 200, allowed.text);
    const refused = await api(strict.url, token, 'GET', '/audit');
    assert.equal(refused.status, 401, refused.text);
    const challenge401 = refused.headers.get('www-authenticate') ?? '';
    assert.match(challenge401, /error="insufficient_user_authentication"/);
    assert.match(challenge401, /acr_values="urn:propusk:acr:mfa"/);
    assert.equal(refused.json.type, 'urn:propusk:problem:insufficient-user-authentication');
    assert.equal(refused.json.error, 'insufficient_user_authentication');
  });
});
