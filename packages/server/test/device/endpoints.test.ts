/**
 * The device flow's HTTP surface without a browser: the device authorization response (docs/api-documentation.md),
 * client authentication and registration checks, the token endpoint's pending / slow_down /
 * invalid_client answers, the pace kept in storage, and the QR code.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DEVICE_GRANT, authorizeDevice, newDeviceCode, poll, setupDevice, type DeviceSetup } from './support.ts';
import { sweepExpired } from '../../src/storage/sweeper.ts';
import { hashId } from '../../src/storage/oidc-adapter.ts';
import { postForm, startTestServer } from '../support/server.ts';

let s: DeviceSetup;
before(async () => {
  s = await setupDevice();
});
after(() => s?.server.stop());

describe('POST /connect/deviceauthorization', () => {
  it('answers as the API documentation (docs/api-documentation.md) says: 8-letter code, /device links with user-code, interval 3, expires_in 300, no-store', async () => {
    const res = await authorizeDevice(s, { scope: 'extern.api' });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.headers.get('cache-control'), 'no-store');
    const body = res.json;
    assert.deepEqual(Object.keys(body).sort(), ['device_code', 'expires_in', 'interval', 'user_code', 'verification_uri', 'verification_uri_complete']);
    assert.match(String(body.user_code), /^[BCDFGHJKLMNPQRSTVWXZ]{8}$/);
    assert.equal(body.verification_uri, `${s.issuer}/device`);
    assert.equal(body.verification_uri_complete, `${s.issuer}/device?user-code=${body.user_code}`);
    assert.equal(body.interval, 3);
    assert.equal(body.expires_in, 300);
    assert.match(String(body.device_code), /^[A-Za-z0-9_-]{30,}$/);
  });

  it('accepts HTTP Basic client authentication', async () => {
    const res = await authorizeDevice(s, { basicAuth: true });
    assert.equal(res.status, 200, res.text);
    assert.ok(res.json.user_code);
  });

  it('a wrong api-key is invalid_client (body and Basic)', async () => {
    for (const basicAuth of [false, true]) {
      const res = await authorizeDevice(s, { basicAuth, client: { clientId: s.device.clientId, apiKey: s.other.apiKey } });
      assert.equal(res.status, 401, res.text);
      assert.equal(res.json.error, 'invalid_client');
    }
  });

  it('a client not registered for the device grant is unauthorized_client', async () => {
    const res = await authorizeDevice(s, { client: s.service, scope: 'extern.api' });
    assert.equal(res.status, 400, res.text);
    assert.equal(res.json.error, 'unauthorized_client');
  });

  it('a scope the client is not registered for is invalid_scope', async () => {
    const res = await authorizeDevice(s, { client: s.other, scope: 'openid profile extern.api' });
    assert.equal(res.status, 400, res.text);
    assert.equal(res.json.error, 'invalid_scope');
  });
});

describe('POST /connect/token with the device grant', () => {
  it('authorization_pending while the user has not answered; `scope` is accepted', async () => {
    const auth = await newDeviceCode(s);
    const res = await poll(s, auth.device_code, { scope: 'openid extern.api' });
    assert.equal(res.status, 400);
    assert.equal(res.json.error, 'authorization_pending');
    assert.equal(res.headers.get('cache-control'), 'no-store');
  });

  it("another client's api-key is invalid_client; another client's own credentials get invalid_grant", async () => {
    const auth = await newDeviceCode(s);
    const wrongKey = await poll(s, auth.device_code, { client: { clientId: s.device.clientId, apiKey: s.other.apiKey } });
    assert.equal(wrongKey.status, 401);
    assert.equal(wrongKey.json.error, 'invalid_client');
    const foreign = await poll(s, auth.device_code, { client: s.other });
    assert.equal(foreign.status, 400);
    assert.equal(foreign.json.error, 'invalid_grant');
    // Neither counted as a poll of the code: its first poll is still not throttled.
    assert.equal((await poll(s, auth.device_code)).json.error, 'authorization_pending');
  });

  it('a client without the device grant is unauthorized_client; an unknown device code is invalid_grant', async () => {
    const auth = await newDeviceCode(s);
    const res = await poll(s, auth.device_code, { client: s.service });
    assert.equal(res.json.error, 'unauthorized_client');
    const unknown = await poll(s, 'x'.repeat(43));
    assert.equal(unknown.json.error, 'invalid_grant');
    assert.equal((await poll(s, 'x'.repeat(43))).json.error, 'invalid_grant', 'unknown codes are never throttled (no state is created for them)');
  });

  it('slow_down is decided in storage: two concurrent polls right after the first one, at most one passes; the interval grows by 5 s each time', async () => {
    const auth = await newDeviceCode(s);
    assert.equal((await poll(s, auth.device_code)).json.error, 'authorization_pending');
    const both = await Promise.all([poll(s, auth.device_code), poll(s, auth.device_code)]);
    assert.deepEqual(both.map((r) => r.json.error), ['slow_down', 'slow_down']);
    const row = await s.server.context.db.selectFrom('device_poll').selectAll().where('id', '=', hashId(auth.device_code)).executeTakeFirstOrThrow();
    assert.equal(row.interval_seconds, 3 + 5 + 5);
  });

  it('the pace holds across instances sharing the database', async () => {
    const second = await startTestServer({ DATABASE_URL: s.server.env.DATABASE_URL!, PROPUSK_ISSUER: s.issuer });
    try {
      const auth = await newDeviceCode(s);
      assert.equal((await poll(s, auth.device_code)).json.error, 'authorization_pending');
      const viaSecond = await postForm(`${second.url}/connect/token`, {
        grant_type: DEVICE_GRANT,
        client_id: s.device.clientId,
        client_secret: s.device.apiKey,
        device_code: auth.device_code,
      });
      assert.equal(viaSecond.json.error, 'slow_down');
    } finally {
      await second.stop();
    }
  });

  it('the first polls of a code racing each other: exactly one is not throttled', async () => {
    const auth = await newDeviceCode(s);
    const results = await Promise.all(Array.from({ length: 4 }, () => poll(s, auth.device_code)));
    const errors = results.map((r) => r.json.error).sort();
    assert.deepEqual(errors, ['authorization_pending', 'slow_down', 'slow_down', 'slow_down']);
  });

  it('pace records expire with their device code and are swept', async () => {
    const auth = await newDeviceCode(s);
    await poll(s, auth.device_code);
    const { db } = s.server.context;
    const row = await db.selectFrom('device_poll').select('expires_at').where('id', '=', hashId(auth.device_code)).executeTakeFirstOrThrow();
    assert.ok(Math.abs(Number(row.expires_at) - (Date.now() + 300_000)) < 10_000, 'expires with the device code');
    const swept = await sweepExpired(db, Number(row.expires_at) + 1);
    assert.ok(swept.devicePolls >= 1);
    assert.equal(await db.selectFrom('device_poll').select('id').where('id', '=', hashId(auth.device_code)).executeTakeFirst(), undefined);
  });

  it('discovery advertises the device authorization endpoint and grant', async () => {
    const meta = (await (await fetch(`${s.issuer}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
    assert.equal(meta.device_authorization_endpoint, `${s.issuer}/connect/deviceauthorization`);
    assert.ok((meta.grant_types_supported as string[]).includes(DEVICE_GRANT));
  });
});

describe('GET /device/qr.svg', () => {
  it('an SVG QR code of verification_uri_complete for a pending code (any case, dashes and spaces), not cached', async () => {
    const auth = await newDeviceCode(s);
    const typed = `${auth.user_code.slice(0, 4).toLowerCase()}-${auth.user_code.slice(4)}`;
    const res = await fetch(`${s.issuer}/device/qr.svg?user-code=${encodeURIComponent(typed)}`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'image/svg+xml');
    assert.equal(res.headers.get('cache-control'), 'no-store');
    const svg = await res.text();
    assert.match(svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    assert.doesNotMatch(svg, /<script/i);
    // The same picture as the server draws for the canonical link (the QR encodes exactly that URL).
    const QRCode = (await import('qrcode')).default;
    assert.equal(svg, await QRCode.toString(auth.verification_uri_complete, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 }));
  });

  it('400 for malformed input (never a QR of arbitrary text), 404 for an unknown code', async () => {
    for (const q of ['', 'user-code=', 'user-code=https%3A%2F%2Fevil.example', 'user-code=BDWPHQPKX', 'user-code=AAAAAAAA', 'user-code=BDWP&user-code=HQPK']) {
      const res = await fetch(`${s.issuer}/device/qr.svg?${q}`, { headers: { accept: 'application/json' } });
      assert.equal(res.status, 400, q);
      assert.equal(((await res.json()) as { error: string }).error, 'invalid_request');
    }
    const unknown = await fetch(`${s.issuer}/device/qr.svg?user-code=BBBBBBBB`, { headers: { accept: 'application/json' } });
    assert.equal(unknown.status, 404);
  });
});
