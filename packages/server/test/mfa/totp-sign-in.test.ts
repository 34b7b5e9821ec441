/**
 * The authenticator app in the authorize flow, through its pages without JavaScript and a strict
 * relying party (openid-client): enrolment on the spot when a request asks for
 * `acr_values=urn:propusk:acr:mfa`; the second step after the password with codes computed from the
 * page's secret (one step of drift either way accepted, two refused, a code accepted once); `acr`
 * and `amr` in the ID token and in introspection; recovery codes; step-up of a password-only
 * session; a client registered with require_mfa; wrong codes locking like wrong passwords.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as oidc from 'openid-client';
import { createVerifier, InsufficientUserAuthenticationError, errorResponse } from '@propusk/resource-server';
import { FormsAgent, type Page } from '../codeflow/support/forms-agent.ts';
import { authorizeUrl, introspect, newUser, setupCodeFlow, type CodeFlowSetup } from '../codeflow/support/setup.ts';
import { createClient } from '../support/fixtures.ts';
import { freshStep, recoveryCodesOf, totpCode, totpSecretOf } from './support.ts';

const MFA = 'urn:propusk:acr:mfa';
const PWD = 'urn:propusk:acr:pwd';

let s: CodeFlowSetup;
let config: oidc.Configuration;
before(async () => {
  s = await setupCodeFlow('http://127.0.0.1:9', { PROPUSK_SIGN_IN_DELAY_MS: '0' });
  config = await oidc.discovery(new URL(s.issuer), s.web.clientId, undefined, oidc.ClientSecretPost(s.web.apiKey), { execute: [oidc.allowInsecureRequests] });
});
after(() => s.server.stop());

interface Flow {
  agent: FormsAgent;
  url: URL;
  state: string;
  nonce: string;
}

function start(params: Record<string, string> = {}, agent = new FormsAgent(s.issuer)): Flow {
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const url = new URL(authorizeUrl(s.issuer, { state, nonce, ...params }));
  return { agent, url, state, nonce };
}

/** Follows the page to the client's callback (allowing consent when asked) and redeems the code with openid-client. */
async function redeem(flow: Flow, page: Page) {
  const callback = /name="decision"/.test(page.html) ? await flow.agent.submit(page, '/consent', { decision: 'allow' }) : page;
  assert.match(callback.url, /code=/, `expected the callback, got ${callback.status} ${callback.url}\n${callback.html.slice(0, 800)}`);
  const tokens = await oidc.authorizationCodeGrant(config, new URL(callback.url), { expectedState: flow.state, expectedNonce: flow.nonce });
  return { tokens, claims: tokens.claims()! };
}

async function password(flow: Flow, user: { login: string; password: string }): Promise<Page> {
  const login = await flow.agent.follow(flow.url.href);
  assert.equal(login.status, 200);
  assert.doesNotMatch(login.html, /one-time-code/, 'the password page does not ask for a code');
  return flow.agent.submit(login, '/login', { login: user.login, password: user.password });
}

