/** Bundle builds of one checkout take turns (scripts/build.ts withBuildLock). */
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { withBuildLock } from '../../scripts/build.ts';

describe('build lock', () => {
  const dir = mkdtempSync(join(tmpdir(), 'propusk-build-lock-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('runs concurrent builds one after the other and releases the lock, also after a failure', async () => {
    const lock = join(dir, 'a');
    const log: string[] = [];
    const build = (name: string, fail = false) =>
      withBuildLock(async () => {
        log.push(`${name} start`);
        await sleep(150);
        log.push(`${name} end`);
        if (fail) throw new Error(`${name} failed`);
        return name;
      }, lock);
    const results = await Promise.allSettled([build('one', true), build('two'), build('three')]);
    assert.deepEqual(results.map((r) => r.status), ['rejected', 'fulfilled', 'fulfilled']);
    // Never two at once: every start is followed by its own end.
    for (let i = 0; i < log.length; i += 2) assert.equal(log[i + 1], log[i]!.replace('start', 'end'), log.join(', '));
    assert.equal(existsSync(lock), false);
  });

  /** A build given `lock` runs without waiting for it. */
  async function takesOverAtOnce(lock: string): Promise<void> {
    const started = performance.now();
    assert.equal(await withBuildLock(async () => 'built', lock), 'built');
    assert.ok(performance.now() - started < 2_000, 'did not wait for the lock');
  }

  it('takes over a lock left by a build that died', async () => {
    const lock = join(dir, 'b');
    mkdirSync(lock);
    const old = new Date(Date.now() - 10 * 60_000);
    utimesSync(lock, old, old);
    await takesOverAtOnce(lock);
  });

  it('takes over at once a lock whose process is gone (a build stopped with Ctrl-C)', async () => {
    const lock = join(dir, 'd');
    mkdirSync(lock);
    // A pid no process has: above Linux's pid_max.
    writeFileSync(join(lock, 'pid'), '2147483646');
    await takesOverAtOnce(lock);
  });

  it('waits for a live lock', async () => {
    const lock = join(dir, 'c');
    mkdirSync(lock);
    writeFileSync(join(lock, 'pid'), String(process.pid));
    const release = sleep(300).then(() => rmSync(lock, { recursive: true }));
    const started = performance.now();
    await withBuildLock(async () => undefined, lock);
    assert.ok(performance.now() - started >= 250, 'waited for the holder');
    await release;
  });
});
