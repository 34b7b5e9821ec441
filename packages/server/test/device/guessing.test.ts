/**
 * User-code guessing is limited (PROPUSK_DEVICE_CODE_ATTEMPTS_*): wrong codes count per browser
 * session and per client IP; past the limit `/device` answers 429 with Retry-After and a clear
 * page, before looking any code up — even a right one.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { t } from '../../src/views/index.ts';
import { newDeviceCode, setupDevice, type DeviceSetup } from './support.ts';

/** A cookie-keeping client of the verification page: GET /device, then POST codes with its xsrf secret. */
class CodeForm {
  readonly jar = new Map<string, string>();
  constructor(readonly issuer: string) {}

  async request(path: string, form?: Record<string, string>) {
    const res = await fetch(new URL(path, this.issuer), {
      method: form ? 'POST' : 'GET',
      redirect: 'manual',
      headers: {
        'accept-language': 'en',
        cookie: [...this.jar].map(([k, v]) => `${k}=${v}`).join('; '),
        ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      body: form ? new URLSearchParams(form) : undefined,
    });
    for (const c of res.headers.getSetCookie()) {
      const [pair = ''] = c.split(';');
      const eq = pair.indexOf('=');
      this.jar.set(pair.slice(0, eq), pair.slice(eq + 1));
    }
    return { status: res.status, headers: res.headers, html: await res.text() };
  }

  xsrf(html: string): string {
    const m = /name="xsrf" value="([^"]+)"/.exec(html);
    assert.ok(m, 'the form carries oidc-provider\'s xsrf field');
    return m[1]!;
  }

  /** Submits `code` on the entry form (fetching a fresh form first). */
  async submit(code: string) {
    const form = await this.request('/device');
    return this.request('/device', { xsrf: this.xsrf(form.html), user_code: code });
  }
}

let s: DeviceSetup;
before(async () => {
  s = await setupDevice({ PROPUSK_DEVICE_CODE_ATTEMPTS_PER_SESSION: '3', PROPUSK_DEVICE_CODE_ATTEMPTS_PER_IP: '6', PROPUSK_DEVICE_CODE_ATTEMPTS_WINDOW: '600' });
});
after(() => s?.server.stop());

describe('user-code guessing', () => {
  it('a browser session gets 3 wrong codes, then 429 with Retry-After, even for a right code', async () => {
    const browser = new CodeForm(s.issuer);
    for (let i = 0; i < 3; i++) {
      const res = await browser.submit('BBBBBBB' + 'CDF'[i]);
      assert.equal(res.status, 400);
      assert.ok(res.html.includes(t('en', 'device.error.invalid')));
    }
    const right = await newDeviceCode(s);
    const blocked = await browser.submit(right.user_code);
    assert.equal(blocked.status, 429);
    const retryAfter = Number(blocked.headers.get('retry-after'));
    assert.ok(retryAfter > 500 && retryAfter <= 600, `Retry-After ${retryAfter}`);
    assert.match(blocked.headers.get('content-type') ?? '', /^text\/html/);
    assert.ok(blocked.html.includes(t('en', 'device.tooMany.title')));
    assert.ok(blocked.html.includes(t('en', 'device.tooMany.message', { minutes: 10 })));
    // Links with a code are refused the same way.
    assert.equal((await browser.request(`/device?user-code=${right.user_code}`)).status, 429);
  });

  it('new sessions from the same IP are stopped by the per-IP limit (6 in all)', async () => {
    // 3 wrong codes came from this IP in the previous test; 3 more fresh browsers with one each.
    for (let i = 0; i < 3; i++) {
      const res = await new CodeForm(s.issuer).submit('ZZZZZZZ' + 'BCD'[i]);
      assert.equal(res.status, 400);
    }
    assert.equal((await new CodeForm(s.issuer).submit('ZZZZZZZF')).status, 429);
    assert.equal((await new CodeForm(s.issuer).request('/device?user_code=ZZZZZZZG')).status, 429);
    const qr = await fetch(`${s.issuer}/device/qr.svg?user-code=ZZZZZZZH`, { headers: { accept: 'application/json' } });
    assert.equal(qr.status, 429);
    assert.ok(Number(qr.headers.get('retry-after')) > 0);
  });

  it('the entry page itself (no code) is never refused', async () => {
    const res = await new CodeForm(s.issuer).request('/device');
    assert.equal(res.status, 200);
  });
});
