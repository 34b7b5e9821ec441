/**
 * The bench's measurement of a fixed-amount row (refresh-token and trusted send a pool of
 * single-use items): its rate is the requests over the time to the last response. autocannon
 * itself ends such a run only at its next one-second sampling tick, which would report 200 quick
 * requests as taking a whole second.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { measure } from '../../../../bench/lib/autocannon.ts';

describe('bench measure() with a fixed amount', () => {
  let server: http.Server;
  let url: string;
  before(async () => {
    server = http.createServer((_req, res) => res.end('ok'));
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((done) => server.close(() => done())));

  it('times the run to its last response, not to autocannon\'s next sampling tick', async () => {
    let answered = 0;
    const m = await measure({ url, connections: 10, duration: 10, amount: 200, requests: [{ method: 'GET', path: '/' }], check: () => void answered++ });
    assert.equal(m.total, 200);
    assert.equal(answered, 200, 'the check still sees every response');
    // 200 local requests take a few tens of milliseconds; the tick would make it at least 1 s.
    assert.ok(m.duration < 0.9, `measured over ${m.duration} s`);
    assert.ok(Math.abs(m.rps - 200 / m.duration) < 1e-6, `rps ${m.rps} is the total over the measured time`);
  });

  it('does so without a check too', async () => {
    const m = await measure({ url, connections: 10, duration: 10, amount: 200, requests: [{ method: 'GET', path: '/' }] });
    assert.equal(m.total, 200);
    assert.ok(m.duration < 0.9, `measured over ${m.duration} s`);
  });
});
