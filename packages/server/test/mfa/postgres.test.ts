/**
 * The second factor on PostgreSQL as on SQLite: enrolment on the spot with acr_values, the code
 * accepted once (the conditional UPDATE of the last time step), a recovery code once, the factor
 * summaries of many accounts in one query, and an operator's reset.
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import * as oidc from 'openid-client';
import { FormsAgent } from '../codeflow/support/forms-agent.ts';
import { authorizeUrl, newUser, setupCodeFlow, type CodeFlowSetup } from '../codeflow/support/setup.ts';
import { createTestSchema, describePostgres, type TestSchema } from '../storage/support.ts';
import { freshStep, recoveryCodesOf, totpCode, totpSecretOf } from './support.ts';

describePostgres('second factors (PostgreSQL)', () => {
  let schema: TestSchema;
  let s: CodeFlowSetup;
  before(async () => {
    schema = await createTestSchema();
    s = await setupCodeFlow('http://127.0.0.1:9', { DATABASE_URL: schema.url, PROPUSK_SIGN_IN_DELAY_MS: '0' });
  });
  after(async () => {
    await s?.server.stop();
    await schema?.drop();
  });

  it('enrols, signs in with a code once, then a recovery code once; summaries and reset', async () => {
    await freshStep();
    const config = await oidc.discovery(new URL(s.issuer), s.web.clientId, undefined, oidc.ClientSecretPost(s.web.apiKey), { execute: [oidc.allowInsecureRequests] });
    const user = await newUser(s);
    const signIn = async (params: Record<string, string> = {}) => {
      const agent = new FormsAgent(s.issuer);
      const state = oidc.randomState();
      const nonce = oidc.randomNonce();
      const login = await agent.follow(authorizeUrl(s.issuer, { state, nonce, ...params }));
      const next = await agent.submit(login, '/login', { login: user.login, password: user.password });
      return { agent, next, state, nonce };
    };
    const redeem = async (flow: { agent: FormsAgent; state: string; nonce: string }, page: { url: string; html: string }) => {
      const callback = /name="decision"/.test(page.html) ? await flow.agent.submit(page as never, '/consent', { decision: 'allow' }) : page;
      return (await oidc.authorizationCodeGrant(config, new URL(callback.url), { expectedState: flow.state, expectedNonce: flow.nonce })).claims()!;
    };

    const first = await signIn({ acr_values: 'urn:propusk:acr:mfa' });
    const secret = totpSecretOf(first.next);
    const shown = await first.agent.submit(first.next, '/enrol-totp', { code: totpCode(secret, -1) });
    const codes = recoveryCodesOf(shown);
    assert.equal(codes.length, 10);
    assert.deepEqual((await redeem(first, await first.agent.submit(shown, '/continue', {}))).amr, ['pwd', 'otp', 'mfa']);

    const second = await signIn();
    const code = totpCode(secret);
    assert.deepEqual((await redeem(second, await second.agent.submit(second.next, '/second-factor', { method: 'totp', code }))).amr, ['pwd', 'otp', 'mfa']);
    const replay = await signIn();
    assert.equal((await replay.agent.submit(replay.next, '/second-factor', { method: 'totp', code })).status, 401);

    const third = await signIn();
    assert.deepEqual((await redeem(third, await third.agent.submit(third.next, '/second-factor', { method: 'recovery', code: codes[3]! }))).amr, ['pwd', 'mfa']);
    const fourth = await signIn();
    assert.equal((await fourth.agent.submit(fourth.next, '/second-factor', { method: 'recovery', code: codes[3]! })).status, 401);

    const other = await newUser(s);
    const summaries = await s.server.context.secondFactors.summaries([user.id, other.id]);
    assert.deepEqual(summaries.get(user.id), { totp: true, passkeys: 0, recoveryCodes: 9 });
    assert.equal(summaries.get(other.id), undefined);
    assert.equal(await s.server.context.secondFactors.reset(user.id, 'admin-cli'), 1);
    assert.deepEqual(await s.server.context.secondFactors.summary(user.id), { totp: false, passkeys: 0, recoveryCodes: 0 });
  });
});
