import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { LruTtlCache, SingleFlight, tokenKey } from '../src/cache.ts';

describe('LruTtlCache', () => {
  it('never holds more than max entries and evicts the least recently used', () => {
    const cache = new LruTtlCache<number>(3);
    const now = 1000;
    for (let i = 0; i < 100; i++) {
      cache.set(`k${i}`, i, now + 10_000, now);
      assert.ok(cache.size <= 3);
    }
    assert.equal(cache.size, 3);
    assert.equal(cache.get('k96', now), undefined);
    assert.equal(cache.get('k97', now), 97);
    cache.set('k100', 100, now + 10_000, now); // evicts k98 (k97 was just used)
    assert.equal(cache.get('k98', now), undefined);
    assert.equal(cache.get('k97', now), 97);
    assert.equal(cache.get('k99', now), 99);
  });

  it('expires entries at their own time and does not store dead ones', () => {
    const cache = new LruTtlCache<string>(10);
    cache.set('a', 'A', 2000, 1000);
    cache.set('dead', 'D', 1000, 1000);
    assert.equal(cache.has('dead'), false);
    assert.equal(cache.get('a', 1999), 'A');
    assert.equal(cache.get('a', 2000), undefined);
    assert.equal(cache.has('a'), false, 'expired entries are removed on read');
  });

  it('rejects a non-positive bound', () => {
    assert.throws(() => new LruTtlCache(0), TypeError);
    assert.throws(() => new LruTtlCache(1.5), TypeError);
  });
});

describe('SingleFlight', () => {
  it('shares one promise per key while in flight, then forgets it', async () => {
    const flight = new SingleFlight<number>();
    let calls = 0;
    const work = () => new Promise<number>((resolve) => setTimeout(() => resolve(++calls), 10));
    const all = await Promise.all(Array.from({ length: 10 }, () => flight.run('k', work)));
    assert.deepEqual(new Set(all), new Set([1]));
    await Promise.resolve();
    assert.equal(flight.size, 0);
    assert.equal(await flight.run('k', work), 2);
  });

  it('forgets a failed key too', async () => {
    const flight = new SingleFlight<number>();
    await assert.rejects(flight.run('k', () => Promise.reject(new Error('boom'))), /boom/);
    await Promise.resolve();
    assert.equal(flight.size, 0);
  });
});

describe('tokenKey', () => {
  it('is the SHA-256 digest of the token, not the token', () => {
    assert.equal(Buffer.from(tokenKey('abc'), 'latin1').toString('base64url'), 'ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0');
    assert.notEqual(tokenKey('abc'), tokenKey('abd'));
  });
});
