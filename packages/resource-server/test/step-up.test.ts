/**
 * The person's sign-in on the principal (`acr`, `amr`, `authTime`) and RFC 9470 step-up: an API
 * demands `requireAcr: 'urn:propusk:acr:mfa'` (and/or `maxAge`); a password-only token, a
 * client_credentials token or a too-old sign-in gets 401 `insufficient_user_authentication` with
 * `acr_values` (and `max_age`) in the challenge, through the verifier and through the node:http
 * adapter, for opaque and JWT access tokens alike.
 */
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { once } from 'node:events';
import { ACR_MFA, ACR_PWD, createVerifier, errorResponse, InsufficientUserAuthenticationError, nodeHttp, requireAuthentication, type Verifier } from '../src/index.ts';
import { API_CLIENT_ID, API_CLIENT_SECRET, AUDIENCE, startFakeIssuer, type FakeIssuer } from './fake-issuer.ts';

const now = () => Math.floor(Date.now() / 1000);

describe('step-up (RFC 9470)', () => {
  let fake: FakeIssuer;
  let verifier: Verifier;
  before(async () => {
    fake = await startFakeIssuer();
    verifier = createVerifier({ issuer: fake.issuer, audience: AUDIENCE, credentials: { clientId: API_CLIENT_ID, clientSecret: API_CLIENT_SECRET }, cache: false });
  });
  after(() => fake.close());
  beforeEach(() => fake.tokens.clear());

  it('puts acr, amr and authTime on the principal; malformed values are left out', async () => {
    fake.activeToken('mfa', { exp: now() + 600, scope: 'extern.api', acr: ACR_MFA, amr: ['pwd', 'otp', 'mfa'], auth_time: now() - 10 });
    const p = await verifier.verify('mfa');
    assert.equal(p.acr, ACR_MFA);
    assert.deepEqual(p.amr, ['pwd', 'otp', 'mfa']);
    assert.equal(typeof p.authTime, 'number');
    fake.activeToken('odd', { exp: now() + 600, acr: 7, amr: ['pwd', 1], auth_time: 'yesterday' });
    const odd = await verifier.verify('odd');
    assert.equal(odd.acr, undefined);
    assert.equal(odd.amr, undefined);
    assert.equal(odd.authTime, undefined);
  });

  it('requireAcr refuses a pwd token with 401 insufficient_user_authentication and accepts an mfa one', async () => {
    fake.activeToken('pwd', { exp: now() + 600, acr: ACR_PWD, amr: ['pwd'] });
    fake.activeToken('mfa', { exp: now() + 600, acr: ACR_MFA, amr: ['hwk', 'user', 'mfa'] });
    await assert.rejects(verifier.verify('pwd', { requireAcr: ACR_MFA }), (error: unknown) => {
      assert.ok(error instanceof InsufficientUserAuthenticationError);
      assert.equal(error.code, 'ERR_INSUFFICIENT_USER_AUTHENTICATION');
      const answer = errorResponse(error, 'extern');
      assert.equal(answer.status, 401);
      assert.match(answer.headers['www-authenticate']!, /^Bearer realm="extern", error="insufficient_user_authentication", error_description="[^"]+", acr_values="urn:propusk:acr:mfa"$/);
      assert.equal((answer.body as { error: string }).error, 'insufficient_user_authentication');
      return true;
    });
    assert.equal((await verifier.verify('mfa', { requireAcr: [ACR_MFA] })).acr, ACR_MFA);
  });

  it('a token without a person (client_credentials) fails requireAcr; maxAge refuses an old sign-in with max_age in the challenge', async () => {
    fake.activeToken('machine', { exp: now() + 600, sub: undefined, acr: undefined });
    await assert.rejects(verifier.verify('machine', { requireAcr: ACR_MFA }), InsufficientUserAuthenticationError);
    fake.activeToken('old', { exp: now() + 600, acr: ACR_MFA, auth_time: now() - 3600 });
    await assert.rejects(verifier.verify('old', { maxAge: 300 }), (error: unknown) => {
      assert.ok(error instanceof InsufficientUserAuthenticationError);
      assert.match(errorResponse(error, 'extern').headers['www-authenticate']!, /, max_age=300$/);
      return true;
    });
    fake.activeToken('fresh', { exp: now() + 600, acr: ACR_MFA, auth_time: now() - 60 });
    const p = await verifier.verify('fresh', { maxAge: 300, requireAcr: ACR_MFA });
    assert.doesNotThrow(() => requireAuthentication(p, { requireAcr: [ACR_PWD, ACR_MFA] }));
  });

  it('JWT access tokens: the same claims and the same refusal', async () => {
    const jwtVerifier = verifier;
    const pwd = await fake.signJwt({ acr: ACR_PWD, amr: ['pwd'] });
    const mfa = await fake.signJwt({ acr: ACR_MFA, amr: ['pwd', 'otp', 'mfa'], auth_time: now() });
    await assert.rejects(jwtVerifier.verify(pwd, { requireAcr: ACR_MFA }), InsufficientUserAuthenticationError);
    const p = await jwtVerifier.verify(mfa, { requireAcr: ACR_MFA });
    assert.deepEqual(p.amr, ['pwd', 'otp', 'mfa']);
  });

  it('the node:http adapter answers the RFC 9470 challenge', async () => {
    fake.activeToken('pwd', { exp: now() + 600, acr: ACR_PWD });
    fake.activeToken('mfa', { exp: now() + 600, acr: ACR_MFA });
    const authenticate = nodeHttp(verifier, { requireAcr: ACR_MFA, realm: 'payments' });
    const server: Server = createServer((req, res) => {
      void authenticate(req, res).then((principal) => {
        if (!principal) return;
        res.end(principal.acr);
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const refused = await fetch(base, { headers: { authorization: 'Bearer pwd' } });
      assert.equal(refused.status, 401);
      assert.match(refused.headers.get('www-authenticate')!, /error="insufficient_user_authentication".*acr_values="urn:propusk:acr:mfa"/);
      assert.equal(((await refused.json()) as { error: string }).error, 'insufficient_user_authentication');
      const ok = await fetch(base, { headers: { authorization: 'Bearer mfa' } });
      assert.equal(ok.status, 200);
      assert.equal(await ok.text(), ACR_MFA);
    } finally {
      server.close();
    }
  });
});
