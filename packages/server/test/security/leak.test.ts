/**
 * Secret-leak test: after every flow Propusk serves — client credentials, the code flow (with a
 * wrong password, refresh rotation and reuse, introspection, userinfo, revocation, sign-out), the
 * device flow, the trusted grant (and its replay), linking, and an api-key issued by the admin CLI
 * — neither the server's log (every level), nor the audit trail, nor any error answer contains an
 * api-key, password, refresh or access token, authorization or device code, or trusted JWT of the run.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { basic, postForm, runCli, startTestServer, type TestServer } from '../support/server.ts';
import { createClient, createUser, resourceCredentials } from '../support/fixtures.ts';
import { FormsAgent, paramsOf, type Page } from '../codeflow/support/forms-agent.ts';
import { authorizeUrl, REDIRECT_URI } from '../codeflow/support/setup.ts';
import { claims, createPartner, sign } from '../trusted/support.ts';

const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

/** Every hidden input and the named submit button of the form whose action contains `step`, plus `fields`. */
function formFields(page: Page, step: string, fields: Record<string, string>): { action: string; form: Record<string, string> } {
  for (const m of page.html.matchAll(/<form[^>]*action="([^"]*)"[^>]*>([\s\S]*?)<\/form>/g)) {
    const action = m[1]!.replace(/&amp;/g, '&');
    if (!action.includes(step)) continue;
    const form: Record<string, string> = {};
    for (const input of m[2]!.matchAll(/<input[^>]*type="hidden"[^>]*name="([^"]*)"[^>]*value="([^"]*)"/g)) form[input[1]!] = input[2]!.replace(/&amp;/g, '&');
    return { action: new URL(action, page.url).href, form: { ...form, ...fields } };
  }
  assert.fail(`no form for ${step} in ${page.url}:\n${page.html.slice(0, 1500)}`);
}

