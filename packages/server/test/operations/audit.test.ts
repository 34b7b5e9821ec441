/**
 * Audit coverage of the protocol events (provider/events.ts and the sign-in/consent pages): every
 * event is stored and written to the log as JSON, with ids and facts but never a secret.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { basic, postForm } from '../support/server.ts';
import { paramsOf } from '../codeflow/support/forms-agent.ts';
import { FormsAgent, REDIRECT_URI, loginPage, setupOps, submitLogin, type OpsSetup } from './support.ts';

describe('audit of protocol events', () => {
  let s: OpsSetup;
  const logs: string[] = [];
  const secrets: string[] = [];
  before(async () => {
    // A 1 s refresh reuse interval: the reuse below is presented after it (within it, it is served).
    s = await setupOps({ PROPUSK_LOG_LEVEL: 'info', PROPUSK_REFRESH_REUSE_INTERVAL: '1' }, { logStream: { write: (line) => void logs.push(line) } });
    secrets.push(s.web.apiKey, s.service.apiKey, s.user.password);
  });
  after(() => s.server.stop());

  const token = (form: Record<string, string>) => postForm(`${s.issuer}/connect/token`, form);
  const types = async () => (await s.server.context.audit.tail({ limit: 1000 })).map((e) => e.type);

  it('records sign-in, consent, tokens by grant type, refresh reuse, revocations and sign-out', async () => {
    const agent = new FormsAgent(s.issuer);
    const { page } = await loginPage(s, agent);
    const failed = await submitLogin(agent, page, s.user.login, 'wrong-password-1');
    const consent = await submitLogin(agent, failed, s.user.login, s.user.password);
    const callback = await agent.submit(consent, '/consent', { decision: 'allow' });
    const code = paramsOf(callback.url).code!;
    const web = { client_id: s.web.clientId, client_secret: s.web.apiKey };
    const first = await token({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, ...web });
    assert.equal(first.status, 200);
    const rt1 = String(first.json.refresh_token);
    const second = await token({ grant_type: 'refresh_token', refresh_token: rt1, ...web });
    assert.equal(second.status, 200);
    await new Promise((r) => setTimeout(r, 1300));
    const reuse = await token({ grant_type: 'refresh_token', refresh_token: rt1, ...web });
    assert.equal(reuse.json.error, 'invalid_grant');
    // A second sign-in (another browser: the consent is remembered) whose code is replayed.
    const again = await loginPage(s);
    const afterLogin = await submitLogin(again.agent, again.page, s.user.login, s.user.password);
    assert.ok(afterLogin.url.startsWith(REDIRECT_URI), 'no consent page the second time');
    const code2 = paramsOf(afterLogin.url).code!;
    assert.equal((await token({ grant_type: 'authorization_code', code: code2, redirect_uri: REDIRECT_URI, ...web })).status, 200);
    const replayedCode = await token({ grant_type: 'authorization_code', code: code2, redirect_uri: REDIRECT_URI, ...web });
    assert.equal(replayedCode.json.error, 'invalid_grant');
    const cc = await token({ grant_type: 'client_credentials', scope: 'extern.api', client_id: s.service.clientId, client_secret: s.service.apiKey });
    const revoked = await postForm(`${s.issuer}/connect/revocation`, { token: String(cc.json.access_token) }, { authorization: basic(s.service.clientId, s.service.apiKey) });
    assert.equal(revoked.status, 200);
    secrets.push(code, code2, rt1, String(second.json.refresh_token), String(first.json.access_token), String(cc.json.access_token), String(first.json.id_token));

    // Provider events are audited without holding up the response: wait for the last one to land.
    let events = await s.server.context.audit.tail({ limit: 1000 });
    for (let i = 0; i < 40 && !events.some((e) => e.type === 'token.revoked'); i++) {
      await new Promise((r) => setTimeout(r, 50));
      events = await s.server.context.audit.tail({ limit: 1000 });
    }
    const of = (type: string) => events.filter((e) => e.type === type);
    assert.deepEqual(of('login.password').map((e) => e.outcome), ['failure', 'success', 'success']);
    assert.deepEqual(of('consent.granted').map((e) => e.details.remembered), [true]);
    assert.deepEqual(of('token.issued').map((e) => e.details.grant_type), ['authorization_code', 'refresh_token', 'authorization_code', 'client_credentials']);
    assert.equal(of('token.issued')[0]!.accountId, s.user.id);
    assert.equal(of('token.issued')[0]!.details.refresh_token, true);
    const [reuseEvent] = of('refresh_token.reuse_detected');
    assert.ok(reuseEvent, `refresh reuse audited: ${(await types()).join(', ')}`);
    assert.equal(reuseEvent.outcome, 'failure');
    assert.equal(reuseEvent.clientId, s.web.clientId);
    assert.equal(reuseEvent.details.grant_revoked, true);
    assert.ok(of('grant.revoked').some((e) => e.details.via === 'token' && e.details.grant_id === reuseEvent.details.grant_id), 'the revoked grant is audited');
    assert.equal(of('authorization_code.reuse_detected').length, 1);
    assert.deepEqual(of('token.revoked').map((e) => [e.clientId, e.details.token_kind]), [[s.service.clientId, 'client_credentials']]);

    // Stored and logged as JSON, without secrets.
    const auditLines = logs.map((l) => JSON.parse(l) as { audit?: { type: string } }).filter((l) => l.audit);
    for (const type of ['login.password', 'consent.granted', 'token.issued', 'refresh_token.reuse_detected', 'token.revoked']) {
      assert.ok(auditLines.some((l) => l.audit!.type === type), `${type} is logged`);
    }
    const everything = JSON.stringify(events) + logs.join('');
    for (const secret of secrets) assert.ok(!everything.includes(secret), `a secret (${secret.slice(0, 6)}…) appears in the audit trail`);
  });

  it('records RP-initiated sign-out', async () => {
    const agent = new FormsAgent(s.issuer);
    const { page } = await loginPage(s, agent);
    const afterLogin = await submitLogin(agent, page, s.user.login, s.user.password);
    const callback = afterLogin.url.startsWith(REDIRECT_URI) ? afterLogin : await agent.submit(afterLogin, '/consent', { decision: 'allow' });
    assert.ok(paramsOf(callback.url).code);
    const confirm = await agent.follow(`${s.issuer}/connect/endsession?client_id=${s.web.clientId}`);
    assert.equal(confirm.status, 200);
    const xsrf = /name="xsrf" value="([^"]*)"/.exec(confirm.html)?.[1];
    assert.ok(xsrf);
    const done = await agent.submit(confirm, 'endsession/confirm', { logout: 'yes', xsrf });
    assert.ok(done.status < 400, `signed out: ${done.status}`);
    for (let i = 0; i < 40 && !(await types()).includes('session.ended'); i++) await new Promise((r) => setTimeout(r, 50));
    assert.ok((await types()).includes('session.ended'), (await types()).join(', '));
  });
});
