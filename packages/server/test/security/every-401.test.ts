/**
 * Every 401 carries WWW-Authenticate (RFC 9110 §15.5.2): the HTML sign-in forms answering a wrong
 * password too, with a `Form` challenge (not `Basic`, which would make browsers ask for a password
 * in a dialog), on the authorization flow's page, /account and the integrator portal.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { FormsAgent, loginPage, setupOps, submitLogin, type OpsSetup } from '../operations/support.ts';

let s: OpsSetup;
before(async () => {
  s = await setupOps();
});
after(() => s?.server.stop());

describe('401 answers of the sign-in forms', () => {
  it('carry a Form challenge on every form', async () => {
    const { agent, page } = await loginPage(s);
    const authorize = await submitLogin(agent, page, s.user.login, 'not the password');
    assert.equal(authorize.status, 401);
    assert.equal(authorize.headers.get('www-authenticate'), `Form realm="${s.issuer}"`);

    const account = new FormsAgent(s.issuer);
    const accountForm = await account.follow('/account');
    const accountRes = await account.submit(accountForm, '/account/sign-in', { login: s.user.login, password: 'not the password' });
    assert.equal(accountRes.status, 401);
    assert.match(accountRes.headers.get('www-authenticate') ?? '', /^Form realm=/);

    const portal = new FormsAgent(s.issuer);
    const portalForm = await portal.follow('/integrations/sign-in');
    const portalRes = await portal.submit(portalForm, '/integrations/sign-in', { login: s.user.login, password: 'not the password' });
    assert.equal(portalRes.status, 401);
    assert.match(portalRes.headers.get('www-authenticate') ?? '', /^Form realm=/);
  });

  it('leave the challenges of the OAuth endpoints as they are', async () => {
    const res = await fetch(`${s.issuer}/connect/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ grant_type: 'client_credentials', client_id: s.service.clientId, client_secret: 'wrong', scope: 'extern.api' }) });
    assert.equal(res.status, 401);
    assert.match(res.headers.get('www-authenticate') ?? '', /^Basic /);
  });
});
