/**
 * The user-code guessing limit cannot be walked around: a path spelled in another case
 * (`/DEVICE`, `/Device/QR.SVG`) is the same page under the same counters, and guesses sent in
 * parallel are each counted before any code is looked up (SQLite, and PostgreSQL where the
 * counters are shared by instances).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { t } from '../../src/views/index.ts';
import { newDeviceCode, setupDevice, type DeviceSetup } from './support.ts';
import { createTestSchema, describePostgres, type TestSchema } from '../storage/support.ts';

/** One browser: its cookies and the (single-use) xsrf secret of a freshly loaded verification form. */
async function browserSession(issuer: string, cookie?: string): Promise<{ cookie: string; xsrf: string }> {
  const res = await fetch(`${issuer}/device`, { headers: { 'accept-language': 'en', ...(cookie ? { cookie } : {}) } });
  const set = res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const xsrf = /name="xsrf" value="([^"]+)"/.exec(await res.text())?.[1];
  assert.ok(xsrf, 'the entry form carries an xsrf field');
  return { cookie: cookie ?? set, xsrf };
}

function submit(issuer: string, path: string, session: { cookie: string; xsrf: string }, code: string): Promise<Response> {
  return fetch(`${issuer}${path}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie: session.cookie, 'content-type': 'application/x-www-form-urlencoded', 'accept-language': 'en' },
    body: new URLSearchParams({ xsrf: session.xsrf, user_code: code }),
  });
}

describe('a path in another case is the same guarded page', () => {
  let s: DeviceSetup;
  before(async () => {
    s = await setupDevice({ PROPUSK_DEVICE_CODE_ATTEMPTS_PER_SESSION: '1000', PROPUSK_DEVICE_CODE_ATTEMPTS_PER_IP: '4', PROPUSK_DEVICE_CODE_ATTEMPTS_WINDOW: '600' });
  });
  after(() => s?.server.stop());

  it('wrong codes through /DEVICE, /Device and /device/QR.SVG count toward one limit, and then a right code is refused on every spelling', async () => {
    const { cookie } = await browserSession(s.issuer);
    const form = () => browserSession(s.issuer, cookie);
    const wrong = async (path: string, code: string) => {
      const res = await submit(s.issuer, path, await form(), code);
      const html = await res.text();
      assert.equal(res.status, 400, `${path}: ${res.status}`);
      assert.ok(html.includes(t('en', 'device.error.invalid')), `${path} looked the code up`);
    };
    await wrong('/DEVICE', 'BBBBBBBC');
    await wrong('/Device', 'BBBBBBBD');
    await wrong('/device', 'BBBBBBBF');
    assert.equal((await fetch(`${s.issuer}/Device/QR.SVG?user-code=BBBBBBBG`)).status, 404);
    const right = await newDeviceCode(s);
    for (const path of ['/DEVICE', '/Device', '/device', '/dEvIcE']) {
      const res = await submit(s.issuer, path, await form(), right.user_code);
      await res.body?.cancel();
      assert.equal(res.status, 429, `${path} is under the limit`);
      assert.ok(Number(res.headers.get('retry-after')) > 0);
    }
    assert.equal((await fetch(`${s.issuer}/DEVICE?user-code=${right.user_code}`)).status, 429);
    assert.equal((await fetch(`${s.issuer}/DEVICE/qr.svg?user-code=${right.user_code}`)).status, 429);
  });
});

/** 200 wrong guesses at once from one address: exactly `limit` are looked up, the rest are refused. */
function parallelGuessTests(issuer: () => string, limit: number): void {
  it(`200 parallel guesses from one address: ${limit} looked up, the rest answered 429`, async () => {
    // 200 browsers, each with its form loaded; then every one submits a wrong code at once.
    const sessions = await Promise.all(Array.from({ length: 200 }, () => browserSession(issuer())));
    const answers = await Promise.all(
      sessions.map(async (session, i) => {
        const res = await submit(issuer(), '/device', session, `BCDF${String(i).padStart(4, '0').replace(/\d/g, (d) => 'GHJKLMNPQR'[Number(d)]!)}`);
        const html = await res.text();
        return res.status === 429 ? 'refused' : res.status === 400 && html.includes(t('en', 'device.error.invalid')) ? 'looked up' : `${res.status} ${html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').slice(0, 200)}`;
      }),
    );
    const looked = answers.filter((a) => a === 'looked up').length;
    const refused = answers.filter((a) => a === 'refused').length;
    assert.equal(looked, limit, `looked up: ${looked}; answers: ${[...new Set(answers)].join(' | ')}`);
    assert.equal(refused, 200 - limit);
  });
}

describe('parallel guesses (SQLite, counters in memory)', () => {
  let s: DeviceSetup;
  before(async () => {
    s = await setupDevice({ PROPUSK_DEVICE_CODE_ATTEMPTS_PER_SESSION: '1000', PROPUSK_DEVICE_CODE_ATTEMPTS_PER_IP: '30', PROPUSK_DEVICE_CODE_ATTEMPTS_WINDOW: '600' });
  });
  after(() => s?.server.stop());
  parallelGuessTests(() => s.issuer, 30);
});

describePostgres('parallel guesses (PostgreSQL, shared counters)', () => {
  let s: DeviceSetup;
  let schema: TestSchema;
  before(async () => {
    schema = await createTestSchema();
    s = await setupDevice({ DATABASE_URL: schema.url, PROPUSK_DEVICE_CODE_ATTEMPTS_PER_SESSION: '1000', PROPUSK_DEVICE_CODE_ATTEMPTS_PER_IP: '30', PROPUSK_DEVICE_CODE_ATTEMPTS_WINDOW: '600' });
  });
  after(async () => {
    await s?.server.stop();
    await schema?.drop();
  });
  parallelGuessTests(() => s.issuer, 30);
});
