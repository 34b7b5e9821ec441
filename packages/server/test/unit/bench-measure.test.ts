/**
 * The bench's measurement of a fixed-amount row (refresh-token and trusted send a pool of
 * single-use items): its rate is the requests over the time to the last response. autocannon
 * itself ends such a run only at its next one-second sampling tick, which would report 200 quick
 * requests as taking about a second.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { measure } from '../../../../bench/lib/autocannon.ts';

describe('bench measure() with a fixed amount', () => {
  let server: http.Server;
  let url: string;
  /** When the server answered its latest request (the load generator is in this process too). */
  let lastAnswered = 0;
  before(async () => {
    server = http.createServer((_req, res) => {
      res.end('ok');
      lastAnswered = Date.now();
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((done) => server.close(() => done())));

  /** The measured time is not longer than from the call to the last answer (ms rounding and a little slack allowed). */
  const assertTimedToLastResponse = (seconds: number, startedAt: number) => {
    const toLastAnswer = (lastAnswered - startedAt) / 1000;
    assert.ok(seconds <= toLastAnswer + 0.05, `measured over ${seconds} s; the last answer came ${toLastAnswer} s after the call`);
  };

  it("times the run to its last response, not to autocannon's next sampling tick", async () => {
    let checked = 0;
    const startedAt = Date.now();
    const m = await measure({ url, connections: 10, duration: 10, amount: 200, requests: [{ method: 'GET', path: '/' }], check: () => void checked++ });
    assert.equal(m.total, 200);
    assert.equal(checked, 200, 'the check still sees every response');
    assertTimedToLastResponse(m.duration, startedAt);
    assert.ok(Math.abs(m.rps - 200 / m.duration) < 1e-6, `rps ${m.rps} is the total over the measured time`);
  });

  it('does so without a check too', async () => {
    const startedAt = Date.now();
    const m = await measure({ url, connections: 10, duration: 10, amount: 200, requests: [{ method: 'GET', path: '/' }] });
    assert.equal(m.total, 200);
    assertTimedToLastResponse(m.duration, startedAt);
  });
});
