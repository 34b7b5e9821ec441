/**
 * grant_type=trusted over HTTP: the success path (token introspected as the linked account), one
 * test per rule of docs/api-documentation.md, "Trusted authentication", replay under concurrency, and the audit trail.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { basic, postForm, startTestServer, type TestServer } from '../support/server.ts';
import { createClient, resourceCredentials } from '../support/fixtures.ts';
import { b64json, claims, createPartner, DAY, linkedUser, now, requestToken, sign, type Partner } from './support.ts';

describe('trusted grant', () => {
  let server: TestServer;
  let partner: Partner;
  let account: { id: string };
  let api: { clientId: string; secret: string };
  const SUB = 'partner-user-42';

  before(async () => {
    server = await startTestServer();
    partner = await createPartner(server.context, 'partner.ca');
    account = await linkedUser(server.context, partner, SUB);
    api = await resourceCredentials(server.context, 'extern.api');
  });
  after(() => server.stop());

  const introspect = (token: string) => postForm(`${server.url}/connect/introspect`, { token }, { authorization: basic(api.clientId, api.secret) });

  /** Asserts an OAuth error whose description names `rule`. */
  async function rejected(res: Promise<Awaited<ReturnType<typeof requestToken>>>, error: string, rule?: string) {
    const r = await res;
    assert.equal(r.status, error === 'invalid_client' ? 401 : 400, r.text);
    assert.equal(r.json.error, error, r.text);
    if (rule !== undefined) assert.match(String(r.json.error_description), new RegExp(`\\(rule ${rule}\\)$`), r.text);
    assert.equal(r.json.access_token, undefined);
    return r;
  }

  describe('success', () => {
    it('issues an opaque 24 h Bearer token for extern.api, no refresh token, not cached', async () => {
      const res = await requestToken(server, partner, await sign(partner, claims(partner, SUB)));
      assert.equal(res.status, 200, res.text);
      assert.equal(res.headers.get('cache-control'), 'no-store');
      assert.equal(res.json.token_type, 'Bearer');
      assert.equal(res.json.expires_in, DAY);
      assert.equal(res.json.scope, 'extern.api');
      assert.match(res.json.access_token as string, /^[A-Za-z0-9_-]{40,}$/);
      assert.equal(res.json.refresh_token, undefined);
      assert.equal(res.json.id_token, undefined);
    });

    it('the token introspects as the linked account with the partner as client_id', async () => {
      const res = await requestToken(server, partner, await sign(partner, claims(partner, SUB)));
      const { json } = await introspect(res.json.access_token as string);
      assert.equal(json.active, true);
      assert.equal(json.sub, account.id);
      assert.equal(json.client_id, partner.clientId);
      assert.equal(json.aud, 'urn:propusk:api:extern.api');
      assert.equal(json.scope, 'extern.api');
      assert.equal(json.token_type, 'Bearer');
    });

    it('accepts PS256, a JWT without kid (every key is tried), and a second key (rotation)', async () => {
      assert.equal((await requestToken(server, partner, await sign(partner, claims(partner, SUB), { alg: 'PS256' }))).status, 200);
      const jwt = await sign(partner, claims(partner, SUB), { kid: undefined });
      const header = JSON.parse(Buffer.from(jwt.split('.')[0]!, 'base64url').toString()) as Record<string, unknown>;
      assert.equal(header.kid, undefined);
      assert.equal((await requestToken(server, partner, jwt)).status, 200);

      const next = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
      await server.context.partnerKeys.add(partner.clientId, JSON.stringify({ ...next.publicKey.export({ format: 'jwk' }), kid: 'rotated' }), null);
      const res = await requestToken(server, partner, await sign(partner, claims(partner, SUB), { kid: 'rotated' }, next.privateKey));
      assert.equal(res.status, 200, res.text);
    });

    it('accepts client_secret_basic as well as client_secret_post', async () => {
      const res = await postForm(
        `${server.url}/connect/token`,
        { grant_type: 'trusted', scope: 'extern.api', token: await sign(partner, claims(partner, SUB)) },
        { authorization: basic(partner.clientId, partner.apiKey) },
      );
      assert.equal(res.status, 200, res.text);
    });
  });

  describe('rules', () => {
    it('bad signature → invalid_grant', async () => {
      const jwt = await sign(partner, claims(partner, SUB));
      const [h, p, s] = jwt.split('.') as [string, string, string];
      const flipped = Buffer.from(s, 'base64url');
      flipped[10] = flipped[10]! ^ 0xff;
      await rejected(requestToken(server, partner, `${h}.${p}.${flipped.toString('base64url')}`), 'invalid_grant', 'ERR_SIGNATURE');
    });

    it('signed by a key that is not registered → invalid_grant', async () => {
      const stranger = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
      await rejected(requestToken(server, partner, await sign(partner, claims(partner, SUB), {}, stranger.privateKey)), 'invalid_grant', 'ERR_SIGNATURE');
    });

    it('unknown kid → invalid_grant', async () => {
      await rejected(requestToken(server, partner, await sign(partner, claims(partner, SUB), { kid: 'nope' })), 'invalid_grant', 'ERR_UNKNOWN_KEY');
    });

    it('unknown x5t → invalid_grant', async () => {
      const jwt = await sign(partner, claims(partner, SUB), { kid: undefined, x5t: 'AAAAAAAAAAAAAAAAAAAAAAAAAAA' });
      await rejected(requestToken(server, partner, jwt), 'invalid_grant', 'ERR_UNKNOWN_KEY');
    });

    it('alg none → invalid_grant', async () => {
      const jwt = `${b64json({ alg: 'none', kid: partner.kid })}.${b64json(claims(partner, SUB))}.`;
      await rejected(requestToken(server, partner, jwt), 'invalid_grant', 'ERR_ASSERTION_ALG');
    });

    it('HS256 signed with the public key as the secret → invalid_grant', async () => {
      const secret = new TextEncoder().encode(partner.publicKey.export({ type: 'spki', format: 'pem' }) as string);
      const jwt = await sign(partner, claims(partner, SUB), { alg: 'HS256' }, secret);
      await rejected(requestToken(server, partner, jwt), 'invalid_grant', 'ERR_ASSERTION_ALG');
    });

    it('iss other than the calling client_id → invalid_grant', async () => {
      await rejected(requestToken(server, partner, await sign(partner, claims(partner, SUB, { iss: 'someone.else' }))), 'invalid_grant', 'ERR_ISSUER');
    });

    for (const claim of ['exp', 'sub', 'jti', 'iss']) {
      it(`missing ${claim} → invalid_grant`, async () => {
        const r = await rejected(requestToken(server, partner, await sign(partner, claims(partner, SUB, { [claim]: undefined }))), 'invalid_grant', 'ERR_CLAIM_MISSING');
        assert.match(String(r.json.error_description), new RegExp(`'${claim}'`));
      });
    }

    it('expired (beyond the clock tolerance) → invalid_grant', async () => {
      const t = now();
      await rejected(requestToken(server, partner, await sign(partner, claims(partner, SUB, { iat: t - 600, exp: t - 60 }))), 'invalid_grant', 'ERR_EXPIRED');
    });

    it('lifetime of 24 h + 1 s → invalid_grant; exactly 24 h is accepted', async () => {
      const t = now();
      await rejected(requestToken(server, partner, await sign(partner, claims(partner, SUB, { iat: t, exp: t + DAY + 1 }))), 'invalid_grant', 'ERR_LIFETIME_TOO_LONG');
      await rejected(requestToken(server, partner, await sign(partner, claims(partner, SUB, { iat: undefined, nbf: t, exp: t + DAY + 1 }))), 'invalid_grant', 'ERR_LIFETIME_TOO_LONG');
      await rejected(requestToken(server, partner, await sign(partner, claims(partner, SUB, { iat: undefined, exp: t + DAY + 60 }))), 'invalid_grant', 'ERR_LIFETIME_TOO_LONG');
      assert.equal((await requestToken(server, partner, await sign(partner, claims(partner, SUB, { iat: t, exp: t + DAY })))).status, 200);
    });

    it('jti of 37 bytes → invalid_grant; 36 bytes is accepted', async () => {
      await rejected(requestToken(server, partner, await sign(partner, claims(partner, SUB, { jti: 'j'.repeat(37) }))), 'invalid_grant', 'ERR_JTI_TOO_LONG');
      await rejected(requestToken(server, partner, await sign(partner, claims(partner, SUB, { jti: 'ж'.repeat(19) }))), 'invalid_grant', 'ERR_JTI_TOO_LONG');
      assert.equal((await requestToken(server, partner, await sign(partner, claims(partner, SUB, { jti: crypto.randomUUID() })))).status, 200);
    });

    it('replay of a used JWT → invalid_grant', async () => {
      const jwt = await sign(partner, claims(partner, SUB));
      assert.equal((await requestToken(server, partner, jwt)).status, 200);
      await rejected(requestToken(server, partner, jwt), 'invalid_grant', 'ERR_REPLAY');
      // Same jti in a freshly signed JWT is a replay too: single use is per (iss, jti).
      const again = await sign(partner, claims(partner, SUB, { jti: JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString()).jti }));
      await rejected(requestToken(server, partner, again), 'invalid_grant', 'ERR_REPLAY');
    });

    it('a rejected JWT does not use up its jti', async () => {
      const c = claims(partner, SUB);
      await rejected(requestToken(server, partner, await sign(partner, c), { scope: 'extern.test-tools' }), 'invalid_scope');
      const stranger = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
      await rejected(requestToken(server, partner, await sign(partner, c, {}, stranger.privateKey)), 'invalid_grant', 'ERR_SIGNATURE');
      assert.equal((await requestToken(server, partner, await sign(partner, c))).status, 200);
    });

    it('sub not linked for this client → invalid_grant', async () => {
      await rejected(requestToken(server, partner, await sign(partner, claims(partner, 'nobody'))), 'invalid_grant', 'ERR_NOT_LINKED');
      // A link of another partner does not count.
      const other = await createPartner(server.context, 'other.partner');
      await linkedUser(server.context, other, 'shared-id');
      await rejected(requestToken(server, partner, await sign(partner, claims(partner, 'shared-id'))), 'invalid_grant', 'ERR_NOT_LINKED');
    });

    it('linked account disabled → invalid_grant', async () => {
      const disabled = await linkedUser(server.context, partner, 'to-be-disabled');
      assert.equal((await requestToken(server, partner, await sign(partner, claims(partner, 'to-be-disabled')))).status, 200);
      await server.context.accounts.disable(disabled.id, 'admin-cli');
      await rejected(requestToken(server, partner, await sign(partner, claims(partner, 'to-be-disabled'))), 'invalid_grant', 'ERR_ACCOUNT_INACTIVE');
    });

    it('client without the trusted permission → unauthorized_client', async () => {
      const noPermission = await createPartner(server.context, 'no.permission', { permissions: [] });
      await linkedUser(server.context, noPermission, SUB);
      await rejected(requestToken(server, noPermission, await sign(noPermission, claims(noPermission, SUB))), 'unauthorized_client', 'ERR_TRUSTED_NOT_PERMITTED');
      // link-by-phone alone does not allow the grant.
      await server.context.clients.setPermission('no.permission', 'link-by-phone', true, null);
      await rejected(requestToken(server, noPermission, await sign(noPermission, claims(noPermission, SUB))), 'unauthorized_client');
    });

    it('client not registered for the trusted grant type → unauthorized_client, even with the permission', async () => {
      const cc = await createClient(server.context, { clientId: 'cc.only' });
      await server.context.clients.setPermission('cc.only', 'trusted', true, null);
      const r = await postForm(`${server.url}/connect/token`, { grant_type: 'trusted', client_id: cc.clientId, client_secret: cc.apiKey, scope: 'extern.api', token: 'x.y.z' });
      assert.equal(r.status, 400);
      assert.equal(r.json.error, 'unauthorized_client');
    });

    it('wrong api-key → invalid_client', async () => {
      await rejected(requestToken(server, { clientId: partner.clientId, apiKey: crypto.randomUUID() }, await sign(partner, claims(partner, SUB))), 'invalid_client');
    });

    it('scope outside the client registration → invalid_scope', async () => {
      const jwt = await sign(partner, claims(partner, SUB));
      await rejected(requestToken(server, partner, jwt, { scope: 'extern.test-tools' }), 'invalid_scope', 'ERR_SCOPE');
      await rejected(requestToken(server, partner, jwt, { scope: 'extern.api unknown.scope' }), 'invalid_scope', 'ERR_SCOPE');
      await rejected(requestToken(server, partner, jwt, { scope: '' }), 'invalid_scope', 'ERR_SCOPE');
    });

    it('missing token parameter → invalid_request', async () => {
      const r = await postForm(`${server.url}/connect/token`, { grant_type: 'trusted', client_id: partner.clientId, client_secret: partner.apiKey, scope: 'extern.api' });
      assert.equal(r.status, 400);
      assert.equal(r.json.error, 'invalid_request');
    });

    it('malformed token → invalid_grant', async () => {
      await rejected(requestToken(server, partner, 'not-a-jwt'), 'invalid_grant', 'ERR_ASSERTION_MALFORMED');
    });
  });

  it('20 simultaneous requests with the same JWT yield exactly one token', async () => {
    const jwt = await sign(partner, claims(partner, SUB));
    const results = await Promise.all(Array.from({ length: 20 }, () => requestToken(server, partner, jwt)));
    const statuses = results.map((r) => r.status).sort();
    assert.deepEqual(statuses, [200, ...Array<number>(19).fill(400)]);
    for (const r of results.filter((x) => x.status === 400)) assert.match(String(r.json.error_description), /\(rule ERR_REPLAY\)$/);
  });

  it('records every use and rejection in the audit log, without the JWT or the api-key', async () => {
    const c = claims(partner, SUB);
    const jwt = await sign(partner, c);
    assert.equal((await requestToken(server, partner, jwt)).status, 200);
    await requestToken(server, partner, jwt);
    const events = await server.context.audit.tail({ type: 'trusted_grant', limit: 1000 });
    const mine = events.filter((e) => e.details.jti === c.jti);
    assert.deepEqual(mine.map((e) => [e.outcome, e.details.rule ?? null]), [['success', null], ['failure', 'ERR_REPLAY']]);
    assert.equal(mine[0]!.accountId, account.id);
    assert.equal(mine[0]!.clientId, partner.clientId);
    assert.equal(mine[0]!.details.sub, SUB);
    const all = JSON.stringify(events);
    assert.ok(!all.includes(jwt.split('.')[2]!), 'no JWT signature in the audit log');
    assert.ok(!all.includes(partner.apiKey), 'no api-key in the audit log');
    assert.ok(events.some((e) => e.outcome === 'failure' && e.details.rule === 'ERR_SIGNATURE'));
    // Refused by client authentication, before the grant handler runs.
    assert.ok(events.some((e) => e.outcome === 'failure' && e.details.rule === 'invalid_client' && e.clientId === partner.clientId));
    // Each refusal is recorded once.
    assert.equal(events.filter((e) => e.details.jti === c.jti && e.outcome === 'failure').length, 1);
  });
});
