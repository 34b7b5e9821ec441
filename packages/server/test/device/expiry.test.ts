/** A short configured device-code lifetime (PROPUSK_DEVICE_CODE_TTL=2): expired_token for the poller, a clear page for the user. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { t } from '../../src/views/index.ts';
import { newDeviceCode, poll, setupDevice, sleep, type DeviceSetup } from './support.ts';

let s: DeviceSetup;
before(async () => {
  s = await setupDevice({ PROPUSK_DEVICE_CODE_TTL: '2', PROPUSK_DEVICE_POLL_INTERVAL: '1' });
});
after(() => s?.server.stop());

describe('device code expiry', () => {
  it('expires_in and interval come from configuration; after expiry the poller gets expired_token', async () => {
    const auth = await newDeviceCode(s);
    assert.equal(auth.expires_in, 2);
    assert.equal(auth.interval, 1);
    assert.equal((await poll(s, auth.device_code)).json.error, 'authorization_pending');
    await sleep(2_500);
    const res = await poll(s, auth.device_code);
    assert.equal(res.status, 400);
    assert.equal(res.json.error, 'expired_token');
  });

  it('the link of an expired code shows that it expired (not "unknown"), and its QR code is gone', async () => {
    const auth = await newDeviceCode(s);
    assert.equal((await fetch(`${s.issuer}/device/qr.svg?user-code=${auth.user_code}`)).status, 200);
    await sleep(2_500);
    const res = await fetch(auth.verification_uri_complete, { headers: { 'accept-language': 'en' } });
    assert.equal(res.status, 400);
    const html = await res.text();
    assert.ok(html.includes(t('en', 'device.error.expired')), html);
    assert.equal((await fetch(`${s.issuer}/device/qr.svg?user-code=${auth.user_code}`)).status, 404);
  });
});
