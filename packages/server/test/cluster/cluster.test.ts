/**
 * Two `propusk serve` processes on one PostgreSQL schema behind a load balancer (support.ts): every
 * step of every flow may land on either instance, and a change made anywhere (revocation, an
 * api-key revoked or a key rotated by the CLI) holds on both at once.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, it } from 'node:test';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { FormsAgent, formOf, paramsOf, type Page } from '../codeflow/support/forms-agent.ts';
import { API_SCOPE, REDIRECT_URI, authorizeUrl } from '../codeflow/support/setup.ts';
import { basic } from '../support/server.ts';
import { createClient, createUser, resourceCredentials } from '../support/fixtures.ts';
import { claims, createPartner, linkedUser, sign, type Partner } from '../trusted/support.ts';
import { t } from '../../src/views/index.ts';
import { Cluster, STEER, describeCluster, eventually, formFields, on, servedBy, sleep } from './support.ts';

const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
const A = 0;
const B = 1;

describeCluster('two instances on one PostgreSQL database', () => {
  let c: Cluster;
  let web: { clientId: string; apiKey: string };
  let device: { clientId: string; apiKey: string };
  let user: { login: string; password: string; id: string };
  let rs: { clientId: string; secret: string };
  let partner: Partner;
  let linked: { id: string };
  const SUB = 'partner-user-7';

  before(async () => {
    c = await Cluster.start({ env: { PROPUSK_DEVICE_POLL_INTERVAL: '1', PROPUSK_REFRESH_REUSE_INTERVAL: '1' } });
    const ctx = c.admin;
    web = await createClient(ctx, {
      clientId: 'web.app',
      grantTypes: ['authorization_code', 'refresh_token'],
      redirectUris: [REDIRECT_URI],
      scopes: ['openid', 'profile', 'email', 'offline_access', API_SCOPE],
    });
    device = await createClient(ctx, { clientId: 'extern.plugin', grantTypes: [DEVICE_GRANT, 'refresh_token'], scopes: ['openid', 'profile', API_SCOPE] });
    const { account, password } = await createUser(ctx);
    user = { login: account.login, password, id: account.id };
    rs = await resourceCredentials(ctx, API_SCOPE);
    partner = await createPartner(ctx, 'partner.ca');
    linked = await linkedUser(ctx, partner, SUB);
  });

  after(() => c?.stop());

  const introspect = async (i: number, token: string) => (await c.post(i, '/connect/introspect', { token }, { authorization: basic(rs.clientId, rs.secret) })).json;
  const exchange = (i: number, code: string) =>
    c.post(i, '/connect/token', { grant_type: 'authorization_code', code, client_id: web.clientId, client_secret: web.apiKey, redirect_uri: REDIRECT_URI });
  const refresh = (i: number, refreshToken: string) =>
    c.post(i, '/connect/token', { grant_type: 'refresh_token', refresh_token: refreshToken, client_id: web.clientId, client_secret: web.apiKey });
  const jwks = async (i: number) => ((await (await c.fetch(i, '/.well-known/openid-configuration/jwks')).json()) as { keys: { kid: string }[] }).keys.map((k) => k.kid);

  /**
   * Signs in, and consents when asked (the account's consent is remembered after its first
   * sign-in), on the instances the agent is steered to; returns the code.
   */
  async function codeFrom(agent: FormsAgent, who = user, options: { consent?: boolean } = {}): Promise<string> {
    const state = randomBytes(6).toString('hex');
    const login = await agent.follow(authorizeUrl(c.issuer, { state }));
    assert.equal(login.status, 200, login.html);
    const signedIn = await agent.submit(login, '/login', { login: who.login, password: who.password });
    const asked = /name="decision"/.test(signedIn.html);
    if (options.consent !== undefined) assert.equal(asked, options.consent, asked ? 'consent page' : 'no consent page');
    const callback = asked ? await agent.submit(signedIn, '/consent', { decision: 'allow' }) : signedIn;
    const p = paramsOf(callback.url);
    assert.equal(p.state, state);
    assert.ok(p.code, callback.url);
    return p.code;
  }

  /** A code from a flow entirely on instance `i`, exchanged there. */
  async function tokensFrom(i: number) {
    const res = await exchange(i, await codeFrom(new FormsAgent(c.issuer, on(i))));
    assert.equal(res.status, 200, res.text);
    servedBy(res, i);
    return res.json as { access_token: string; refresh_token: string; id_token: string };
  }

  it('instances started together on a fresh schema agree on one signing key and the issuer', async () => {
    assert.deepEqual(await jwks(A), await jwks(B));
    assert.equal((await jwks(A)).length, 1, 'one signing key, not one per instance');
    for (const i of [A, B]) {
      const d = (await (await c.fetch(i, '/.well-known/openid-configuration')).json()) as { issuer: string; token_endpoint: string };
      assert.equal(d.issuer, c.issuer);
      assert.equal(d.token_endpoint, `${c.issuer}/connect/token`);
    }
  });

  it('authorization code: sign-in on A, consent on B, code exchanged on B', async () => {
    const agent = new FormsAgent(c.issuer, on(A));
    const state = randomBytes(6).toString('hex');
    const login = await agent.follow(authorizeUrl(c.issuer, { state }));
    assert.equal(login.status, 200, login.html);
    servedBy(login, A);
    const form = formOf(login.html, '/login');
    const signedIn = await agent.request(new URL(form.action, login.url).href, { form: { csrf: form.csrf, login: user.login, password: user.password } });
    assert.equal(signedIn.status, 303);
    servedBy(signedIn, A);

    agent.headers[STEER] = String(B);
    const consent = await agent.follow(new URL(signedIn.headers.get('location')!, login.url).href);
    servedBy(consent, B);
    assert.match(consent.html, /name="decision"/, 'B shows the consent of the interaction A started');
    const callback = await agent.submit(consent, '/consent', { decision: 'allow' });
    const p = paramsOf(callback.url);
    assert.equal(p.state, state);
    assert.equal(p.iss, c.issuer);

    const res = await exchange(B, p.code!);
    assert.equal(res.status, 200, res.text);
    servedBy(res, B);
    const idToken = decodeJwt(String(res.json.id_token));
    assert.equal(idToken.iss, c.issuer);
    assert.equal(idToken.sub, user.id);
    const active = await introspect(A, String(res.json.access_token));
    assert.equal(active.active, true);
    assert.equal(active.sub, user.id);
    // The code was consumed in the database: A refuses it too.
    assert.equal((await exchange(A, p.code!)).json.error, 'invalid_grant');
  });

  it('authorization code with every request on the other instance than the one before (round-robin, no stickiness)', async () => {
    // A new account: its first sign-in to web.app asks for consent, on one instance or the other.
    const { account, password } = await createUser(c.admin);
    const agent = new FormsAgent(c.issuer);
    const from = c.lb.log.length;
    const code = await codeFrom(agent, { login: account.login, password, id: account.id }, { consent: true });
    const res = await c.post(undefined, '/connect/token', { grant_type: 'authorization_code', code, client_id: web.clientId, client_secret: web.apiKey, redirect_uri: REDIRECT_URI });
    assert.equal(res.status, 200, res.text);
    const served = c.lb.log.slice(from).map((s) => s.instance);
    assert.ok(served.length >= 6, `requests: ${served.join(',')}`);
    assert.ok(
      served.every((s, i) => i === 0 || s !== served[i - 1]),
      `each request on the other instance: ${served.join(',')}`,
    );
  });

  it('device flow: authorized on A, approved in the browser on B, polled on A', async () => {
    const auth = await c.post(A, '/connect/deviceauthorization', { client_id: device.clientId, client_secret: device.apiKey, scope: `openid ${API_SCOPE}` });
    assert.equal(auth.status, 200, auth.text);
    servedBy(auth, A);
    const { device_code: deviceCode, verification_uri_complete: link, interval } = auth.json as { device_code: string; verification_uri_complete: string; interval: number };
    assert.ok(link.startsWith(`${c.issuer}/device`), link);
    const poll = () => c.post(A, '/connect/token', { grant_type: DEVICE_GRANT, device_code: deviceCode, client_id: device.clientId, client_secret: device.apiKey });
    assert.equal((await poll()).json.error, 'authorization_pending');
    const polledAt = Date.now();

    const agent = new FormsAgent(c.issuer, { ...on(B), 'accept-language': 'en' });
    const confirm = await agent.follow(link);
    assert.equal(confirm.status, 200, confirm.html);
    servedBy(confirm, B);
    const done = await approveDevice(agent, confirm);
    servedBy(done, B);
    assert.match(done.html, new RegExp(t('en', 'device.done.success.title')));

    await sleep(Math.max(0, polledAt + interval * 1000 - Date.now()));
    const tokens = await poll();
    assert.equal(tokens.status, 200, tokens.text);
    servedBy(tokens, A);
    const active = await introspect(B, String(tokens.json.access_token));
    assert.equal(active.active, true);
    assert.equal(active.sub, user.id);
  });

  /** From the device confirmation page: confirm, sign in, allow; returns the result page. */
  async function approveDevice(agent: FormsAgent, confirm: Page): Promise<Page> {
    const { action, fields } = formFields(confirm.html, '/device');
    const login = await agent.follow(new URL(action, confirm.url).href, { form: { ...fields, confirm: 'yes' } });
    assert.match(login.html, /name="password"/, 'sign-in page');
    const consent = await agent.submit(login, '/login', { login: user.login, password: user.password });
    assert.match(consent.html, /name="decision"/, 'consent page');
    const done = await agent.submit(consent, '/consent', { decision: 'allow' });
    assert.equal(done.status, 200, done.html);
    return done;
  }

  it('a refresh token issued on A is used on B; the rotated one is served on A within the reuse interval, then refused', async () => {
    const first = await tokensFrom(A);
    const second = await refresh(B, first.refresh_token);
    assert.equal(second.status, 200, second.text);
    servedBy(second, B);
    assert.notEqual(second.json.refresh_token, first.refresh_token, 'rotated');
    assert.equal((await introspect(A, String(second.json.access_token))).active, true);
    const within = await refresh(A, first.refresh_token);
    assert.equal(within.status, 200, within.text);
    servedBy(within, A);
    await sleep(1300);
    assert.equal((await refresh(A, first.refresh_token)).json.error, 'invalid_grant', 'the rotated refresh token is spent on every instance');
  });

  it('a token revoked on A introspects inactive on B at once', async () => {
    const { access_token: token, refresh_token: refreshToken } = await tokensFrom(A);
    assert.equal((await introspect(B, token)).active, true);
    const revoke = (i: number, t: string) => c.post(i, '/connect/revocation', { token: t }, { authorization: basic(web.clientId, web.apiKey) });
    assert.equal((await revoke(A, token)).status, 200);
    assert.deepEqual(await introspect(B, token), { active: false });
    assert.equal((await revoke(A, refreshToken)).status, 200);
    assert.equal((await refresh(B, refreshToken)).json.error, 'invalid_grant');
  });

  it('the same trusted JWT sent to A and B at once gives exactly one token', async () => {
    for (let round = 0; round < 5; round++) {
      const jwt = await sign(partner, claims(partner, SUB));
      const form = { grant_type: 'trusted', client_id: partner.clientId, client_secret: partner.apiKey, scope: API_SCOPE, token: jwt };
      const results = await Promise.all([c.post(A, '/connect/token', form), c.post(B, '/connect/token', form)]);
      const won = results.filter((r) => r.status === 200);
      assert.equal(won.length, 1, `round ${round}: ${results.map((r) => `${r.status} ${r.text}`).join(' | ')}`);
      const lost = results.find((r) => r.status !== 200)!;
      assert.equal(lost.status, 400, lost.text);
      assert.equal(lost.json.error, 'invalid_grant', lost.text);
      const active = await introspect(A, String(won[0]!.json.access_token));
      assert.equal(active.active, true);
      assert.equal(active.sub, linked.id);
    }
  });

  it('an api-key revoked through the CLI is refused by both instances within a second', async () => {
    const svc = await createClient(c.admin, { clientId: `svc-${randomBytes(3).toString('hex')}` });
    const token = (i: number) => c.post(i, '/connect/token', { grant_type: 'client_credentials', client_id: svc.clientId, client_secret: svc.apiKey, scope: API_SCOPE });
    // Both instances have the key in their caches now.
    for (const i of [A, B]) assert.equal((await token(i)).status, 200);
    const cli = await c.cli(['client', 'revoke-key', svc.clientId, svc.apiKeyId, '--json']);
    assert.equal(cli.code, 0, cli.stderr);
    for (const i of [A, B]) {
      const { value: res, afterMs } = await eventually(`instance ${i} refuses the revoked key`, 1000, async () => {
        const r = await token(i);
        return r.status === 200 ? undefined : r;
      });
      assert.equal(res.status, 401, res.text);
      assert.equal(res.json.error, 'invalid_client');
      assert.ok(afterMs <= 1000);
    }
  });

  it('a signing-key rotation through the CLI is published first, and signs, on both instances within two seconds', async () => {
    // Both instances answer the JWKS from prepared bytes before the rotation (provider/discovery-cache.ts).
    for (const i of [A, B, A, B]) await jwks(i);
    const before = await jwks(A);
    const refreshTokens = [await tokensFrom(A), await tokensFrom(B)].map((t) => t.refresh_token);
    const cli = await c.cli(['keys', 'rotate', '--json']);
    assert.equal(cli.code, 0, cli.stderr);
    const { kid } = JSON.parse(cli.stdout) as { kid: string };
    // Every instance publishes the new key within a second (the change feed, then the kept answer is replaced).
    await Promise.all([A, B].map((i) => eventually(`instance ${i} lists ${kid} first`, 1000, async () => ((await jwks(i))[0] === kid ? true : undefined))));
    for (const i of [A, B]) {
      const kids = await jwks(i);
      for (const old of before) assert.ok(kids.includes(old), 'the previous key stays published');
      const res = await refresh(i, refreshTokens[i]!);
      assert.equal(res.status, 200, res.text);
      assert.equal(decodeProtectedHeader(String(res.json.id_token)).kid, kid, `instance ${i} signs with the new key`);
    }
  });
});
