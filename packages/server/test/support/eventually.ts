/** Polling for what takes effect "within" some time (a change reaching every instance, a new key published). */
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';

/** Polls `probe` every 25 ms until it returns a value; fails after `ms`. Returns the value and how long it took. */
export async function eventually<T>(what: string, ms: number, probe: () => Promise<T | undefined>): Promise<{ value: T; afterMs: number }> {
  const started = Date.now();
  for (;;) {
    const value = await probe();
    if (value !== undefined) return { value, afterMs: Date.now() - started };
    if (Date.now() - started > ms) assert.fail(`${what}: not within ${ms} ms`);
    await sleep(25);
  }
}