describe('authenticator app (TOTP) in the authorize flow', () => {
  let user: Awaited<ReturnType<typeof newUser>>;
  let secret: string;
  let codes: string[];

  it('acr_values=mfa enrols an app on the spot (a code one step behind accepted); the ID token says pwd+otp+mfa and acr mfa', async () => {
    await freshStep(15);
    user = await newUser(s);
    const flow = start({ acr_values: MFA });
    const enrol = await password(flow, user);
    assert.equal(enrol.status, 200);
    assert.match(enrol.html, /data-totp-secret=/);
    assert.match(enrol.html, /<img class="totp-qr" src="data:image\/svg\+xml;base64,/);
    secret = totpSecretOf(enrol);
    assert.equal(secret.length, 32, 'a 160-bit secret in base32');
    // A reload shows the same secret: nothing new is minted.
    const reloaded = await flow.agent.follow(enrol.url);
    assert.equal(totpSecretOf(reloaded), secret);
    const wrong = await flow.agent.submit(enrol, '/enrol-totp', { code: totpCode(secret, 3) });
    assert.equal(wrong.status, 400);
    // One step of drift: the code of the previous step still confirms it.
    const shown = await flow.agent.submit(enrol, '/enrol-totp', { code: totpCode(secret, -1) });
    codes = recoveryCodesOf(shown);
    assert.equal(codes.length, 10);
    assert.equal(new Set(codes).size, 10);
    const { claims, tokens } = await redeem(flow, await flow.agent.submit(shown, '/continue', {}));
    assert.deepEqual(claims.amr, ['pwd', 'otp', 'mfa']);
    assert.equal(claims.acr, MFA);
    const info = await introspect(s, tokens.access_token);
    assert.equal(info.acr, MFA);
    assert.deepEqual(info.amr, ['pwd', 'otp', 'mfa']);
    assert.equal(typeof info.auth_time, 'number');
  });

  it('discovery advertises both acr values', async () => {
    const meta = config.serverMetadata();
    assert.deepEqual(meta.acr_values_supported, [PWD, MFA]);
  });

  it('every sign-in of the account now takes the code: two steps of drift refused, one ahead accepted, a code accepted once', async () => {
    const flow = start();
    const second = await password(flow, user);
    assert.match(second.html, /autocomplete="one-time-code"/);
    assert.match(second.html, /inputmode="numeric"/);
    for (const offset of [2, -2]) {
      const refused = await flow.agent.submit(second, '/second-factor', { method: 'totp', code: totpCode(secret, offset) });
      assert.equal(refused.status, 401, `offset ${offset}`);
    }
    const { claims } = await redeem(flow, await flow.agent.submit(second, '/second-factor', { method: 'totp', code: totpCode(secret) }));
    assert.deepEqual(claims.amr, ['pwd', 'otp', 'mfa']);

    const next = start();
    const page = await password(next, user);
    await redeem(next, await next.agent.submit(page, '/second-factor', { method: 'totp', code: totpCode(secret, 1) }));

    // The same code again (and any code of an earlier step) is a replay.
    const again = start();
    const replay = await password(again, user);
    const refused = await again.agent.submit(replay, '/second-factor', { method: 'totp', code: totpCode(secret, 1) });
    assert.equal(refused.status, 401);
    assert.match(refused.html, /already used|уже использован/);
  });

  it('a recovery code signs in once: amr pwd+mfa, audited', async () => {
    const flow = start();
    const second = await password(flow, user);
    const recovery = await flow.agent.follow(`${new URL(second.url).pathname}?method=recovery`);
    assert.match(recovery.html, /name="method" value="recovery"/);
    const { claims } = await redeem(flow, await flow.agent.submit(recovery, '/second-factor', { method: 'recovery', code: codes[0]!.toLowerCase() }));
    assert.deepEqual(claims.amr, ['pwd', 'mfa']);
    assert.equal(claims.acr, MFA);
    const events = await s.server.context.audit.page({ types: ['login.second_factor'], accountId: user.id }, 50);
    assert.ok(events.some((e) => e.accountId === user.id && e.outcome === 'success' && (e.details as { method?: string }).method === 'recovery'));

    const twice = start();
    const page = await password(twice, user);
    const refused = await twice.agent.submit(page, '/second-factor', { method: 'recovery', code: codes[0]! });
    assert.equal(refused.status, 401);
  });

  it('a wrong password says nothing about a second factor: the same answer as for an account without one', async () => {
    const plain = await newUser(s);
    const answers = [];
    for (const login of [user.login, plain.login]) {
      const flow = start();
      const page = await flow.agent.follow(flow.url.href);
      const refused = await flow.agent.submit(page, '/login', { login, password: 'wrong-password-123' });
      assert.doesNotMatch(refused.html, /one-time-code|data-totp-secret|recovery/i);
      answers.push({ status: refused.status, error: /<div class="notice notice--error"[^>]*>([\s\S]*?)<\/div>/.exec(refused.html)?.[1] });
    }
    assert.deepEqual(answers[0], answers[1]);
    assert.equal(answers[0]!.status, 401);
  });

  it('wrong codes lock like wrong passwords; the message names the wait', async () => {
    const victim = await newUser(s);
    const flow = start({ acr_values: MFA });
    const enrol = await password(flow, victim);
    const key = totpSecretOf(enrol);
    const shown = await flow.agent.submit(enrol, '/enrol-totp', { code: totpCode(key) });
    await redeem(flow, await flow.agent.submit(shown, '/continue', {}));

    const attack = start();
    const page = await password(attack, victim);
    const wrong = (totpCode(key, 5) === '000000' ? '111111' : '000000');
    let last: Page | undefined;
    for (let i = 0; i < 6; i++) last = await attack.agent.submit(page, '/second-factor', { method: 'totp', code: wrong });
    assert.equal(last!.status, 429);
    assert.match(last!.headers.get('retry-after') ?? '', /^\d+$/);
    assert.match(last!.html, /Try again in 15 minutes|через 15 минут/);
    // Even the right code waits.
    const right = await attack.agent.submit(page, '/second-factor', { method: 'totp', code: totpCode(key) });
    assert.equal(right.status, 429);
  });
});

describe('an API demanding the second factor (@propusk/resource-server requireAcr)', () => {
  it('refuses the token of a password sign-in with RFC 9470 and accepts the token of an mfa sign-in', async () => {
    const api = createVerifier({ issuer: s.issuer, audience: 'urn:propusk:api:extern.api', credentials: { clientId: s.rs.clientId, clientSecret: s.rs.secret }, cache: false });
    const weak = await newUser(s);
    const first = start();
    const pwd = await redeem(first, await password(first, weak));
    await assert.rejects(api.verify(pwd.tokens.access_token, { requireAcr: MFA }), (error: unknown) => {
      assert.ok(error instanceof InsufficientUserAuthenticationError);
      const answer = errorResponse(error, 'extern.api');
      assert.equal(answer.status, 401);
      assert.match(answer.headers['www-authenticate']!, /error="insufficient_user_authentication".*acr_values="urn:propusk:acr:mfa"/);
      return true;
    });
    // The client steps up with acr_values and retries with the new token.
    const up = start({ acr_values: MFA }, first.agent);
    const page = await up.agent.follow(up.url.href);
    const shown = await up.agent.submit(page, '/enrol-totp', { code: totpCode(totpSecretOf(page)) });
    const mfa = await redeem(up, await up.agent.submit(shown, '/continue', {}));
    const principal = await api.verify(mfa.tokens.access_token, { requireAcr: MFA });
    assert.equal(principal.acr, MFA);
    assert.deepEqual(principal.amr, ['pwd', 'otp', 'mfa']);
    assert.equal(principal.sub, weak.id);
  });
});

describe('step-up and client policy', () => {
  it('acr_values=mfa on a password-only session asks for the second factor only (enrolling it), then mfa', async () => {
    const user = await newUser(s);
    const first = start();
    const { claims } = await redeem(first, await password(first, user));
    assert.deepEqual(claims.amr, ['pwd']);
    assert.equal(claims.acr, PWD);

    const stepUp = start({ acr_values: MFA }, first.agent);
    const page = await stepUp.agent.follow(stepUp.url.href);
    assert.equal(page.status, 200);
    assert.doesNotMatch(page.html, /name="password"/, 'no password is asked');
    const secret = totpSecretOf(page);
    const shown = await stepUp.agent.submit(page, '/enrol-totp', { code: totpCode(secret) });
    const after = await redeem(stepUp, await stepUp.agent.submit(shown, '/continue', {}));
    assert.equal(after.claims.acr, MFA);
    assert.equal(after.claims.sub, user.id);

    // Then prompt=none with acr_values=mfa succeeds silently on this session.
    const silent = start({ acr_values: MFA, prompt: 'none' }, stepUp.agent);
    const { claims: again } = await redeem(silent, await silent.agent.follow(silent.url.href));
    assert.equal(again.acr, MFA);
  });

  it('prompt=none with acr_values=mfa on a password-only session answers login_required', async () => {
    const user = await newUser(s);
    const first = start();
    await redeem(first, await password(first, user));
    const silent = start({ acr_values: MFA, prompt: 'none' }, first.agent);
    const page = await silent.agent.follow(silent.url.href);
    assert.equal(new URL(page.url).searchParams.get('error'), 'login_required');
  });

  it('a client registered with require_mfa always gets mfa', async () => {
    const strict = await createClient(s.server.context, {
      clientId: 'strict.app',
      name: 'Strict',
      grantTypes: ['authorization_code'],
      redirectUris: ['http://127.0.0.1:9/cb'],
      scopes: ['openid', 'profile'],
      requireMfa: true,
    });
    const strictConfig = await oidc.discovery(new URL(s.issuer), strict.clientId, undefined, oidc.ClientSecretPost(strict.apiKey), { execute: [oidc.allowInsecureRequests] });
    const user = await newUser(s);
    const flow = start({ client_id: strict.clientId, scope: 'openid profile' });
    const enrol = await password(flow, user);
    const secret = totpSecretOf(enrol);
    const shown = await flow.agent.submit(enrol, '/enrol-totp', { code: totpCode(secret) });
    const done = await flow.agent.submit(shown, '/continue', {});
    const callback = /name="decision"/.test(done.html) ? await flow.agent.submit(done, '/consent', { decision: 'allow' }) : done;
    const tokens = await oidc.authorizationCodeGrant(strictConfig, new URL(callback.url), { expectedState: flow.state, expectedNonce: flow.nonce });
    assert.equal(tokens.claims()!.acr, MFA);
  });

  it('max_age=0 asks for the password and the code again', async () => {
    await freshStep();
    const user = await newUser(s);
    const first = start({ acr_values: MFA });
    const enrol = await password(first, user);
    const secret = totpSecretOf(enrol);
    const shown = await first.agent.submit(enrol, '/enrol-totp', { code: totpCode(secret) });
    await redeem(first, await first.agent.submit(shown, '/continue', {}));
    const again = start({ max_age: '0' }, first.agent);
    const second = await password(again, user);
    assert.match(second.html, /one-time-code/);
    const { claims } = await redeem(again, await again.agent.submit(second, '/second-factor', { method: 'totp', code: totpCode(secret, 1) }));
    assert.deepEqual(claims.amr, ['pwd', 'otp', 'mfa']);
  });
});