describe('no secret leaks into logs, audit events or error answers', () => {
  let server: TestServer;
  const logs: string[] = [];
  /** Bodies of every 4xx/5xx answer of the run. */
  const errorAnswers: string[] = [];
  const secrets = new Map<string, string>();
  const keep = (label: string, value: unknown) => {
    assert.equal(typeof value, 'string', `${label} is a string`);
    assert.ok((value as string).length >= 8, `${label} is long enough to search for`);
    secrets.set(label, value as string);
    return value as string;
  };
  const watch = async <T extends { status: number; text: string }>(res: Promise<T>): Promise<T> => {
    const r = await res;
    if (r.status >= 400) errorAnswers.push(r.text);
    return r;
  };
  const token = (form: Record<string, string>, headers: Record<string, string> = {}) => watch(postForm(`${server.url}/connect/token`, form, headers));

  before(async () => {
    // A 1 s refresh reuse interval: the reuse below waits it out to take the reuse-detection path.
    server = await startTestServer({ PROPUSK_LOG_LEVEL: 'trace', PROPUSK_SIGN_IN_DELAY_MS: '0', PROPUSK_REFRESH_REUSE_INTERVAL: '1' }, { logStream: { write: (line) => void logs.push(line) } });
  });
  after(() => server.stop());

  it('runs every flow', async () => {
    const ctx = server.context;
    const scopes = ['openid', 'profile', 'email', 'offline_access', 'extern.api'];
    const web = await createClient(ctx, { clientId: 'web.app', grantTypes: ['authorization_code', 'refresh_token'], redirectUris: [REDIRECT_URI], postLogoutRedirectUris: ['http://127.0.0.1:9/signed-out'], scopes });
    const device = await createClient(ctx, { clientId: 'device.app', grantTypes: [DEVICE_GRANT, 'refresh_token'], scopes });
    const service = await createClient(ctx, { clientId: 'service.app' });
    const partner = await createPartner(ctx, 'partner.app', { permissions: ['trusted', 'link-by-phone'] });
    const rs = await resourceCredentials(ctx, 'extern.api');
    const phone = '9007654321';
    const { account, password } = await createUser(ctx, { phone });
    keep('web api-key', web.apiKey);
    keep('device api-key', device.apiKey);
    keep('service api-key', service.apiKey);
    keep('partner api-key', partner.apiKey);
    keep('introspection secret', rs.secret);
    keep('password', password);
    const wrongPassword = keep('wrong password', 'Wrong-Password-7f3a9c');

    // client_credentials, introspection, revocation.
    const cc = await token({ grant_type: 'client_credentials', scope: 'extern.api', client_id: service.clientId, client_secret: service.apiKey });
    assert.equal(cc.status, 200);
    keep('client_credentials token', cc.json.access_token);
    await token({ grant_type: 'client_credentials', scope: 'extern.api', client_id: service.clientId, client_secret: `${service.apiKey}x` });
    await watch(postForm(`${server.url}/connect/introspect`, { token: String(cc.json.access_token) }, { authorization: basic(rs.clientId, rs.secret) }));
    await watch(postForm(`${server.url}/connect/revocation`, { token: String(cc.json.access_token) }, { authorization: basic(service.clientId, service.apiKey) }));

    // Code flow through the forms, a wrong password first.
    const agent = new FormsAgent(server.url);
    const login = await agent.follow(authorizeUrl(server.url));
    const failed = await agent.submit(login, '/login', { login: account.login, password: wrongPassword });
    assert.equal(failed.status, 401);
    errorAnswers.push(failed.html);
    const consent = await agent.submit(failed, '/login', { login: account.login, password });
    const callback = await agent.submit(consent, '/consent', { decision: 'allow' });
    const code = keep('authorization code', paramsOf(callback.url).code);
    const first = await token({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, client_id: web.clientId, client_secret: web.apiKey });
    assert.equal(first.status, 200);
    keep('access token', first.json.access_token);
    keep('id token', first.json.id_token);
    const rt1 = keep('refresh token', first.json.refresh_token);
    const second = await token({ grant_type: 'refresh_token', refresh_token: rt1, client_id: web.clientId, client_secret: web.apiKey });
    assert.equal(second.status, 200);
    keep('rotated refresh token', second.json.refresh_token);
    await watch(fetch(`${server.url}/connect/userinfo`, { headers: { authorization: `Bearer ${String(second.json.access_token)}` } }).then(async (r) => ({ status: r.status, text: await r.text() })));
    await new Promise((r) => setTimeout(r, 1300));
    const reuse = await token({ grant_type: 'refresh_token', refresh_token: rt1, client_id: web.clientId, client_secret: web.apiKey });
    assert.equal(reuse.json.error, 'invalid_grant');
    await token({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, client_id: web.clientId, client_secret: web.apiKey });
    await watch(fetch(`${server.url}/connect/userinfo`, { headers: { authorization: `Bearer ${String(first.json.access_token)}` } }).then(async (r) => ({ status: r.status, text: await r.text() })));
    const logout = await agent.follow(`${server.url}/connect/endsession?id_token_hint=${String(first.json.id_token)}&post_logout_redirect_uri=http://127.0.0.1:9/signed-out`);
    if (logout.status === 200) {
      const { action, form } = formFields(logout, 'endsession/confirm', { logout: 'yes' });
      await agent.follow(action, { form });
    }

    // Device flow through the forms.
    const auth = await watch(postForm(`${server.url}/connect/deviceauthorization`, { client_id: device.clientId, client_secret: device.apiKey, scope: 'openid extern.api' }));
    assert.equal(auth.status, 200);
    const deviceCode = keep('device code', auth.json.device_code);
    const pending = await token({ grant_type: DEVICE_GRANT, device_code: deviceCode, client_id: device.clientId, client_secret: device.apiKey });
    assert.equal(pending.json.error, 'authorization_pending');
    const browser = new FormsAgent(server.url);
    const confirm = await browser.follow(String(auth.json.verification_uri_complete));
    assert.equal(confirm.status, 200, confirm.html.slice(0, 500));
    const { action, form } = formFields(confirm, '/device', { confirm: 'yes' });
    const deviceLogin = await browser.follow(action, { form });
    const deviceConsent = await browser.submit(deviceLogin, '/login', { login: account.login, password });
    const done = await browser.submit(deviceConsent, '/consent', { decision: 'allow' });
    assert.equal(done.status, 200, done.html.slice(0, 500));
    await new Promise((r) => setTimeout(r, 3100));
    const deviceTokens = await token({ grant_type: DEVICE_GRANT, device_code: deviceCode, client_id: device.clientId, client_secret: device.apiKey });
    assert.equal(deviceTokens.status, 200, deviceTokens.text);
    keep('device access token', deviceTokens.json.access_token);
    keep('device refresh token', deviceTokens.json.refresh_token);
    await token({ grant_type: DEVICE_GRANT, device_code: deviceCode, client_id: device.clientId, client_secret: device.apiKey });

    // Linking and the trusted grant (and its replay).
    const link = await watch(
      fetch(`${server.url}/register-external-service-id?ServiceUserId=partner-user-7&Phone=${phone}`, { method: 'PUT', headers: { authorization: basic(partner.clientId, partner.apiKey) } }).then(async (r) => ({ status: r.status, text: await r.text() })),
    );
    assert.equal(link.status, 200, link.text);
    await watch(fetch(`${server.url}/register-external-service-id?ServiceUserId=x&Phone=1`, { method: 'PUT', headers: { authorization: basic(partner.clientId, `${partner.apiKey}0`) } }).then(async (r) => ({ status: r.status, text: await r.text() })));
    const jwt = keep('trusted JWT', await sign(partner, claims(partner, 'partner-user-7')));
    const trusted = await token({ grant_type: 'trusted', token: jwt, scope: 'extern.api', client_id: partner.clientId, client_secret: partner.apiKey });
    assert.equal(trusted.status, 200, trusted.text);
    keep('trusted access token', trusted.json.access_token);
    const replay = await token({ grant_type: 'trusted', token: jwt, scope: 'extern.api', client_id: partner.clientId, client_secret: partner.apiKey });
    assert.equal(replay.json.error, 'invalid_grant');
    const forged = keep('forged JWT', `${jwt.slice(0, -8)}AAAAAAAA`);
    await token({ grant_type: 'trusted', token: forged, scope: 'extern.api', client_id: partner.clientId, client_secret: partner.apiKey });

    // An api-key issued by the admin CLI, then used.
    const cli = await runCli(['admin', 'client', 'issue-key', service.clientId, '--json'], server.env);
    assert.equal(cli.code, 0, cli.stderr);
    const issued = keep('CLI api-key', (JSON.parse(cli.stdout) as { api_key: string }).api_key);
    await new Promise((r) => setTimeout(r, 1100));
    const withIssued = await token({ grant_type: 'client_credentials', scope: 'extern.api', client_id: service.clientId, client_secret: issued });
    assert.equal(withIssued.status, 200, withIssued.text);
    await token({ grant_type: 'client_credentials', scope: 'extern.api' }, { authorization: basic(service.clientId, `${issued}-wrong`) });

    // Error pages a browser sees.
    for (const path of [`/connect/authorize?client_id=web.app&response_type=code&scope=openid&redirect_uri=https://evil.example/cb&state=${issued}`, `/device?user-code=${deviceCode.slice(0, 9)}`]) {
      const res = await fetch(`${server.url}${path}`, { headers: { accept: 'text/html' } });
      if (res.status >= 400) errorAnswers.push(await res.text());
    }
  });

  it('finds none of them in the log, the audit trail or the error answers', async () => {
    assert.ok(secrets.size >= 20, `secrets collected: ${secrets.size}`);
    const audit = JSON.stringify(await server.context.audit.tail({ limit: 10_000 }));
    const places: [string, string][] = [
      ['log', logs.join('\n')],
      ['audit events', audit],
      ['error answers', errorAnswers.join('\n')],
    ];
    // The places are not empty: the checks below could not pass by looking at nothing.
    assert.ok(logs.length > 50 && logs.some((l) => l.includes('"audit"')), 'the log has request and audit lines');
    assert.ok(audit.includes('token.issued') && audit.includes('login.password') && audit.includes('trusted_grant') && audit.includes('api_key.issued'), 'the audit trail covers the flows');
    assert.ok(errorAnswers.length >= 8, `error answers collected: ${errorAnswers.length}`);
    for (const [place, text] of places) {
      for (const [label, secret] of secrets) {
        assert.ok(!text.includes(secret), `the ${label} appears in the ${place}`);
        assert.ok(!text.includes(encodeURIComponent(secret)), `the ${label} (URL-encoded) appears in the ${place}`);
      }
    }
  });
});
